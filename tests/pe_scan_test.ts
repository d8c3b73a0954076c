/**
 * PEInfo through `iocscan scan --scope` on PE files built by the fixtures:
 * `SignatureVerified` checked, not constant (a validly signed file, the same
 * file tampered with, an unsigned one), and a PE with a corrupt optional
 * header that keeps its COFF timestamp while a `pe-corrupt` warning names it.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { makeSigner, signPe } from "../formats/pe/_testing/authenticode_signer.ts";
import { buildPe, setU16 } from "../formats/pe/_testing/pe_builder.ts";
import { runCli } from "./_cli.ts";

function ioc11(id: string, search: string, type: string, value: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-item" condition="is" negate="false" preserve-case="false">
      <Context document="FileItem" search="${search}" type="mir"/>
      <Content type="${type}">${value}</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`;
}

type ScanEvent = { type: string; [name: string]: unknown };

async function scan(iocs: string, scope: string, db: string) {
  const output = await runCli<ScanEvent>([
    "scan",
    "--ioc",
    iocs,
    "--scope",
    scope,
    "--db",
    db,
    "--json",
  ]);
  const events = output.events;
  const found = new Map<string, string[]>();
  for (const event of events) {
    if (event.type !== "detection") continue;
    const { ioc, evidence } = event as unknown as {
      ioc: { id: string };
      evidence: { object: string }[];
    };
    found.set(ioc.id, evidence.map((entry) => entry.object.split("/").at(-1)!).sort());
  }
  return { code: output.code, events, found };
}

Deno.test("iocscan scan checks SignatureVerified: valid, tampered and unsigned PEs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = join(dir, "files");
    await Deno.mkdir(files);
    const { bytes: unsigned, layout } = buildPe({ bits: 64, timeDateStamp: 0x60000000 });
    const signed = signPe(unsigned, layout, makeSigner("Contoso Test Signer"));
    const tampered = signed.slice();
    tampered[layout.sections[".text"]!.rawPointer + 16]! ^= 0x80;
    await Deno.writeFile(join(files, "signed.exe"), signed);
    await Deno.writeFile(join(files, "tampered.exe"), tampered);
    await Deno.writeFile(join(files, "unsigned.exe"), unsigned);
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    const signature = "FileItem/PEInfo/DigitalSignature";
    await Deno.writeTextFile(
      join(iocs, "unverified.ioc"),
      ioc11("unverified", `${signature}/SignatureVerified`, "bool", "false"),
    );
    await Deno.writeTextFile(
      join(iocs, "verified.ioc"),
      ioc11("verified", `${signature}/SignatureVerified`, "bool", "true"),
    );
    await Deno.writeTextFile(
      join(iocs, "signed.ioc"),
      ioc11("signed", `${signature}/SignatureExists`, "bool", "true"),
    );
    const { code, found } = await scan(iocs, files, join(dir, "r.db"));
    deepStrictEqual(code, 1);
    deepStrictEqual(found.get("unverified"), ["tampered.exe", "unsigned.exe"]);
    deepStrictEqual(found.get("verified"), ["signed.exe"]);
    deepStrictEqual(found.get("signed"), ["signed.exe", "tampered.exe"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan matches PETimeStamp on a PE whose optional header is corrupt, and warns", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = join(dir, "files");
    await Deno.mkdir(files);
    const stamp = Date.UTC(2009, 6, 14, 1, 14, 41) / 1000;
    const badMagic = buildPe({ bits: 32, timeDateStamp: stamp });
    setU16(badMagic.bytes, badMagic.layout.optionalHeaderOffset, 0x0000);
    await Deno.writeFile(join(files, "bad_magic.exe"), badMagic.bytes);
    const cut = buildPe({ bits: 64, timeDateStamp: stamp });
    await Deno.writeFile(
      join(files, "truncated.exe"),
      cut.bytes.subarray(0, cut.layout.optionalHeaderOffset + 60),
    );
    const far = buildPe({ bits: 32, timeDateStamp: stamp });
    setU16(far.bytes, far.layout.peOffset + 20, 0xfff0); // SizeOfOptionalHeader: table past the end
    await Deno.writeFile(join(files, "far_sections.exe"), far.bytes);
    await Deno.writeFile(
      join(files, "other.exe"),
      buildPe({ bits: 32, timeDateStamp: stamp + 1 }).bytes,
    );
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "stamp.ioc"),
      ioc11("stamp", "FileItem/PEInfo/PETimeStamp", "date", "2009-07-14T01:14:41Z"),
    );
    await Deno.writeTextFile(
      join(iocs, "sections.ioc"),
      ioc11("sections", "FileItem/PEInfo/Sections/NumberOfSections", "int", "2"),
    );
    const { code, events, found } = await scan(iocs, files, join(dir, "r.db"));
    deepStrictEqual(code, 1);
    deepStrictEqual(found.get("stamp"), ["bad_magic.exe", "far_sections.exe", "truncated.exe"]);
    deepStrictEqual(found.get("sections"), [
      "bad_magic.exe",
      "far_sections.exe",
      "other.exe",
      "truncated.exe",
    ]);
    const corrupt = events.filter((event) =>
      event.type === "warning" && event.code === "pe-corrupt"
    )
      .map((event) => [String(event.file).split("/").at(-1), String(event.message)]);
    const about = (file: string) => corrupt.find(([name]) => name === file)?.[1] ?? "";
    ok(about("bad_magic.exe").includes("optional header magic 0x0"), JSON.stringify(corrupt));
    ok(about("truncated.exe").includes("optional header truncated"), JSON.stringify(corrupt));
    ok(about("far_sections.exe").includes("section table"), JSON.stringify(corrupt));
    deepStrictEqual(about("other.exe"), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
