/**
 * The quarantine of a detected process's image, for real (docs/actions.md): the test starts a
 * renamed copy of `sleep`, an IOC names the process, and `scan --action quarantine` quarantines
 * the copy (the image), saying the process still runs from the deleted file; with `--terminate`
 * the process is stopped first. Linux only (the process collector reads `/proc`).
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";

const linux = Deno.build.os === "linux";

async function withSleeper(
  name: string,
  body: (
    dir: string,
    image: string,
    pid: number,
    running: (waitMs: number) => Promise<boolean>,
  ) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-quarantine-process-" });
  const image = join(dir, name);
  await Deno.copyFile("/bin/sleep", image);
  await Deno.chmod(image, 0o755);
  const child = new Deno.Command(image, { args: ["300"], stdin: "null", stdout: "null" }).spawn();
  try {
    for (let tries = 0; tries < 100; tries++) {
      const exe = await Deno.readLink(`/proc/${child.pid}/exe`).catch(() => "");
      if (exe === image) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    let exited = false;
    child.status.then(() => exited = true);
    // Whether the child still runs after waiting up to `waitMs` for it to exit.
    const running = async (waitMs: number) => {
      for (let waited = 0; waited < waitMs && !exited; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return !exited;
    };
    await body(dir, image, child.pid, running);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // Stopped by the test already.
    }
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
}

function scan(dir: string, name: string, ...more: string[]) {
  const ioc = join(dir, "process.ioc");
  return Deno.writeTextFile(
    ioc,
    oneItemIoc("sleeper", "ProcessItem", "ProcessItem/name", "is", "string", name),
  ).then(() =>
    runCli<LooseEvent>([
      "scan",
      "--ioc",
      ioc,
      "--db",
      join(dir, "results.db"),
      "--action",
      "quarantine",
      "--quarantine-dir",
      join(dir, "quarantine"),
      "--json",
      ...more,
    ])
  );
}

Deno.test({
  name:
    "scan --action quarantine on a detected process quarantines its image; the event says it still runs",
  ignore: !linux,
  async fn() {
    await withSleeper("qsleeper-a", async (dir, image, pid, running) => {
      const run = await scan(dir, "qsleeper-a");
      strictEqual(run.code, 1, run.stderr);
      const events = run.events.filter((event) => event.type === "action");
      strictEqual(events.length, 1, JSON.stringify(events));
      strictEqual(events[0].object, image);
      strictEqual(events[0].outcome, "quarantined", JSON.stringify(events[0]));
      ok(String(events[0].detail).includes(`running process(es) ${pid}`), events[0].detail);
      strictEqual(await Deno.lstat(image).then(() => true, () => false), false);
      ok(await running(200), "the process keeps running from the deleted image");
    });
  },
});

Deno.test({
  name: "scan --action quarantine --terminate stops the process before deleting its image",
  ignore: !linux,
  async fn() {
    await withSleeper("qsleeper-b", async (dir, image, _pid, running) => {
      const run = await scan(dir, "qsleeper-b", "--terminate");
      strictEqual(run.code, 1, run.stderr);
      const events = run.events.filter((event) => event.type === "action");
      strictEqual(events[0]?.object, image);
      strictEqual(events[0]?.outcome, "quarantined", JSON.stringify(events));
      strictEqual(await Deno.lstat(image).then(() => true, () => false), false);
      strictEqual(await running(2000), false, "the process was stopped");
    });
  },
});
