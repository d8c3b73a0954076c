/**
 * The network-namespace lab of the isolation tests (test-only; A1.5/A1.7 of the research notes):
 * a "host" namespace (10.9.0.2, fd00:9::2; default route via 10.9.0.1; `/etc/netns/<host>/
 * resolv.conf` naming 10.9.0.1) joined by a veth pair to a "peers" namespace holding the DNS
 * server (10.9.0.1), the management host (10.9.0.10, fd00:9::10, TCP 8443) and the "C2"
 * (10.9.0.20, fd00:9::20, TCP 8080). Nothing is created in the machine's own network namespace;
 * every rule is applied inside "host". Needs root, `ip` and `nft`: {@linkcode labUnavailable}
 * says why not, and the tests skip loudly.
 *
 * @module
 */
import { fail, ok } from "node:assert/strict";
import { join } from "node:path";
import { cliArgs, runProgram, type RunResult } from "../_cli.ts";
import { repositoryRoot } from "../corpus.ts";

const here = join(repositoryRoot, "tests", "_isolation_lab");

/** One probe's result (peer_probes.ts). */
export interface LabProbe {
  spec: string;
  outcome: "answered" | "refused" | "silent";
  ms: number;
  detail: string;
}

/** A helper process running in a namespace. */
export interface LabProcess {
  /** Waits for a line of stdout starting with `prefix`; returns it. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/** A built lab. */
export interface Lab {
  /** The host namespace's name. */
  readonly host: string;
  /** Runs a command in the host namespace. */
  run(
    command: string,
    args: readonly string[],
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Runs the CLI of this checkout in the host namespace. */
  cli(args: readonly string[], env?: Record<string, string>): Promise<RunResult>;
  /** The folder of the isolation's local record the lab's CLI runs use (`IOCSCAN_ISOLATION_STATE_DIR`). */
  readonly stateDir: string;
  /** Runs probes in the host namespace (`tcp:ADDR:PORT`, `dns:ADDR`, `loopback`). */
  probe(...specs: string[]): Promise<Record<string, LabProbe>>;
  /** Starts a helper script of this folder in the host namespace. */
  start(script: string, args: readonly string[]): LabProcess;
  /** `nft -j list ruleset` of the host namespace, parsed. */
  ruleset(): Promise<{ nftables: Record<string, unknown>[] }>;
  /** Whether the host namespace holds our table. */
  hasTable(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** Why the lab cannot be built here (not root, a tool missing), or undefined when it can. */
export async function labUnavailable(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return "not Linux";
  if (Deno.uid() !== 0) return "not root (ip netns needs root)";
  for (const [tool, args] of [["ip", ["-V"]], ["nft", ["--version"]], ["ss", ["-V"]]] as const) {
    try {
      const { success } = await new Deno.Command(tool, {
        args: [...args],
        stdout: "null",
        stderr: "null",
      })
        .output();
      if (!success) return `${tool} does not run`;
    } catch {
      return `${tool} is not installed (apt-get install nftables iproute2)`;
    }
  }
  return undefined;
}

/** Says loudly why the isolation lab tests skip. */
export function skipLoudly(reason: string): void {
  console.error(`\n*** SKIPPING the isolation network-namespace tests: ${reason} ***\n`);
}

async function sh(command: string, args: readonly string[]) {
  const output = await new Deno.Command(command, {
    args: [...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

async function must(command: string, args: readonly string[]): Promise<void> {
  const result = await sh(command, args);
  if (result.code !== 0) fail(`${command} ${args.join(" ")}: ${result.stderr}`);
}

/** Builds a lab with namespaces of its own (names unique to this call). */
export async function buildLab(): Promise<Lab> {
  const tag = crypto.randomUUID().slice(0, 6);
  const host = `isoh${tag}`;
  const peers = `isop${tag}`;
  const processes: LabProcess[] = [];
  const netnsEtc = `/etc/netns/${host}`;
  await must("ip", ["netns", "add", host]);
  await must("ip", ["netns", "add", peers]);
  const inHost = (args: string[]) => must("ip", ["-n", host, ...args]);
  const inPeers = (args: string[]) => must("ip", ["-n", peers, ...args]);
  try {
    await must("ip", [
      "link",
      "add",
      "vh",
      "netns",
      host,
      "type",
      "veth",
      "peer",
      "name",
      "vp",
      "netns",
      peers,
    ]);
    await inHost(["link", "set", "lo", "up"]);
    await inPeers(["link", "set", "lo", "up"]);
    await inHost(["addr", "add", "10.9.0.2/24", "dev", "vh"]);
    await inHost(["addr", "add", "fd00:9::2/64", "dev", "vh", "nodad"]);
    for (const address of ["10.9.0.1/24", "10.9.0.10/24", "10.9.0.20/24"]) {
      await inPeers(["addr", "add", address, "dev", "vp"]);
    }
    for (const address of ["fd00:9::1/64", "fd00:9::10/64", "fd00:9::20/64"]) {
      await inPeers(["addr", "add", address, "dev", "vp", "nodad"]);
    }
    await inHost(["link", "set", "vh", "up"]);
    await inPeers(["link", "set", "vp", "up"]);
    await inHost(["route", "add", "default", "via", "10.9.0.1"]);
    await Deno.mkdir(netnsEtc, { recursive: true });
    await Deno.writeTextFile(join(netnsEtc, "resolv.conf"), "nameserver 10.9.0.1\n");
  } catch (error) {
    await sh("ip", ["netns", "del", host]);
    await sh("ip", ["netns", "del", peers]);
    throw error;
  }
  const startIn = (namespace: string, script: string, args: readonly string[]): LabProcess => {
    const child = new Deno.Command("ip", {
      args: [
        "netns",
        "exec",
        namespace,
        Deno.execPath(),
        "run",
        "-q",
        "-A",
        join(here, script),
        ...args,
      ],
      stdout: "piped",
      stderr: "inherit",
      stdin: "null",
    }).spawn();
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    const reading = (async () => {
      let buffer = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        lines.push(...parts);
        for (const waiter of waiters.splice(0)) waiter();
      }
      for (const waiter of waiters.splice(0)) waiter();
    })();
    let done = false;
    const process: LabProcess = {
      async line(prefix, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const found = lines.find((line) => line.startsWith(prefix));
          if (found !== undefined) return found;
          if (Date.now() > deadline) {
            fail(`${script}: no line "${prefix}" (got ${JSON.stringify(lines)})`);
          }
          await new Promise<void>((resolve) => {
            waiters.push(resolve);
            setTimeout(resolve, 100);
          });
        }
      },
      async kill() {
        if (done) return;
        done = true;
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
        await child.status;
        await reading.catch(() => undefined);
      },
    };
    processes.push(process);
    return process;
  };
  const stateRoot = await Deno.makeTempDir({ prefix: "iocscan-lab-state-" });
  const stateDir = join(stateRoot, "state");
  const servers = startIn(peers, "servers.ts", []);
  await servers.line("ready");
  const run = (command: string, args: readonly string[]) =>
    sh("ip", ["netns", "exec", host, command, ...args]);
  const lab: Lab = {
    host,
    run,
    stateDir,
    cli: (args, env = {}) =>
      runProgram("ip", ["netns", "exec", host, Deno.execPath(), ...cliArgs(args)], {
        // The isolation's local record stays in the lab's folder, never this machine's store's.
        env: { IOCSCAN_ISOLATION_STATE_DIR: stateDir, ...env },
        deadlineMs: 60_000,
      }),
    async probe(...specs) {
      const result = await run(Deno.execPath(), [
        "run",
        "-q",
        "-A",
        join(here, "probe.ts"),
        ...specs,
      ]);
      ok(result.code === 0, result.stderr);
      const list = JSON.parse(result.stdout) as LabProbe[];
      return Object.fromEntries(list.map((probe) => [probe.spec, probe]));
    },
    start: (script, args) => startIn(host, script, args),
    async ruleset() {
      const result = await run("nft", ["-j", "list", "ruleset"]);
      ok(result.code === 0, result.stderr);
      return JSON.parse(result.stdout);
    },
    async hasTable() {
      return (await run("nft", ["list", "table", "inet", "iocscan_isolation"])).code === 0;
    },
    async dispose() {
      for (const process of processes) await process.kill();
      await sh("ip", ["netns", "del", host]);
      await sh("ip", ["netns", "del", peers]);
      await Deno.remove(netnsEtc, { recursive: true }).catch(() => undefined);
      await Deno.remove(stateRoot, { recursive: true }).catch(() => undefined);
    },
  };
  return lab;
}
