/**
 * IOC files that share an id, through the real CLI: files with the same id and
 * different bytes are different IOCs (both evaluated, detected, stored and
 * listed, told apart by their SHA-256); byte-identical copies are folded with
 * one warning for the run. The corpus case: dfir-ronin's rules reuse ids
 * across unrelated tools (Anydesk, Atera, Splashtop, SharpUp…).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { loadIocPaths } from "../openioc/mod.ts";
import { runCli } from "./_cli.ts";
import { corpusDir, repositoryRoot } from "./corpus.ts";

const sharedId = "c41df85e-6a42-46cf-ab5a-21456ffb9da8";

function fileNameIoc(name: string, fileName: string): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${sharedId}" last-modified="2026-11-28T00:00:00">
  <short_description>${name}</short_description>
  <definition>
    <Indicator operator="OR" id="top">
      <IndicatorItem id="i1" condition="is">
        <Context document="FileItem" search="FileItem/FileName" type="mir"/>
        <Content type="string">${fileName}</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>`;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function iocscan(
  args: string[],
): Promise<{ code: number; events: Record<string, unknown>[]; stdout: string; stderr: string }> {
  const output = await runCli(args, { cwd: repositoryRoot });
  const events = args.includes("--json") ? output.events : [];
  return { code: output.code, events, stdout: output.stdout, stderr: output.stderr };
}

type IocRefJson = { id: string; sha256: string; name: string; file: string };

Deno.test("iocscan scan evaluates two IOCs of one id, stores and lists them apart, folds copies once", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-shared-id-" });
  try {
    const tree = join(root, "tree");
    const iocs = join(root, "iocs");
    await Deno.mkdir(tree);
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(join(tree, "AnyDesk.exe"), "remote\n");
    await Deno.writeTextFile(join(tree, "AteraAgent.exe"), "remote\n");
    const anydesk = new TextEncoder().encode(fileNameIoc("Anydesk (Utility)", "AnyDesk.exe"));
    const atera = new TextEncoder().encode(fileNameIoc("Atera (Utility)", "AteraAgent.exe"));
    await Deno.writeFile(join(iocs, "anydesk.ioc"), anydesk);
    await Deno.writeFile(join(iocs, "atera.ioc"), atera);
    // Two byte-identical copies of anydesk.ioc: one IOC, one warning.
    await Deno.writeFile(join(iocs, "copy-1.ioc"), anydesk);
    await Deno.writeFile(join(iocs, "copy-2.ioc"), anydesk);
    const db = join(root, "results.db");

    const scan = await iocscan(["scan", "--ioc", iocs, "--scope", tree, "--db", db, "--json"]);
    strictEqual(scan.code, 1, scan.stderr);
    const detections = scan.events.filter((event) => event.type === "detection");
    const expected = [
      [sharedId, sha256(anydesk), "Anydesk (Utility)", join(iocs, "anydesk.ioc")],
      [sharedId, sha256(atera), "Atera (Utility)", join(iocs, "atera.ioc")],
    ];
    deepStrictEqual(
      detections.map((event) => {
        const ioc = event.ioc as IocRefJson;
        return [ioc.id, ioc.sha256, ioc.name, ioc.file];
      }),
      expected,
    );
    const warnings = scan.events.filter((event) => event.type === "warning");
    deepStrictEqual(warnings.map((event) => event.code), ["identical-ioc-files"]);
    ok(
      String(warnings[0]!.message).startsWith("2 IOC files are byte-identical copies"),
      String(warnings[0]!.message),
    );
    strictEqual(scan.events.at(-1)!.iocs, 2);

    // Stored apart: each detection with its own hash, and the snapshot holds both contents.
    const runId = String(detections[0]!.runId);
    const stored = await iocscan(["results", "--db", db, "--run", runId, "--json"]);
    strictEqual(stored.code, 0, stored.stderr);
    deepStrictEqual(
      stored.events.filter((event) => event.type === "detection").map((event) => {
        const ioc = event.ioc as IocRefJson;
        return [ioc.id, ioc.sha256, ioc.name, ioc.file];
      }),
      expected,
    );
    const summary = stored.events.at(-1)!;
    deepStrictEqual(
      (summary.iocFiles as { file: string; sha256: string; iocs: { id: string }[] }[])
        .map((file) => [file.file, file.sha256, file.iocs.map((ioc) => ioc.id)]),
      [
        [join(iocs, "anydesk.ioc"), sha256(anydesk), [sharedId]],
        [join(iocs, "atera.ioc"), sha256(atera), [sharedId]],
      ],
    );
    const text = await iocscan(["results", "--db", db, "--run", runId]);
    ok(text.stdout.includes(`[${sharedId} sha256 ${sha256(anydesk).slice(0, 12)}]`), text.stdout);
    ok(text.stdout.includes(`[${sharedId} sha256 ${sha256(atera).slice(0, 12)}]`), text.stdout);

    // `indicators` lists both IOCs of the id with their hashes, and the copies as copies.
    const listed = await iocscan(["indicators", iocs, "--json"]);
    deepStrictEqual(
      listed.events.filter((event) => event.type === "ioc").map((event) => [
        relative(iocs, event.file as string),
        event.id,
        event.sha256,
        event.duplicate ?? false,
      ]),
      [
        ["anydesk.ioc", sharedId, sha256(anydesk), false],
        ["atera.ioc", sharedId, sha256(atera), false],
        ["copy-1.ioc", sharedId, sha256(anydesk), true],
        ["copy-2.ioc", sharedId, sha256(anydesk), true],
      ],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

const openiocCorpus = corpusDir("openioc");

Deno.test({
  name: "loadIocPaths loads every dfir-ronin IOC that shares its id with another file",
  ignore: openiocCorpus === undefined,
  async fn() {
    const ronin = join(openiocCorpus!, "dfir-ronin-APT-OpenIOC-Detection-Rules");
    const set = await loadIocPaths([ronin]);
    deepStrictEqual(set.rejected, []);
    deepStrictEqual(set.duplicates, []);
    const byId = new Map<string, string[]>();
    for (const document of set.documents) {
      byId.set(document.id, [...(byId.get(document.id) ?? []), document.file]);
    }
    const shared = [...byId].filter(([, files]) => files.length > 1)
      .map(([id, files]) => [id, files.map((file) => relative(ronin, file)).sort()] as const)
      .sort();
    deepStrictEqual(shared, [
      ["2d7398f2-130d-43e7-91ef-2a383980714c", [
        "Execution/Command and Scripting Interpreter/Powershell/Powershell download cradle (Methodology).ioc",
        "Execution/Command and Scripting Interpreter/Powershell/Suspicious Download Cradle (Methodology).ioc",
      ]],
      ["9a38c574-1a1d-4786-a1c0-741ca1b34d03", [
        "Credential Access/OS Credential Dumping/SharpSecDump (Utility).ioc",
        "Discovery/Group Policy Discovery/SharpView (Utility).ioc",
        "Execution/Command and Scripting Interpreter/Powershell/sharpsh (Utility).ioc",
        "Lateral Movement/Remote Services/Sharp-SMBExec (Utility).ioc",
        "Privilege Escalation/SharpUp (Utility).ioc",
      ]],
      ["c41df85e-6a42-46cf-ab5a-21456ffb9da8", [
        "Command and Control/Remote Access Software/Ammyy Admin (Utility).ioc",
        "Command and Control/Remote Access Software/Anydesk (Utility).ioc",
        "Command and Control/Remote Access Software/Atera (Utility).ioc",
        "Command and Control/Remote Access Software/Splashtop (Utility).ioc",
      ]],
    ]);
    // Eleven files, eleven different contents: each is its own IOC.
    const hashes = new Set(
      set.documents.filter((document) => (byId.get(document.id)?.length ?? 0) > 1)
        .map((document) => document.contentHash),
    );
    strictEqual(hashes.size, 11);
  },
});
