/**
 * Evidence below a `--root` stays below it: a hive or an event log (or a
 * folder on the way to them) that is a symbolic link leading out of the
 * mounted image is not read, through the real CLI. An image is shaped by
 * whoever controlled the machine; a link from it must not make a root-run
 * scan read the analyst's own files and report them as the case's evidence.
 * Links that stay inside the root are read as before.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildEvtx, element } from "../formats/evtx/_fixtures.ts";
import { buildHive } from "../formats/regf/hive_builder.ts";
import { repositoryRoot } from "./corpus.ts";

const posix = Deno.build.os !== "windows";

async function iocscan(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-P=engine", join(repositoryRoot, "cli", "main.ts"), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

function events(stdout: string): Record<string, unknown>[] {
  return stdout.trimEnd().split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/** An image root whose hive and event log are links; `outside` holds their targets. */
async function linkedImage(folder: string, targets: "outside" | "inside"): Promise<string> {
  const root = join(folder, `image-${targets}`);
  const config = join(root, "Windows", "System32", "config");
  const logs = join(root, "Windows", "System32", "winevt", "Logs");
  await Deno.mkdir(config, { recursive: true });
  await Deno.mkdir(logs, { recursive: true });
  const store = targets === "outside" ? join(folder, "host") : join(root, "copies");
  await Deno.mkdir(store, { recursive: true });
  await Deno.writeFile(
    join(store, "SYSTEM"),
    buildHive({ name: "ROOT", subkeys: [{ name: "Host" }] }).bytes,
  );
  await Deno.writeFile(
    join(store, "Security.evtx"),
    buildEvtx({
      template: element("Event", [], [
        ...element("System", [], [
          ...element("EventID", [], [{ text: "4624" }]),
          ...element("Channel", [], [{ text: "Security" }]),
          ...element("EventRecordID", [], [{ sub: 0, type: 0x0a }]),
        ]),
      ]),
      records: [{
        id: 1,
        writtenMs: Date.UTC(2026, 0, 1),
        values: [{ type: 0x0a, bytes: new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]) }],
      }],
    }),
  );
  await Deno.symlink(join(store, "SYSTEM"), join(config, "SYSTEM"));
  await Deno.symlink(join(store, "Security.evtx"), join(logs, "Security.evtx"));
  return root;
}

Deno.test({
  name:
    "iocscan collect reads no hive or event log that a link leads out of --root, and still reads links inside it",
  ignore: !posix,
  fn: async () => {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-rootlinks-" });
    try {
      const outside = await linkedImage(folder, "outside");
      const registry = await iocscan(["collect", "registry", "--root", outside, "--json"]);
      const registryEvents = events(registry.stdout);
      strictEqual(registryEvents.filter((e) => e.type === "item").length, 0, registry.stdout);
      const hiveSkip = registryEvents.find((e) => e.type === "skipped");
      strictEqual(hiveSkip?.reason, "symlink", registry.stdout);
      ok(String(hiveSkip?.detail).includes("outside the root"), registry.stdout);
      strictEqual(registry.code, 2, registry.stderr);

      const eventlog = await iocscan(["collect", "eventlog", "--root", outside, "--json"]);
      const logEvents = events(eventlog.stdout);
      strictEqual(logEvents.filter((e) => e.type === "item").length, 0, eventlog.stdout);
      const logSkip = logEvents.find((e) => e.type === "skipped");
      strictEqual(logSkip?.reason, "symlink", eventlog.stdout);
      ok(String(logSkip?.detail).includes("outside the root"), eventlog.stdout);

      // The event-log folder itself leading out of the image.
      const folderLink = join(folder, "image-folder-link");
      await Deno.mkdir(join(folderLink, "Windows", "System32", "winevt"), { recursive: true });
      await Deno.symlink(
        join(folder, "host"),
        join(folderLink, "Windows", "System32", "winevt", "Logs"),
      );
      const viaFolder = await iocscan(["collect", "eventlog", "--root", folderLink, "--json"]);
      strictEqual(
        events(viaFolder.stdout).filter((e) => e.type === "item").length,
        0,
        viaFolder.stdout,
      );

      const inside = await linkedImage(folder, "inside");
      const insideRegistry = await iocscan(["collect", "registry", "--root", inside, "--json"]);
      strictEqual(insideRegistry.code, 0, insideRegistry.stdout + insideRegistry.stderr);
      ok(events(insideRegistry.stdout).some((e) => e.type === "item"), insideRegistry.stdout);
      const insideLog = await iocscan(["collect", "eventlog", "--root", inside, "--json"]);
      strictEqual(insideLog.code, 0, insideLog.stdout + insideLog.stderr);
      strictEqual(
        events(insideLog.stdout).filter((e) => e.type === "item").length,
        1,
        insideLog.stdout,
      );
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
