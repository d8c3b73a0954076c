/**
 * The quarantine's crash safety: a child process quarantining files is killed (by the test hook
 * right after each journaled step, then by `kill -9` at random moments over 200 files of 1–4 MB),
 * the store is opened again (as every command does), and for every planted file exactly one of
 * these holds: the original is in place with its bytes, or an entry has a durable record and a
 * copy that restores to the same bytes. Never both missing.
 */
import { ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { QuarantineEntry } from "./contract.ts";
import { openQuarantineStore } from "./quarantine_store.ts";
import { QuarantineStep } from "./quarantine_steps.ts";
import { fileSha256, tempTree } from "./_quarantine_fixtures.ts";

const repo = new URL("../..", import.meta.url).pathname;
const driver = new URL("./_fault_driver.ts", import.meta.url).pathname;
const MB = 1024 * 1024;

interface Planted {
  readonly path: string;
  readonly sha256: string;
}

/** A seeded 4 MiB base; each file is a rotation of it with its index stamped in front. */
function makeBase(seed: number): Uint8Array {
  const base = new Uint8Array(4 * MB + 64);
  let state = seed >>> 0 || 1;
  const words = new Uint32Array(base.buffer, 0, base.length / 4);
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words[index] = state;
  }
  return base;
}

async function plant(folder: string, count: number, seed: number, minMb: number, maxMb: number) {
  const base = makeBase(seed);
  const planted: Planted[] = [];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0);
  for (let index = 0; index < count; index++) {
    const size = minMb * MB + (next() % ((maxMb - minMb) * MB));
    const offset = next() % 64;
    const bytes = base.slice(offset, offset + size);
    new DataView(bytes.buffer).setUint32(0, index, false);
    const path = join(folder, `planted-${String(index).padStart(3, "0")}.bin`);
    await Deno.writeFile(path, bytes);
    planted.push({ path, sha256: createHash("sha256").update(bytes).digest("hex") });
  }
  return planted;
}

function driverCommand(store: string, list: string, step?: number) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "-P=engine",
      driver,
      store,
      list,
      ...(step === undefined ? [] : [String(step)]),
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Opens the store (recovery runs) and checks every planted file: in place with its bytes and no
 * live entry, or gone with exactly one entry whose copy restores to its bytes (each entry's
 * restore checked once, into `scratch`).
 */
async function checkInvariant(
  store: string,
  planted: readonly Planted[],
  scratch: string,
  verified: Set<string>,
) {
  const opened = await openQuarantineStore({ dir: store });
  try {
    const entries = new Map<string, QuarantineEntry[]>();
    for (const entry of await opened.list()) {
      entries.set(entry.originalPath, [...(entries.get(entry.originalPath) ?? []), entry]);
    }
    let inPlace = 0;
    let quarantined = 0;
    for (const file of planted) {
      const present = await fileSha256(file.path);
      const live = (entries.get(file.path) ?? []).filter((entry) => entry.state !== "purged");
      if (present !== undefined) {
        strictEqual(present, file.sha256, `${file.path}: the original's bytes changed`);
        strictEqual(
          live.length,
          0,
          `${file.path} is in place and recorded: ${JSON.stringify(live.map((e) => e.state))}`,
        );
        inPlace++;
        continue;
      }
      strictEqual(live.length, 1, `${file.path} is gone and has ${live.length} entries`);
      const entry = live[0]!;
      ok(
        entry.state === "quarantined" || entry.state === "restored",
        `${file.path}: ${entry.state}`,
      );
      strictEqual(entry.sha256, file.sha256);
      if (!verified.has(entry.id)) {
        const to = join(scratch, entry.id);
        const restored = await opened.restore(entry.id, { to });
        strictEqual(restored.outcome, "restored", `${file.path}: ${restored.detail}`);
        strictEqual(
          await fileSha256(to),
          file.sha256,
          `${file.path}: the copy restores other bytes`,
        );
        await Deno.remove(to);
        verified.add(entry.id);
      }
      quarantined++;
    }
    const leftovers = (await Array.fromAsync(Deno.readDir(join(store, "objects"))))
      .filter((item) => item.name.endsWith(".tmp"));
    strictEqual(leftovers.length, 0, "temporary copies were left");
    return { inPlace, quarantined, recovery: opened.recovery };
  } finally {
    await opened.close();
  }
}

Deno.test("fault injection: killed right after each step, the store finishes or rolls back", async () => {
  for (let step = QuarantineStep.opened; step <= QuarantineStep.quarantined; step++) {
    const { root, cleanup } = await tempTree(`iocscan-qfault-${step}-`);
    try {
      const folder = join(root, "tree");
      const scratch = join(root, "scratch");
      await Deno.mkdir(folder);
      await Deno.mkdir(scratch);
      const planted = await plant(folder, 3, step, 1, 3);
      const list = join(root, "list.txt");
      await Deno.writeTextFile(list, planted.map((file) => file.path).join("\n") + "\n");
      const store = join(root, "store");
      const result = await driverCommand(store, list, step).output();
      strictEqual(
        result.signal,
        "SIGKILL",
        `step ${step}: ${new TextDecoder().decode(result.stderr)}`,
      );
      const { inPlace, quarantined, recovery } = await checkInvariant(
        store,
        planted,
        scratch,
        new Set(),
      );
      const finishes = step >= QuarantineStep.recorded;
      strictEqual(quarantined, finishes ? 1 : 0, `step ${step}`);
      strictEqual(inPlace, finishes ? 2 : 3, `step ${step}`);
      strictEqual(
        recovery.rolledBack.length,
        finishes ? 0 : 1,
        `step ${step}: ${JSON.stringify(recovery)}`,
      );
      strictEqual(
        recovery.finished.length,
        finishes && step < QuarantineStep.quarantined ? 1 : 0,
        `step ${step}: ${JSON.stringify(recovery)}`,
      );
      // The next run over the same files finishes the job.
      strictEqual((await driverCommand(store, list).output()).code, 0);
      const after = await checkInvariant(store, planted, scratch, new Set());
      strictEqual(after.quarantined, 3, `step ${step}: after a clean run`);
    } finally {
      await cleanup();
    }
  }
});

Deno.test("fault injection: kill -9 at random moments over 200 files of 1–4 MB", async () => {
  const { root, cleanup } = await tempTree("iocscan-qfault-random-");
  try {
    const folder = join(root, "tree");
    const scratch = join(root, "scratch");
    await Deno.mkdir(folder);
    await Deno.mkdir(scratch);
    const planted = await plant(folder, 200, 17, 1, 4);
    const store = join(root, "store");
    const list = join(root, "list.txt");
    const verified = new Set<string>();
    let seed = 4242;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const rounds = 6;
    let killed = 0;
    let recovered = 0;
    for (let round = 0; round <= rounds; round++) {
      const remaining: string[] = [];
      for (const file of planted) {
        if (await fileSha256(file.path) !== undefined) remaining.push(file.path);
      }
      if (remaining.length === 0) break;
      await Deno.writeTextFile(list, remaining.join("\n") + "\n");
      const child = driverCommand(store, list).spawn();
      if (round < rounds) {
        const delay = 300 + Math.floor(random() * 1500);
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // It finished first.
          }
        }, delay);
        const status = await child.output();
        clearTimeout(timer);
        if (status.signal === "SIGKILL") killed++;
      } else {
        const status = await child.output();
        strictEqual(status.code, 0, new TextDecoder().decode(status.stderr));
      }
      const state = await checkInvariant(store, planted, scratch, verified);
      recovered += state.recovery.finished.length + state.recovery.rolledBack.length;
      if (Deno.env.get("IOCSCAN_FAULT_VERBOSE")) console.log(round, state);
    }
    ok(killed >= 3, `only ${killed} runs were killed mid-way`);
    ok(recovered >= 2, `only ${recovered} interrupted operations were recovered: the kills missed`);
    const final = await checkInvariant(store, planted, scratch, verified);
    strictEqual(final.quarantined, planted.length);
  } finally {
    await cleanup();
  }
});

Deno.test("fault injection: killed after the record, a copy that no longer verifies is rolled back, the original kept", async () => {
  const { root, cleanup } = await tempTree("iocscan-qfault-corrupt-");
  try {
    const folder = join(root, "tree");
    await Deno.mkdir(folder);
    const [file] = await plant(folder, 1, 99, 1, 2);
    const list = join(root, "list.txt");
    await Deno.writeTextFile(list, `${file!.path}\n`);
    const store = join(root, "store");
    const result = await driverCommand(store, list, QuarantineStep.recorded).output();
    strictEqual(result.signal, "SIGKILL");
    const [copy] = (await Array.fromAsync(Deno.readDir(join(store, "objects")))).map((item) =>
      item.name
    );
    const bytes = await Deno.readFile(join(store, "objects", copy!));
    bytes[bytes.length - 5]! ^= 1;
    await Deno.writeFile(join(store, "objects", copy!), bytes);
    const opened = await openQuarantineStore({ dir: store });
    strictEqual(opened.recovery.rolledBack.length, 1);
    strictEqual((await opened.list()).length, 0);
    await opened.close();
    strictEqual(await fileSha256(file!.path), file!.sha256);
  } finally {
    await cleanup();
  }
});
