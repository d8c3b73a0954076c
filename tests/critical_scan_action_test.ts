/**
 * `scan --action critical-scan` on this machine, for real (docs/actions.md, docs/critical-scan.md):
 * the same run scans its file scope for the IOCs and also sweeps the critical areas; with
 * `--action quarantine` as well, a detected running image is quarantined by its real path, a
 * deleted one is refused (`image-unknown`, saying it was deleted), and the scope's file is
 * quarantined too. One stored run holds it all (`results --run`). Through the real CLI in a child
 * process (the `test` permission set cannot read `/proc`).
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";

const linux = Deno.build.os === "linux";
if (!linux) console.error("\n*** SKIPPING scan --action critical-scan: Linux only ***\n");

/** A copy of `source` with unique bytes appended (still runs: ELF ignores trailing data). */
async function plantCopy(source: string, target: string): Promise<Uint8Array> {
  const bytes = new Uint8Array([
    ...await Deno.readFile(source),
    ...new TextEncoder().encode(`iocscan-planted-${crypto.randomUUID()}`),
  ]);
  await Deno.writeFile(target, bytes, { mode: 0o755 });
  return bytes;
}

function md5(bytes: Uint8Array | string): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** Starts the planted image and waits until /proc shows it running that file. */
async function run(image: string): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(image, { args: ["600"], stdout: "null", stderr: "null" }).spawn();
  for (let tries = 0; tries < 100; tries++) {
    if (await Deno.readLink(`/proc/${child.pid}/exe`).catch(() => "") === image) break;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return child;
}

Deno.test({
  name:
    "scan --action critical-scan quarantine: the scope and the critical areas in one run; a running image quarantined by its path, a deleted one refused",
  ignore: !linux,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-critical-action-" });
    const children: Deno.ChildProcess[] = [];
    try {
      const kept = join(folder, "bin", `iocscan-kept-${Date.now() % 100000}`);
      const gone = join(folder, "bin", `iocscan-gone-${Date.now() % 100000}`);
      await Deno.mkdir(join(folder, "bin"));
      const keptBytes = await plantCopy("/usr/bin/sleep", kept);
      const goneBytes = await plantCopy("/usr/bin/sleep", gone);
      const keptChild = await run(kept);
      const goneChild = await run(gone);
      children.push(keptChild, goneChild);
      await Deno.remove(gone);
      const scope = join(folder, "scope");
      await Deno.mkdir(scope);
      const note = "a file the IOCs select on their own\n";
      await Deno.writeTextFile(join(scope, "note.txt"), note);
      const iocs = join(folder, "iocs");
      await Deno.mkdir(iocs);
      for (
        const [id, sum] of [["kept", md5(keptBytes)], ["gone", md5(goneBytes)], [
          "note",
          md5(note),
        ]]
      ) {
        await Deno.writeTextFile(
          join(iocs, `${id}.ioc`),
          oneItemIoc(`planted-${id}`, "FileItem", "FileItem/Md5sum", "is", "md5", sum!),
        );
      }
      const db = join(folder, "results.db");
      const scan = await runCli<LooseEvent>([
        "scan",
        "--ioc",
        iocs,
        "--scope",
        scope,
        "--db",
        db,
        "--json",
        "--action",
        "critical-scan",
        "quarantine",
        "--antivirus",
        "none",
        "--quarantine-dir",
        join(folder, "quarantine"),
      ], { deadlineMs: 900_000 });
      strictEqual(scan.code, 1, scan.stderr);
      const summary = scan.events.at(-1);
      strictEqual(summary.type, "summary");
      for (const collector of ["file", "process-modules", "driver", "autoruns", "disk"]) {
        ok(summary.collectors.includes(collector), `${collector} ran: ${summary.collectors}`);
      }
      const detected = scan.events.filter((event) => event.type === "detection")
        .map((event) => event.ioc.id).sort();
      deepStrictEqual(detected, ["planted-gone", "planted-kept", "planted-note"]);
      const actions = scan.events.filter((event) => event.type === "action");
      const byObject = new Map(actions.map((event) => [event.object, event]));
      strictEqual(byObject.get(join(scope, "note.txt"))?.outcome, "quarantined");
      strictEqual(byObject.get(kept)?.outcome, "quarantined", JSON.stringify(actions));
      ok(!(await Deno.stat(kept).then(() => true, () => false)), "the running image is gone");
      const refused = actions.find((event) => String(event.object).startsWith(`${gone} (deleted)`));
      strictEqual(refused?.outcome, "refused", JSON.stringify(actions));
      strictEqual(refused?.reason, "image-unknown");
      ok(/deleted/.test(refused?.detail), refused?.detail);

      const shown = await runCli<LooseEvent>([
        "results",
        "--db",
        db,
        "--run",
        String(summary.runId),
        "--json",
      ]);
      strictEqual(shown.code, 0, shown.stderr);
      strictEqual(
        shown.events.filter((event) => event.type === "detection").length,
        detected.length,
      );
      strictEqual(shown.events.filter((event) => event.type === "action").length, actions.length);
    } finally {
      for (const child of children) {
        try {
          child.kill("SIGKILL");
        } catch {
          // gone
        }
        await child.status;
      }
      await Deno.remove(folder, { recursive: true });
    }
  },
});
