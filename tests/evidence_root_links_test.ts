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
import { runCli } from "./_cli.ts";

const posix = Deno.build.os !== "windows";

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
      const registry = await runCli(["collect", "registry", "--root", outside, "--json"]);
      const registryEvents = registry.events;
      strictEqual(registryEvents.filter((e) => e.type === "item").length, 0, registry.stdout);
      const hiveSkip = registryEvents.find((e) => e.type === "skipped");
      strictEqual(hiveSkip?.reason, "symlink", registry.stdout);
      ok(String(hiveSkip?.detail).includes("outside the root"), registry.stdout);
      strictEqual(registry.code, 2, registry.stderr);

      const eventlog = await runCli(["collect", "eventlog", "--root", outside, "--json"]);
      const logEvents = eventlog.events;
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
      const viaFolder = await runCli(["collect", "eventlog", "--root", folderLink, "--json"]);
      strictEqual(
        viaFolder.events.filter((e) => e.type === "item").length,
        0,
        viaFolder.stdout,
      );

      const inside = await linkedImage(folder, "inside");
      const insideRegistry = await runCli(["collect", "registry", "--root", inside, "--json"]);
      strictEqual(insideRegistry.code, 0, insideRegistry.stdout + insideRegistry.stderr);
      ok(insideRegistry.events.some((e) => e.type === "item"), insideRegistry.stdout);
      const insideLog = await runCli(["collect", "eventlog", "--root", inside, "--json"]);
      strictEqual(insideLog.code, 0, insideLog.stdout + insideLog.stderr);
      strictEqual(
        insideLog.events.filter((e) => e.type === "item").length,
        1,
        insideLog.stdout,
      );
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
