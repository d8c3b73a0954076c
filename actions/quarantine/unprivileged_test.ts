/**
 * Quarantine run by an unprivileged user (`nobody`, through `setpriv`): a file in a root-owned
 * folder it cannot write cannot be deleted → `failed: permission`, with the verified copy kept
 * and the entry in state `kept-original`; a file it cannot read → `failed: permission` with
 * nothing stored. Neither file is lost.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { QuarantineEntry, QuarantineOutcome } from "./contract.ts";
import { fileSha256, seededBytes, sha256 } from "./_quarantine_fixtures.ts";
import { nobodyUnavailable, prepareNobodyRun, skipNobodyRun } from "../../tests/_nobody_run.ts";

Deno.test({
  name: "as nobody: an undeletable file fails with permission, its copy kept consistently",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const unavailable = await nobodyUnavailable();
    if (unavailable !== undefined) {
      skipNobodyRun(unavailable);
      return;
    }
    const { folder, deno, bundle, home } = await prepareNobodyRun(
      "iocscan-qnobody-",
      join(import.meta.dirname!, "_fault_driver.ts"),
    );
    try {
      // A root-owned folder nobody may read but not write: its files cannot be unlinked.
      const locked = join(folder, "locked");
      await Deno.mkdir(locked);
      await Deno.chmod(locked, 0o755);
      const readable = join(locked, "readable.bin");
      await Deno.writeFile(readable, seededBytes(1, 300_000));
      await Deno.chmod(readable, 0o644);
      const unreadable = join(locked, "unreadable.bin");
      await Deno.writeFile(unreadable, seededBytes(2, 1000));
      await Deno.chmod(unreadable, 0o600);
      const list = join(folder, "list.txt");
      await Deno.writeTextFile(list, `${readable}\n${unreadable}\n`);
      await Deno.chmod(list, 0o644);
      const result = await new Deno.Command("setpriv", {
        args: [
          "--reuid=nobody",
          "--regid=nogroup",
          "--clear-groups",
          deno,
          "run",
          "-q",
          "-A",
          bundle,
          join(home, "store"),
          list,
        ],
        cwd: home,
        env: { DENO_DIR: join(home, "deno-dir"), HOME: home },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const lines = new TextDecoder().decode(result.stdout).split("\n").filter((line) =>
        line !== ""
      );
      if (lines.length === 0) {
        console.warn(
          `SKIPPED: deno does not run as nobody here: ${
            new TextDecoder().decode(result.stderr).slice(0, 300)
          }`,
        );
        return;
      }
      strictEqual(result.code, 0, new TextDecoder().decode(result.stderr));
      const outcomes = lines.map((line) => JSON.parse(line)) as (
        & Partial<QuarantineOutcome>
        & { entries?: QuarantineEntry[] }
      )[];
      const byPath = new Map(
        outcomes.filter((item) => item.path !== undefined).map((item) => [item.path, item]),
      );
      const entries = outcomes.find((item) => item.entries !== undefined)?.entries ?? [];

      const kept = byPath.get(readable);
      strictEqual(kept?.outcome, "failed", JSON.stringify(kept));
      strictEqual(kept?.reason, "permission", kept?.detail);
      ok(kept?.detail?.includes("the copy is kept"), kept?.detail);
      strictEqual(
        await fileSha256(readable),
        sha256(seededBytes(1, 300_000)),
        "the original is intact",
      );
      strictEqual(entries.length, 1, JSON.stringify(entries));
      strictEqual(entries[0]?.id, kept?.entryId);
      strictEqual(entries[0]?.state, "kept-original");
      strictEqual(entries[0]?.sha256, sha256(seededBytes(1, 300_000)));
      ok(
        (await Deno.stat(join(home, "store", "objects", `${kept?.entryId}.bin`))).isFile,
        "the copy is kept",
      );

      const denied = byPath.get(unreadable);
      strictEqual(denied?.outcome, "failed", JSON.stringify(denied));
      strictEqual(denied?.reason, "permission", denied?.detail);
      strictEqual(denied?.entryId, undefined);
      strictEqual(await fileSha256(unreadable), sha256(seededBytes(2, 1000)));
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
