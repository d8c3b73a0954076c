/**
 * Set-id bits on restore belong to the recorded owner: when the owner cannot be re-applied (a
 * file system or a user namespace that refuses the `chown`), the file stays the restorer's and
 * must not get the set-uid/set-gid bits meant for another owner. Run in a user namespace
 * (`unshare -U -r`), where root cannot give a file to an unmapped uid.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tempTree } from "./_quarantine_fixtures.ts";

async function namespacesWork(): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  try {
    const { success } = await new Deno.Command("unshare", {
      args: ["-U", "-r", "true"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const available = await namespacesWork();
if (!available) console.warn("set_id_restore_test: unshare -U -r does not work here; skipped");

Deno.test({
  name: "restore: set-id bits are not re-applied when the owner could not be",
  ignore: !available,
  async fn() {
    const { root, cleanup } = await tempTree("iocscan-qsetid-");
    try {
      const file = join(root, "restored");
      await Deno.writeFile(file, new Uint8Array([1, 2, 3]));
      const script = join(root, "apply.ts");
      const platform = pathToFileURL(join(import.meta.dirname!, "linux_platform.ts")).href;
      await Deno.writeTextFile(
        script,
        `import { linuxQuarantinePlatform } from ${JSON.stringify(platform)};
const notes = await linuxQuarantinePlatform().applyMetadata(Deno.args[0], {
  kind: "linux", uid: 4242, gid: 4242, mode: 0o6755,
  accessed: "2021-01-01T00:00:00.000000000Z", modified: "2021-01-01T00:00:00.000000000Z",
  changed: "2021-01-01T00:00:00.000000000Z", xattrs: [],
  flags: { immutable: false, appendOnly: false },
}, []);
console.log(JSON.stringify(notes));`,
      );
      const result = await new Deno.Command("unshare", {
        args: ["-U", "-r", Deno.execPath(), "run", "-q", "-A", "--no-lock", script, file],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      strictEqual(result.code, 0, stderr);
      const notes = JSON.parse(new TextDecoder().decode(result.stdout)) as string[];
      ok(notes.some((note) => note.includes("owner")), JSON.stringify(notes));
      const info = await Deno.stat(file);
      strictEqual(info.uid, Deno.uid(), "the owner was not changed");
      strictEqual(
        (info.mode ?? 0) & 0o7777,
        0o755,
        `mode 0${((info.mode ?? 0) & 0o7777).toString(8)}`,
      );
      ok(notes.some((note) => note.includes("set-id")), JSON.stringify(notes));
    } finally {
      await cleanup();
    }
  },
});
