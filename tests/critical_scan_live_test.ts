/**
 * The critical-areas scan on this machine, for real (docs/critical-scan.md):
 * the test starts a process from a planted copy of `sleep` and deletes the
 * file, a python3 that loads a planted `.so` and maps anonymous executable
 * memory, then runs `iocscan critical-scan` through the real CLI in a child
 * process (the `test` permission set cannot read `/proc`): FileItem Md5sum
 * IOCs hit the deleted image (named `… (deleted)`, with its pid) and the
 * module, the anonymous memory is a finding, ClamAV with a signature
 * database the test writes hits the module, everything is stored and shown
 * by `results --run`; a missing database is "antivirus unavailable" (exit 3).
 */
import { ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";

const linux = Deno.build.os === "linux";

async function has(program: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(program, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const clamscan = linux && await has("clamscan", ["--version"]);
const python = linux && await has("python3", ["--version"]);
if (linux && !clamscan) {
  console.error(
    "\n*** SKIPPING critical-scan live tests: clamscan is not installed (apt-get install -y clamav) ***\n",
  );
}
if (linux && !python) console.error("\n*** SKIPPING critical-scan live tests: no python3 ***\n");

/** A copy of `source` with unique bytes appended (still runs/loads: ELF ignores trailing data). */
async function plantCopy(source: string, target: string): Promise<Uint8Array> {
  const bytes = new Uint8Array([
    ...await Deno.readFile(source),
    ...new TextEncoder().encode(`iocscan-planted-${crypto.randomUUID()}`),
  ]);
  await Deno.writeFile(target, bytes, { mode: 0o755 });
  return bytes;
}

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function fileIoc(id: string, md5sum: string): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <definition><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-1" condition="is" negate="false" preserve-case="false">
      <Context document="FileItem" search="FileItem/Md5sum" type="mir"/>
      <Content type="md5">${md5sum}</Content>
    </IndicatorItem>
  </Indicator></definition>
</ioc>`;
}

/** Reads lines from a child's stdout until one starts with `prefix`; returns it. */
async function lineStarting(child: Deno.ChildProcess, prefix: string): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the child ended before printing ${prefix}`);
    text += value;
    const line = text.split("\n").find((entry) => entry.startsWith(prefix));
    if (line !== undefined && text.includes("\n")) {
      reader.releaseLock();
      return line;
    }
  }
}

Deno.test({
  name:
    "critical-scan: a deleted planted image and a planted module hit by Md5sum, anonymous executable memory found, ClamAV hits the module, stored and shown by results --run",
  ignore: !linux || !clamscan || !python,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-critical-live-" });
    const children: Deno.ChildProcess[] = [];
    try {
      const image = join(folder, `iocscan-sleep-${Date.now() % 100000}`);
      const imageBytes = await plantCopy("/usr/bin/sleep", image);
      const library = join(folder, "libplanted.so");
      const libraryBytes = await plantCopy(
        ["/usr/lib/x86_64-linux-gnu/libutil.so.1", "/lib/x86_64-linux-gnu/libutil.so.1"]
          .find((path) => {
            try {
              return Deno.statSync(path).isFile;
            } catch {
              return false;
            }
          })!,
        library,
      );
      const sleeper = new Deno.Command(image, { args: ["600"], stdout: "piped", stderr: "null" })
        .spawn();
      children.push(sleeper);
      // Wait until it runs the planted file, then delete it: only /proc/<pid>/exe reads it now.
      for (let tries = 0; tries < 100; tries++) {
        const target = await Deno.readLink(`/proc/${sleeper.pid}/exe`).catch(() => "");
        if (target === image) break;
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await Deno.remove(image);
      const loader = new Deno.Command("python3", {
        args: [
          "-c",
          [
            "import ctypes, mmap, sys, time",
            `ctypes.CDLL(${JSON.stringify(library)})`,
            "flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS",
            "prot = mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC",
            "m = mmap.mmap(-1, 3 * 4096, flags=flags, prot=prot)",
            "print('ready %x' % ctypes.addressof(ctypes.c_char.from_buffer(m)), flush=True)",
            "time.sleep(600)",
          ].join("\n"),
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      children.push(loader);
      const address = (await lineStarting(loader, "ready ")).slice("ready ".length).trim();

      const iocs = join(folder, "iocs");
      await Deno.mkdir(iocs);
      await Deno.writeTextFile(join(iocs, "image.ioc"), fileIoc("planted-image", md5(imageBytes)));
      await Deno.writeTextFile(
        join(iocs, "module.ioc"),
        fileIoc("planted-module", md5(libraryBytes)),
      );
      const database = join(folder, "planted.hdb");
      await Deno.writeTextFile(
        database,
        `${md5(libraryBytes)}:${libraryBytes.byteLength}:Iocscan.Test.PlantedModule\n`,
      );
      const db = join(folder, "results.db");

      const scan = await runCli<LooseEvent>([
        "critical-scan",
        "--ioc",
        iocs,
        "--db",
        db,
        "--clamav-database",
        database,
        "--json",
      ], { deadlineMs: 900_000 });
      strictEqual(scan.code, 1, scan.stderr);
      const detections = scan.events.filter((event) => event.type === "detection");
      const imageHit = detections.find((event) => event.ioc.id === "planted-image");
      ok(imageHit, JSON.stringify(detections));
      const imageEvidence = imageHit.evidence[0];
      strictEqual(imageEvidence.object, `${image} (deleted) [pid ${sleeper.pid}]`);
      strictEqual(imageEvidence.source, `/proc/${sleeper.pid}/exe`);
      const moduleHit = detections.find((event) => event.ioc.id === "planted-module");
      ok(moduleHit, JSON.stringify(detections));
      strictEqual(moduleHit.evidence[0].object, library);

      const findings = scan.events.filter((event) => event.type === "finding");
      const memory = findings.find((event) =>
        event.kind === "anonymous-executable-memory" && event.data?.pid === loader.pid &&
        String(event.data?.range).startsWith(`${address}-`)
      );
      ok(memory, `no finding at ${address}: ${JSON.stringify(findings)}`);
      strictEqual(memory.severity, "notice");
      strictEqual(memory.data.size, 3 * 4096);
      const antivirus = findings.find((event) => event.kind === "antivirus");
      ok(antivirus, JSON.stringify(findings));
      strictEqual(antivirus.object, library);
      strictEqual(antivirus.severity, "detection");
      strictEqual(antivirus.data.signature, "Iocscan.Test.PlantedModule.UNOFFICIAL");
      const summary = scan.events.at(-1);
      strictEqual(summary.type, "summary");
      strictEqual(summary.findingsByKind.antivirus, 1);
      ok(
        summary.collectors.includes("process-modules") && summary.collectors.includes("antivirus"),
      );

      const shown = await runCli<LooseEvent>([
        "results",
        "--db",
        db,
        "--run",
        String(summary.runId),
        "--json",
      ]);
      strictEqual(shown.code, 0, shown.stderr);
      const stored = shown.events.filter((event) => event.type === "finding");
      strictEqual(stored.length, findings.length);
      ok(stored.some((event) => event.kind === "antivirus" && event.object === library));
      const text = await runCli(["results", "--db", db, "--run", String(summary.runId)]);
      ok(text.stdout.includes("FINDINGS (detections) (1):"), text.stdout);
      ok(text.stdout.includes("Iocscan.Test.PlantedModule"), text.stdout);
    } finally {
      for (const child of children) {
        try {
          child.kill("SIGKILL");
        } catch {
          // gone
        }
        await child.stdout.cancel().catch(() => {});
        await child.status;
      }
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "critical-scan without IOCs: a missing ClamAV database is 'antivirus unavailable' (exit 3, stored), never clean; --antivirus none runs the areas alone",
  ignore: !linux || !clamscan,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-critical-noav-" });
    try {
      const db = join(folder, "results.db");
      const scan = await runCli<LooseEvent>([
        "critical-scan",
        "--db",
        db,
        "--clamav-database",
        join(folder, "no-such.hdb"),
        "--json",
      ], { deadlineMs: 900_000 });
      strictEqual(scan.code, 3, scan.stderr);
      const unavailable = scan.events.find((event) =>
        event.type === "finding" && event.kind === "antivirus-unavailable"
      );
      ok(unavailable, scan.stdout);
      strictEqual(unavailable.severity, "incomplete");
      const summary = scan.events.at(-1);
      strictEqual(summary.status, "incomplete");
      ok(summary.incomplete.some((entry: { kind: string }) => entry.kind === "area"));
      strictEqual(summary.iocs, 0);
      const stored = await runCli<LooseEvent>([
        "results",
        "--db",
        db,
        "--run",
        String(summary.runId),
        "--json",
      ]);
      ok(
        stored.events.some((event) =>
          event.type === "finding" && event.kind === "antivirus-unavailable"
        ),
      );

      // A FileItem IOC that hits nothing: the critical areas' views are the scope, so its item is
      // evaluated there (no `type-not-selected`: the file collector's scope is not this scan's).
      const iocs = join(folder, "iocs");
      await Deno.mkdir(iocs);
      await Deno.writeTextFile(join(iocs, "miss.ioc"), fileIoc("miss", "0".repeat(31) + "1"));
      const none = await runCli<LooseEvent>(
        ["critical-scan", "--ioc", iocs, "--antivirus", "none", "--db", db, "--json"],
        { deadlineMs: 900_000 },
      );
      ok(
        !none.events.some((event) =>
          event.type === "not-evaluated" && event.reason === "type-not-selected"
        ),
        none.stdout,
      );
      strictEqual(none.events.at(-1).iocs, 1);
      ok(!none.events.at(-1).collectors.includes("antivirus"), none.stdout);
      ok(
        !none.events.some((event) =>
          event.type === "finding" && event.kind.startsWith("antivirus")
        ),
      );
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
