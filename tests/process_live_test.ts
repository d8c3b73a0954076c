/**
 * The process collector on this machine, for real: the test starts processes
 * with known names, arguments, an open file, a named FIFO, a listening and a
 * connected loopback socket, one in a child network namespace (`unshare
 * -rn`), then reads them back through the real CLI (`collect process
 * --json`, `scan`) in a child process, since the `test` permission set
 * cannot read `/proc`. It also runs the CLI as `nobody`, where root's
 * processes are skipped as unreadable and the scan is incomplete, not clean.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { nobodyUnavailable, prepareNobodyRun, skipNobodyRun } from "./_nobody_run.ts";

const linux = Deno.build.os === "linux";

interface Started {
  readonly child: Deno.ChildProcess;
  readonly pid: number;
}

function start(command: string, args: string[]): Started {
  const child = new Deno.Command(command, { args, stdin: "null", stdout: "piped", stderr: "null" })
    .spawn();
  return { child, pid: child.pid };
}

/** Waits until `/proc/<pid>/exe` names `program` (bash has exec'd, unshare has run its command). */
async function settled(pid: number, program: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const output = await new Deno.Command("readlink", { args: [`/proc/${pid}/exe`] }).output();
    if (new TextDecoder().decode(output.stdout).trim().endsWith(`/${program}`)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`pid ${pid} did not become ${program}`);
}

async function stop(started: readonly Started[]): Promise<void> {
  for (const { child } of started) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
}

/** A holder program: opens a file and a FIFO, listens and connects on loopback, then waits. */
const holderProgram = (held: string, fifo: string) => `
const file = await Deno.open(${JSON.stringify(held)}, { read: true });
const fifo = await Deno.open(${JSON.stringify(fifo)}, { read: true, write: true });
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
const server = await listener.accept();
console.log("ready");
setInterval(() => [file, fifo, client, server], 1 << 30);
`;

async function sha256Of(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

function itemsByPid(events: LooseEvent[]): Map<number, LooseEvent> {
  return new Map(
    events.filter((event) => event.type === "item").map((event) => [event.fields.pid, event]),
  );
}

function ioc(id: string, items: string, operator = "AND"): string {
  return `<?xml version="1.0" encoding="us-ascii"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-07T00:00:00">
  <short_description>${id}</short_description>
  <definition><Indicator operator="${operator}" id="${id}-top">${items}</Indicator></definition>
</ioc>`;
}

function item(id: string, search: string, condition: string, value: string): string {
  return `<IndicatorItem id="${id}" condition="${condition}" negate="false" preserve-case="false">` +
    `<Context document="ProcessItem" search="${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
}

Deno.test({
  name: "collect process --json reads the test's own processes field by field",
  ignore: !linux,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-process-live-" });
    const started: Started[] = [];
    try {
      const marker = `${Date.now() % 100000}.${Math.floor(Math.random() * 1000)}`;
      const held = join(folder, "held file.txt");
      const fifo = join(folder, "named.fifo");
      await Deno.writeTextFile(held, "held\n");
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      ok(made.success, "mkfifo");
      const sleepPath = Deno.realPathSync(
        new TextDecoder().decode(
          (await new Deno.Command("sh", { args: ["-c", "command -v sleep"] }).output()).stdout,
        ).trim(),
      );
      // A sleep holding the file on fd 3 and the FIFO on fd 4 (bash opens them, then execs).
      const sleeper = start("bash", [
        "-c",
        `exec 3<"$1" 4<>"$2"; exec sleep "$3"`,
        "bash",
        held,
        fifo,
        `1${marker}`,
      ]);
      started.push(sleeper);
      await settled(sleeper.pid, "sleep");
      // The holder: Deno itself, with an open file, a FIFO and loopback sockets.
      const script = join(folder, "holder.ts");
      await Deno.writeTextFile(script, holderProgram(held, fifo));
      const holder = start(Deno.execPath(), [
        "run",
        "-A",
        "--no-config",
        script,
        `--marker=${marker}`,
      ]);
      started.push(holder);
      const reader = holder.child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      strictEqual((await reader.read()).value?.trim(), "ready");
      reader.releaseLock();
      // A sleep in a child network namespace.
      const isolated = start("unshare", ["-rn", "sleep", `2${marker}`]);
      started.push(isolated);
      let namespaced = true;
      try {
        await settled(isolated.pid, "sleep");
      } catch {
        namespaced = false;
        console.warn(
          "SKIPPED in part: unshare -rn did not run here, no namespaced process checked",
        );
      }

      const before = Date.now();
      const output = await runCli<LooseEvent>(["collect", "process", "--json"], {
        deadlineMs: 120_000,
      });
      ok([0, 3].includes(output.code), `exit ${output.code}: ${output.stderr}`);
      const byPid = itemsByPid(output.events);

      const sleep = byPid.get(sleeper.pid);
      ok(sleep, `pid ${sleeper.pid} not collected`);
      const fields = sleep.fields;
      strictEqual(fields.name, "sleep");
      strictEqual(fields.path, sleepPath.slice(0, sleepPath.lastIndexOf("/")));
      strictEqual(fields.arguments, `sleep 1${marker}`);
      strictEqual(fields.cmdLine, `sleep 1${marker}`);
      strictEqual(fields.parentpid, Deno.pid);
      strictEqual(fields.ParentProcessName, "deno");
      strictEqual(fields.Username, "root");
      strictEqual(fields.SecurityID, "0");
      const startTime = Date.parse(fields.startTime);
      ok(Math.abs(startTime - before) < 60_000, `startTime ${fields.startTime}`);
      ok(/^PT[\d.]+S$/.test(fields.kernelTime) && /^PT[\d.]+S$/.test(fields.userTime));
      strictEqual(fields.sha256sum, await sha256Of(sleepPath));
      strictEqual(sleep.key, `pid ${sleeper.pid} sleep 1${marker}`);
      strictEqual(fields.DllPath[0], sleepPath);
      ok(fields.DllPath.some((path: string) => /\/libc[.-]/.test(path)), fields.DllPath.join(" "));
      const handles: { Name: string; Type: string; FileDescriptor: number; INode?: number }[] =
        fields.HandleList.Handle;
      const heldInode = (await Deno.stat(held)).ino;
      deepStrictEqual(handles.find((handle) => handle.FileDescriptor === 3), {
        Name: held,
        Type: "File",
        FileDescriptor: 3,
        INode: heldInode,
      });
      deepStrictEqual(handles.find((handle) => handle.FileDescriptor === 4), {
        Name: fifo,
        Type: "Fifo",
        FileDescriptor: 4,
        INode: (await Deno.stat(fifo)).ino,
      });

      const deno = byPid.get(holder.pid);
      ok(deno, `pid ${holder.pid} not collected`);
      strictEqual(deno.fields.name, Deno.execPath().slice(Deno.execPath().lastIndexOf("/") + 1));
      ok(deno.fields.arguments.endsWith(`--marker=${marker}`), deno.fields.arguments);
      const denoHandles: { Name: string; Type: string }[] = deno.fields.HandleList.Handle;
      ok(denoHandles.some((handle) => handle.Name === held && handle.Type === "File"));
      ok(denoHandles.some((handle) => handle.Name === fifo && handle.Type === "Fifo"));
      // The listener, the client and the accepted socket.
      ok(
        denoHandles.filter((handle) =>
          /^socket:\[\d+\]$/.test(handle.Name) && handle.Type === "Socket"
        )
          .length >= 3,
        JSON.stringify(denoHandles),
      );

      if (namespaced) {
        const inside = byPid.get(isolated.pid);
        ok(inside, "the process in a child network namespace is listed");
        strictEqual(inside.fields.name, "sleep");
        strictEqual(inside.fields.arguments, `sleep 2${marker}`);
      }
      const summary = output.events.find((event) => event.type === "summary");
      strictEqual(summary?.stats?.source, "proc");
    } finally {
      await stop(started);
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name: "iocscan scan detects the test's own process by name, arguments and an open file",
  ignore: !linux,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-process-scan-" });
    const started: Started[] = [];
    try {
      const marker = `${Date.now() % 100000}.${Math.floor(Math.random() * 1000)}`;
      const held = join(folder, `evidence-${marker}.log`);
      await Deno.writeTextFile(held, "x\n");
      const sleeper = start("bash", [
        "-c",
        `exec 3<"$1"; exec sleep "$2"`,
        "bash",
        held,
        `3${marker}`,
      ]);
      started.push(sleeper);
      await settled(sleeper.pid, "sleep");
      const iocFile = join(folder, "process.ioc");
      await Deno.writeTextFile(
        iocFile,
        ioc(
          "proc-live",
          item("n", "ProcessItem/name", "is", "sleep") +
            item("a", "ProcessItem/arguments", "contains", `3${marker}`) +
            item("h", "ProcessItem/HandleList/Handle/Name", "contains", `evidence-${marker}`),
        ),
      );
      const output = await runCli<LooseEvent>(
        ["scan", "--ioc", iocFile, "--db", join(folder, "results.db"), "--json"],
        { deadlineMs: 120_000 },
      );
      const detections = output.events.filter((event) => event.type === "detection");
      strictEqual(detections.length, 1, output.stderr);
      const evidence = detections[0].evidence;
      deepStrictEqual(evidence.map((entry: LooseEvent) => entry.object), [
        `pid ${sleeper.pid} sleep 3${marker}`,
      ]);
      deepStrictEqual(
        evidence[0].items.map((entry: LooseEvent) => [entry.search, entry.observed]),
        [
          ["ProcessItem/name", "sleep"],
          ["ProcessItem/arguments", `sleep 3${marker}`],
          ["ProcessItem/HandleList/Handle/Name", held],
        ],
      );
      strictEqual(output.code, 1);
    } finally {
      await stop(started);
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "as nobody: root's processes are skipped as unreadable and the scan is incomplete, not clean",
  ignore: !linux,
  async fn() {
    const unavailable = await nobodyUnavailable();
    if (unavailable !== undefined) {
      skipNobodyRun(unavailable);
      return;
    }
    const { folder, deno, bundle, home } = await prepareNobodyRun(
      "iocscan-process-nobody-",
      join(import.meta.dirname!, "..", "cli", "main.ts"),
    );
    const started: Started[] = [];
    try {
      const marker = `${Date.now() % 100000}.${Math.floor(Math.random() * 1000)}`;
      const rootSleep = start("sleep", [`4${marker}`]);
      started.push(rootSleep);
      const ownSleep = start("setpriv", [
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "sleep",
        `5${marker}`,
      ]);
      started.push(ownSleep);
      await settled(rootSleep.pid, "sleep");
      await new Promise((resolve) => setTimeout(resolve, 200));
      const iocFile = join(folder, "nothing.ioc");
      await Deno.writeTextFile(
        iocFile,
        ioc("nobody", item("n", "ProcessItem/name", "is", `no-such-${marker}`)),
      );
      await Deno.chmod(iocFile, 0o644);
      const asNobody = (args: string[]) =>
        runProgram<LooseEvent>(
          "setpriv",
          [
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            deno,
            "run",
            "-q",
            "-A",
            bundle,
            ...args,
          ],
          { cwd: home, env: { DENO_DIR: join(home, "deno-dir"), HOME: home }, deadlineMs: 120_000 },
        );
      const collected = await asNobody(["collect", "process", "--json"]);
      if (collected.events.length === 0) {
        console.warn(
          `SKIPPED: deno does not run as nobody here: ${collected.stderr.slice(0, 300)}`,
        );
        return;
      }
      strictEqual(collected.code, 3, "objects were skipped: incomplete");
      const byPid = itemsByPid(collected.events);
      const skips = collected.events.filter((event) => event.type === "skipped");
      const rootSkip = skips.find((event) => event.object === `pid ${rootSleep.pid} sleep`);
      ok(rootSkip, `no skip for root's sleep: ${JSON.stringify(skips.slice(0, 3))}`);
      strictEqual(rootSkip.reason, "unreadable");
      ok(rootSkip.detail.includes(`/proc/${rootSleep.pid}/exe`));
      // What nobody may read of it is still there: its name (comm) and command line.
      ok(byPid.get(rootSleep.pid)?.fields.arguments.endsWith(`sleep 4${marker}`));
      // nobody's own process is read in full.
      const own = byPid.get(ownSleep.pid);
      strictEqual(own?.fields.name, "sleep");
      strictEqual(own?.fields.Username, "nobody");
      ok(own?.fields.path);
      ok(!skips.some((event) => event.object.startsWith(`pid ${ownSleep.pid} `)));

      const scanned = await asNobody([
        "scan",
        "--ioc",
        iocFile,
        "--db",
        join(home, "r.db"),
        "--json",
      ]);
      strictEqual(
        scanned.code,
        3,
        `a scan blind to some processes is incomplete: ${scanned.stderr}`,
      );
      const summary = scanned.events.find((event) => event.type === "summary");
      strictEqual(summary?.complete, false);
    } finally {
      await stop(started);
      await Deno.remove(folder, { recursive: true });
    }
  },
});
