/**
 * The port collector on this Linux host, for real: the test starts its own
 * loopback listeners and connection (tests/_port_holder.ts), one in the
 * scanner's network namespace and one in a child namespace (`unshare -rn`,
 * unprivileged), then runs the real CLI (`collect port --json` and
 * `scan --ioc … --json`, under the `engine` permission set, since Deno reads
 * /proc only with every permission) and checks the objects field by field and
 * the detections' evidence. Linux only; skipped loudly elsewhere and where a
 * child namespace cannot be made.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { dirname, join } from "node:path";
import { item11 } from "../openioc/_ioc_fixtures.ts";
import { type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

const holderScript = join(repositoryRoot, "tests", "_port_holder.ts");

interface Held {
  pid: number;
  listenPort: number;
  listenPort6: number | null;
  clientPort: number;
  namespace: string;
  exe: string;
}

interface Holder {
  held: Held;
  stop(): Promise<void>;
}

/** Starts the holder (in a child network namespace with `unshare`), and reads what it holds. */
async function startHolder(inChildNamespace: boolean): Promise<Holder> {
  const deno = [Deno.execPath(), "run", "-A", holderScript];
  const [command, args] = inChildNamespace
    ? ["unshare", ["-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "holder", ...deno]]
    : [deno[0]!, deno.slice(1)];
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  const stop = async () => {
    await child.stdin.close().catch(() => {});
    await reader.cancel().catch(() => {});
    const status = await child.status;
    await stderr;
    ok(status.code === 0 || status.signal !== null, `holder ended with ${status.code}`);
  };
  if (!text.includes("\n")) {
    await stop().catch(() => {});
    throw new Error(`the holder printed nothing: ${await stderr}`);
  }
  return { held: JSON.parse(text.split("\n")[0]!) as Held, stop };
}

const onLinux = Deno.build.os === "linux";
const namespaceProblem = onLinux ? await childNamespaceProblem() : "not Linux";
if (namespaceProblem) {
  console.warn(`port_live_test: child-namespace cases skipped: ${namespaceProblem}`);
}

async function childNamespaceProblem(): Promise<string | undefined> {
  try {
    const output = await new Deno.Command("unshare", { args: ["-rn", "true"], stderr: "piped" })
      .output();
    return output.success
      ? undefined
      : `unshare -rn failed: ${new TextDecoder().decode(output.stderr)}`;
  } catch (error) {
    return `unshare could not run: ${(error as Error).message}`;
  }
}

type Item = { document: string; key: string; fields: Record<string, unknown> };

async function collectPorts(): Promise<{ items: Item[]; events: LooseEvent[]; code: number }> {
  const output = await runCli<LooseEvent>(["collect", "port", "--json"]);
  const items = output.events.filter((event) => event.type === "item") as Item[];
  ok(items.length > 0, output.stderr);
  return { items, events: output.events, code: output.code };
}

function find(items: Item[], test: (fields: Record<string, unknown>) => boolean): Item {
  const found = items.filter((item) => test(item.fields));
  strictEqual(found.length, 1, `expected one match among ${items.length} ports`);
  return found[0]!;
}

Deno.test({
  name: "collect port --json shows the test's own listeners and connection, field by field",
  ignore: !onLinux,
  async fn() {
    const holder = await startHolder(false);
    try {
      const { held } = holder;
      const { items } = await collectPorts();
      const image = { process: "deno", path: dirname(held.exe) };
      const listener = find(
        items,
        (f) => f.localPort === held.listenPort && f.state === "LISTENING",
      );
      deepStrictEqual(listener.fields, {
        protocol: "TCP",
        localIP: "127.0.0.1",
        localPort: held.listenPort,
        isIPv6: false,
        remoteIP: "0.0.0.0",
        remotePort: 0,
        state: "LISTENING",
        pid: held.pid,
        ...image,
      });
      strictEqual(
        listener.key,
        `127.0.0.1:${held.listenPort} → 0.0.0.0:0 LISTENING (pid ${held.pid} deno)`,
      );
      const connection = find(items, (f) => f.localPort === held.clientPort);
      deepStrictEqual(connection.fields, {
        protocol: "TCP",
        localIP: "127.0.0.1",
        localPort: held.clientPort,
        isIPv6: false,
        remoteIP: "127.0.0.1",
        remotePort: held.listenPort,
        state: "ESTABLISHED",
        pid: held.pid,
        ...image,
      });
      const accepted = find(
        items,
        (f) => f.localPort === held.listenPort && f.remotePort === held.clientPort,
      );
      strictEqual(accepted.fields.state, "ESTABLISHED");
      strictEqual(accepted.fields.pid, held.pid);
      if (held.listenPort6 === null) {
        console.warn("port_live_test: no IPv6 on loopback, the tcp6 case is not checked");
      } else {
        const six = find(items, (f) => f.localPort === held.listenPort6);
        strictEqual(six.fields.localIP, "::1");
        strictEqual(six.fields.isIPv6, true);
        strictEqual(six.fields.pid, held.pid);
        strictEqual(six.key, `[::1]:${held.listenPort6} → [::]:0 LISTENING (pid ${held.pid} deno)`);
      }
    } finally {
      await holder.stop();
    }
  },
});

Deno.test({
  name:
    "collect port --json finds a listener inside a child network namespace, naming the namespace",
  ignore: namespaceProblem !== undefined,
  async fn() {
    const holder = await startHolder(true);
    try {
      const { held } = holder;
      const { items } = await collectPorts();
      const listener = find(
        items,
        (f) =>
          f.localPort === held.listenPort && f.state === "LISTENING" &&
          f.networkNamespace === held.namespace,
      );
      strictEqual(listener.fields.pid, held.pid);
      strictEqual(listener.fields.state, "LISTENING");
      strictEqual(listener.fields.process, "deno");
      strictEqual(
        listener.key,
        `127.0.0.1:${held.listenPort} → 0.0.0.0:0 LISTENING (pid ${held.pid} deno) in ${held.namespace}`,
      );
    } finally {
      await holder.stop();
    }
  },
});

/** An IOC 1.1 file whose top OR holds an AND of `items`. */
function portIoc(id: string, items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top"><Indicator operator="AND" id="${id}-and">
    ${items.join("\n    ")}
  </Indicator></Indicator></criteria>
</OpenIOC>`;
}

Deno.test({
  name:
    "scan --ioc with PortItem IOCs detects the test's own sockets, here and in a child namespace",
  ignore: !onLinux,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-port-" });
    const here = await startHolder(false);
    const there = namespaceProblem === undefined ? await startHolder(true) : undefined;
    try {
      const iocs = join(folder, "iocs");
      await Deno.mkdir(iocs);
      const { held } = here;
      await Deno.writeTextFile(
        join(iocs, "connected.ioc"),
        portIoc("port-connected", [
          item11("c1", "contains", "PortItem/remoteIP", "127.0.0.", { contentType: "IP" }),
          item11("c2", "is", "PortItem/remotePort", String(held.listenPort), {
            contentType: "int",
          }),
          item11("c3", "is", "PortItem/pid", String(held.pid), { contentType: "int" }),
        ]),
      );
      await Deno.writeTextFile(
        join(iocs, "listening.ioc"),
        portIoc("port-listening", [
          item11("l1", "is", "PortItem/localPort", String(held.listenPort), { contentType: "int" }),
          item11("l2", "is", "PortItem/state", "LISTENING"),
        ]),
      );
      if (there) {
        await Deno.writeTextFile(
          join(iocs, "namespace.ioc"),
          portIoc("port-namespace", [
            item11("n1", "is", "PortItem/localPort", String(there.held.listenPort), {
              contentType: "int",
            }),
            item11("n2", "is", "PortItem/pid", String(there.held.pid), { contentType: "int" }),
            item11("n3", "is", "PortItem/state", "LISTENING"),
          ]),
        );
      }
      await Deno.writeTextFile(
        join(iocs, "absent.ioc"),
        portIoc("port-absent", [
          item11("a1", "contains", "PortItem/remoteIP", "103.41.124.", { contentType: "IP" }),
        ]),
      );
      const output = await runCli<LooseEvent>([
        "scan",
        "--ioc",
        iocs,
        "--db",
        join(folder, "results.db"),
        "--json",
      ]);
      const detections = output.events.filter((event) => event.type === "detection");
      const evidence = (id: string) =>
        detections.filter((event) => event.ioc.id === id)
          .flatMap((event) => event.evidence.map((entry: { object: string }) => entry.object));
      strictEqual(output.code, 1, output.stderr);
      deepStrictEqual(evidence("port-connected"), [
        `127.0.0.1:${held.clientPort} → 127.0.0.1:${held.listenPort} ESTABLISHED (pid ${held.pid} deno)`,
      ]);
      deepStrictEqual(evidence("port-listening"), [
        `127.0.0.1:${held.listenPort} → 0.0.0.0:0 LISTENING (pid ${held.pid} deno)`,
      ]);
      if (there) {
        deepStrictEqual(evidence("port-namespace"), [
          `127.0.0.1:${there.held.listenPort} → 0.0.0.0:0 LISTENING (pid ${there.held.pid} deno) in ${there.held.namespace}`,
        ]);
      }
      deepStrictEqual(evidence("port-absent"), []);
      const summary = output.events.find((event) => event.type === "summary");
      deepStrictEqual(summary.collectors, ["port"]);
      const evidenceEntry = detections[0].evidence[0];
      ok(!Number.isNaN(Date.parse(evidenceEntry.time)), "the evidence says when it was observed");
      strictEqual(evidenceEntry.computer, Deno.hostname());
    } finally {
      await here.stop();
      await there?.stop();
      await Deno.remove(folder, { recursive: true });
    }
  },
});

/**
 * The engine as `nobody` can run it: Deno's own binary lives under root's home here, so the
 * test bundles the CLI (`deno bundle`, as `deno task bundle` does) and copies the binary into a
 * folder every user may read.
 */
interface NobodyEngine {
  folder: string;
  deno: string;
  bundle: string;
}

async function prepareNobodyEngine(): Promise<NobodyEngine | string> {
  if (Deno.uid() !== 0) return "the test does not run as root, so it cannot switch to nobody";
  const folder = await Deno.makeTempDir({ prefix: "iocscan-nobody-" });
  await Deno.chmod(folder, 0o755);
  const deno = join(folder, "deno");
  const bundle = join(folder, "iocscan.js");
  await Deno.copyFile(Deno.execPath(), deno);
  await Deno.chmod(deno, 0o755);
  const bundled = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "-q",
      "--platform",
      "deno",
      "-o",
      bundle,
      join(repositoryRoot, "cli", "main.ts"),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!bundled.success) {
    await Deno.remove(folder, { recursive: true });
    return `deno bundle failed: ${new TextDecoder().decode(bundled.stderr)}`;
  }
  await Deno.chmod(bundle, 0o644);
  try {
    const probe = await new Deno.Command("runuser", {
      args: ["-u", "nobody", "--", deno, "--version"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!probe.success) {
      await Deno.remove(folder, { recursive: true });
      return `deno cannot run as nobody: ${new TextDecoder().decode(probe.stderr).trim()}`;
    }
  } catch (error) {
    await Deno.remove(folder, { recursive: true });
    return `runuser could not run: ${(error as Error).message}`;
  }
  return { folder, deno, bundle };
}

const nobodyEngine = onLinux ? await prepareNobodyEngine() : "not Linux";
if (typeof nobodyEngine === "string") {
  console.warn(`port_live_test: the unprivileged case is skipped: ${nobodyEngine}`);
}

Deno.test({
  name:
    "collect port as nobody: another user's process is skipped by name, its sockets' owners unknown",
  ignore: typeof nobodyEngine === "string",
  async fn() {
    const engine = nobodyEngine as NobodyEngine;
    const holder = await startHolder(false);
    try {
      const { held } = holder;
      const output = await runProgram<LooseEvent>("runuser", [
        "-u",
        "nobody",
        "--",
        "env",
        `HOME=${engine.folder}`,
        `DENO_DIR=${join(engine.folder, "deno-dir")}`,
        engine.deno,
        "run",
        "-q",
        "-A",
        engine.bundle,
        "collect",
        "port",
        "--json",
      ]);
      // The holder runs as root: nobody sees its sockets in the table but not their owner.
      ok(
        output.events.some((event) =>
          event.type === "skipped" && event.object === `pid ${held.pid} (deno)` &&
          event.reason === "unreadable"
        ),
        output.stderr,
      );
      const items = output.events.filter((event) => event.type === "item") as Item[];
      const listener = find(
        items,
        (f) => f.localPort === held.listenPort && f.state === "LISTENING",
      );
      deepStrictEqual(listener.fields, {
        protocol: "TCP",
        localIP: "127.0.0.1",
        localPort: held.listenPort,
        isIPv6: false,
        remoteIP: "0.0.0.0",
        remotePort: 0,
        state: "LISTENING",
      });
      // Skipped processes: the run read only part of what it was asked (exit 3).
      strictEqual(output.code, 3);

      // A scan as nobody: an IOC on the port alone fires; one that needs the owner is
      // undecided (the run incomplete), never clean.
      const home = join(engine.folder, "nobody-home");
      await Deno.mkdir(home, { mode: 0o700 });
      const nobody = await nobodyIds();
      await Deno.chown(home, nobody.uid, nobody.gid);
      const iocs = join(engine.folder, "iocs");
      await Deno.mkdir(iocs, { mode: 0o755 });
      await Deno.writeTextFile(
        join(iocs, "port.ioc"),
        portIoc("nobody-port", [
          item11("p1", "is", "PortItem/localPort", String(held.listenPort), { contentType: "int" }),
          item11("p2", "is", "PortItem/state", "LISTENING"),
        ]),
      );
      await Deno.writeTextFile(
        join(iocs, "owner.ioc"),
        portIoc("nobody-owner", [
          item11("o1", "is", "PortItem/localPort", String(held.listenPort), { contentType: "int" }),
          item11("o2", "is", "PortItem/process", "not-deno"),
        ]),
      );
      const scan = await runProgram<LooseEvent>("runuser", [
        "-u",
        "nobody",
        "--",
        "env",
        `HOME=${home}`,
        `DENO_DIR=${join(home, "deno-dir")}`,
        engine.deno,
        "run",
        "-q",
        "-A",
        engine.bundle,
        "scan",
        "--ioc",
        iocs,
        "--db",
        join(home, "store", "results.db"),
        "--json",
      ]);
      const detected = scan.events.filter((event) => event.type === "detection")
        .map((event) => event.ioc.id);
      deepStrictEqual(detected, ["nobody-port"], scan.stderr);
      const summary = scan.events.find((event) => event.type === "summary");
      ok(
        summary.incomplete.some((entry: { kind: string; what: string }) =>
          entry.kind === "ioc" && entry.what.startsWith("nobody-owner")
        ),
        JSON.stringify(summary.incomplete),
      );
    } finally {
      await holder.stop();
    }
  },
});

/** The uid and gid of `nobody`. */
async function nobodyIds(): Promise<{ uid: number; gid: number }> {
  const output = await new Deno.Command("id", { args: ["nobody"], stdout: "piped" }).output();
  const text = new TextDecoder().decode(output.stdout);
  const uid = /uid=(\d+)/.exec(text);
  const gid = /gid=(\d+)/.exec(text);
  ok(uid && gid, text);
  return { uid: Number(uid[1]), gid: Number(gid[1]) };
}

// The copy of deno and the bundle go when the module's tests are done.
globalThis.addEventListener("unload", () => {
  if (typeof nobodyEngine !== "string") Deno.removeSync(nobodyEngine.folder, { recursive: true });
});
