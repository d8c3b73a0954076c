/**
 * Issue 15 end to end, on this machine: real IOCs about processes and ports
 * fire on a process the test starts, through the real CLI, with the evidence
 * naming that process.
 *
 * - A corpus IOC (FireEye's APT17 indicator: file hashes, event handles,
 *   DNS names and C2 addresses in one OR) with one handle name rewritten to
 *   a file the test's process holds open: `scan --types process,port`
 *   detects it, and the evidence names the process.
 * - An IOC that binds a process, one of its connections and a string in its
 *   memory in one AND (docs/matching.md, 4a): it fires on the holder, and a
 *   near miss (the same IOC with the port of another process's connection)
 *   does not.
 *
 * The `test` permission set cannot read `/proc`: the CLI runs in a child
 * process with the engine's permission set.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { corpusDir } from "./corpus.ts";

const linux = Deno.build.os === "linux";

/** The corpus IOC rewritten here, and the handle name in it that the test replaces. */
const apt17 = "fireeye-iocs/APT17/7b9e87c5-b619-4a13-b862-0145614d359a.ioc";
const apt17HandleName = '<Content type="string">PnP_No_Management</Content>';

/**
 * The holder: keeps `held` open, listens on 127.0.0.1 and connects to itself,
 * keeps `token` in memory as bytes, prints its pid and listening port, and
 * waits for its stdin to close.
 */
const holderProgram = `
const [held, token] = Deno.args;
const file = await Deno.open(held, { read: true });
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
const server = await listener.accept();
const secret = new TextEncoder().encode("iocscan-memory-" + token);
console.log(JSON.stringify({ pid: Deno.pid, port: listener.addr.port }));
await Deno.stdin.readable.pipeTo(new WritableStream());
console.log(secret.length);
for (const open of [server, client, listener, file]) open.close();
`;

interface Holder {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  readonly held: string;
  stop(): Promise<void>;
}

async function startHolder(dir: string): Promise<Holder> {
  const token = crypto.randomUUID();
  const program = join(dir, "holder.ts");
  const held = join(dir, `held-${token}.evt`);
  await Deno.writeTextFile(program, holderProgram);
  await Deno.writeTextFile(held, "held open by the holder\n");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "--allow-read", "--allow-net=127.0.0.1", program, held, token],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the holder ended before it was ready");
    line += value;
  }
  const ready = JSON.parse(line.split("\n")[0]!) as { pid: number; port: number };
  return {
    ...ready,
    token,
    held,
    async stop() {
      await child.stdin.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

function bindingIoc(holder: Holder, remotePort: number): string {
  const item = (id: string, condition: string, search: string, type: string, value: string) =>
    `<IndicatorItem id="${id}" condition="${condition}">` +
    `<Context document="${search.split("/")[0]}" search="${search}" type="mir"/>` +
    `<Content type="${type}">${value}</Content></IndicatorItem>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="bound-${remotePort}" last-modified="2026-12-07T00:00:00">
  <short_description>the holder, its own connection and its secret</short_description>
  <definition>
    <Indicator operator="AND" id="root">
      ${item("a", "contains", "ProcessItem/arguments", "string", holder.token)}
      ${item("b", "is", "PortItem/remotePort", "int", String(remotePort))}
      ${item("c", "contains", "PortItem/remoteIP", "IP", "127.0.0.")}
      ${
    item(
      "d",
      "contains",
      "ProcessItem/StringList/string",
      "string",
      `iocscan-memory-${holder.token}`,
    )
  }
    </Indicator>
  </definition>
</ioc>
`;
}

async function withHolder(test: (dir: string, holder: Holder) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-host-e2e-" });
  await Deno.chmod(dir, 0o700);
  const holder = await startHolder(dir);
  try {
    await test(dir, holder);
  } finally {
    await holder.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

const detectionsOf = (events: LooseEvent[]) => events.filter((event) => event.type === "detection");

Deno.test({
  name: "a corpus IOC (APT17) with one handle name rewritten fires on the test's process",
  ignore: !linux,
  fn: async () => {
    const corpus = corpusDir("openioc");
    if (corpus === undefined) return;
    await withHolder(async (dir, holder) => {
      const original = await Deno.readTextFile(join(corpus, apt17));
      ok(original.includes(apt17HandleName), "the corpus IOC still names PnP_No_Management");
      const ioc = join(dir, "apt17.ioc");
      await Deno.writeTextFile(
        ioc,
        original.replace(apt17HandleName, `<Content type="string">${holder.held}</Content>`),
      );
      const run = await runCli<LooseEvent>([
        "scan",
        "--ioc",
        ioc,
        "--types",
        "process,port",
        "--db",
        join(dir, "results.db"),
        "--json",
      ]);
      strictEqual(run.code, 1, run.stderr);
      const [detection] = detectionsOf(run.events);
      strictEqual(detection?.ioc.id, "7b9e87c5-b619-4a13-b862-0145614d359a");
      const evidence = detection.evidence.find((part: LooseEvent) =>
        part.document === "ProcessItem"
      );
      ok(evidence, JSON.stringify(detection.evidence));
      ok(evidence.object.startsWith(`pid ${holder.pid} deno `), evidence.object);
      deepStrictEqual(
        evidence.items.map((part: LooseEvent) => [part.search, part.observed]),
        [["ProcessItem/HandleList/Handle/Name", holder.held]],
      );
    });
  },
});

Deno.test({
  name:
    "a process, its connection and a string in its memory bound in one AND fire; a near miss does not",
  ignore: !linux,
  fn: async () => {
    await withHolder(async (dir, holder) => {
      const scan = async (name: string, remotePort: number) => {
        const ioc = join(dir, `${name}.ioc`);
        await Deno.writeTextFile(ioc, bindingIoc(holder, remotePort));
        return await runCli<LooseEvent>([
          "scan",
          "--ioc",
          ioc,
          "--db",
          join(dir, `${name}.db`),
          "--json",
        ]);
      };
      const hit = await scan("hit", holder.port);
      strictEqual(hit.code, 1, hit.stderr);
      const [detection] = detectionsOf(hit.events);
      const evidence = detection?.evidence[0];
      strictEqual(evidence?.document, "ProcessItem");
      ok(evidence.object.startsWith(`pid ${holder.pid} deno `), evidence.object);
      const port = evidence.items.find((part: LooseEvent) => part.search === "PortItem/remotePort");
      ok(port.element.includes(`→ 127.0.0.1:${holder.port} ESTABLISHED`), port.element);
      const memory = evidence.items.find((part: LooseEvent) =>
        part.search === "ProcessItem/StringList/string"
      );
      // StringList holds the text around each occurrence (docs/process-memory.md).
      const found = [memory.observed].flat() as string[];
      ok(found.some((text) => text.includes(`iocscan-memory-${holder.token}`)), found.join(", "));

      // The same IOC with the remote port of a connection this test process holds, not the
      // holder: at host level both would hold (the holder runs, a connection to that port
      // exists), bound to one process they do not.
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const other = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
      const accepted = await listener.accept();
      let miss;
      try {
        miss = await scan("miss", listener.addr.port);
      } finally {
        for (const open of [accepted, other, listener]) open.close();
      }
      deepStrictEqual(detectionsOf(miss.events), []);
      ok(miss.code === 0 || miss.code === 3, `${miss.code}: ${miss.stderr}`);
    });
  },
});
