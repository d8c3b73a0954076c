/**
 * `scan --syslog` end to end: the real CLI scans a folder holding a planted file and forwards to
 * UDP, TCP and TLS listeners this test starts on loopback (TLS with a certificate made here with
 * `openssl`, trusted through `--syslog-ca`). Every message is parsed per RFC 5424 (header,
 * structured data, BOM-led UTF-8 text), TCP and TLS framing per RFC 6587 octet counting.
 * journald is checked when its socket exists (skips loudly otherwise).
 */
import { deepStrictEqual, fail, ok, strictEqual } from "node:assert/strict";
import { createSocket } from "node:dgram";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { ioc11, item11, param11 } from "../openioc/_ioc_fixtures.ts";
import { JOURNALD_SOCKET, journaldAvailable } from "../cli/forwarding/journald_sink.ts";

/** One RFC 5424 message, parsed. */
interface Syslog5424 {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  data: Record<string, Record<string, string>>;
  text: string;
}

/** Parses one RFC 5424 message strictly (6: header, 6.3: structured data, 6.4: MSG). */
function parse5424(message: string): Syslog5424 {
  const header = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /.exec(
    message,
  );
  if (header === null) fail(`not an RFC 5424 header: ${message.slice(0, 80)}`);
  let rest = message.slice(header[0].length);
  const data: Syslog5424["data"] = {};
  if (rest.startsWith("-")) rest = rest.slice(1);
  while (rest.startsWith("[")) {
    const id = /^\[([^\s=\]"]{1,32})/.exec(rest);
    if (id === null) fail(`bad SD-ID: ${rest.slice(0, 40)}`);
    rest = rest.slice(id[0].length);
    const params: Record<string, string> = {};
    while (rest.startsWith(" ")) {
      const param = /^ ([^\s=\]"]{1,32})="((?:[^"\\\]]|\\["\\\]])*)"/.exec(rest);
      if (param === null) fail(`bad SD-PARAM: ${rest.slice(0, 40)}`);
      params[param[1]!] = param[2]!.replace(/\\(["\\\]])/g, "$1");
      rest = rest.slice(param[0].length);
    }
    if (!rest.startsWith("]")) fail(`unterminated SD-ELEMENT: ${rest.slice(0, 40)}`);
    rest = rest.slice(1);
    data[id[1]!] = params;
  }
  let text = "";
  if (rest.length > 0) {
    if (!rest.startsWith(" \uFEFF")) {
      fail(`MSG must be " " BOM UTF-8: ${JSON.stringify(rest.slice(0, 10))}`);
    }
    text = rest.slice(2);
  }
  ok(!isNaN(Date.parse(header[3]!)), "TIMESTAMP is RFC 3339");
  return {
    pri: Number(header[1]),
    version: Number(header[2]),
    timestamp: header[3]!,
    hostname: header[4]!,
    appName: header[5]!,
    procId: header[6]!,
    msgId: header[7]!,
    data,
    text,
  };
}

/** Splits an RFC 6587 octet-counted stream into messages; fails on bad framing. */
function octetFrames(bytes: Uint8Array): string[] {
  const messages: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    let space = at;
    while (space < bytes.length && bytes[space] !== 0x20) space++;
    const length = Number(new TextDecoder().decode(bytes.subarray(at, space)));
    if (!Number.isInteger(length) || length <= 0) fail(`bad MSG-LEN at byte ${at}`);
    const end = space + 1 + length;
    if (end > bytes.length) fail(`frame at ${at} runs past the stream`);
    messages.push(new TextDecoder().decode(bytes.subarray(space + 1, end)));
    at = end;
  }
  return messages;
}

async function readAll(connection: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of connection.readable) chunks.push(chunk);
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

/** Runs openssl in `folder`; fails the test when it fails. */
async function openssl(folder: string, args: string[]): Promise<void> {
  const output = await new Deno.Command("openssl", {
    args,
    cwd: folder,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  strictEqual(output.code, 0, new TextDecoder().decode(output.stderr));
}

/** A test CA (`ca.pem`) and a server certificate it signed for 127.0.0.1 (`cert.pem`, `key.pem`). */
async function makeCertificate(folder: string): Promise<{ cert: string; key: string }> {
  await openssl(folder, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=iocscan test CA",
  ]);
  await openssl(folder, [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "key.pem",
    "-out",
    "server.csr",
    "-subj",
    "/CN=localhost",
  ]);
  await Deno.writeTextFile(
    join(folder, "server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  await openssl(folder, [
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-out",
    "cert.pem",
    "-extfile",
    "server.ext",
  ]);
  return {
    cert: await Deno.readTextFile(join(folder, "cert.pem")),
    key: await Deno.readTextFile(join(folder, "key.pem")),
  };
}

/** A folder with a planted file and an IOC (score 80: high) that finds it. */
async function plantedScan(folder: string): Promise<string[]> {
  const scope = join(folder, "scope");
  await Deno.mkdir(scope);
  await Deno.writeTextFile(join(scope, "evil.exe"), "MZ");
  const ioc = join(folder, "evil.ioc");
  await Deno.writeTextFile(
    ioc,
    ioc11(
      `<Indicator id="root" operator="OR">${
        item11("i1", "is", "FileItem/FileName", "evil.exe")
      }</Indicator>`,
      { id: "evil-ioc", parameters: param11("root", "score", "80") },
    ),
  );
  return ["scan", "--ioc", ioc, "--scope", scope, "--db", join(folder, "results.db"), "--json"];
}

Deno.test("scan --syslog: RFC 5424 over UDP, TCP and TLS (octet counting), one per detection and run end", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-syslog-" });
  const udp = createSocket("udp4");
  const datagrams: string[] = [];
  udp.on("message", (message) => datagrams.push(new TextDecoder().decode(message)));
  await new Promise<void>((resolve) => udp.bind(0, "127.0.0.1", resolve));
  const udpPort = udp.address().port;
  const tcp = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { cert, key } = await makeCertificate(folder);
  const tls = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key });
  try {
    const tcpStream = tcp.accept().then(readAll);
    const tlsStream = tls.accept().then(readAll);
    // Closing the listeners on a failure rejects the accepts: the failure is what to report.
    tcpStream.catch(() => {});
    tlsStream.catch(() => {});
    const args = [
      ...await plantedScan(folder),
      "--syslog",
      `udp://127.0.0.1:${udpPort}`,
      "--syslog",
      `tcp://127.0.0.1:${tcp.addr.port}`,
      "--syslog",
      `tls://127.0.0.1:${tls.addr.port}`,
      "--syslog-ca",
      join(folder, "ca.pem"),
    ];
    const result = await runCli(args, { deadlineMs: 120_000 });
    strictEqual(result.code, 1, result.stderr);
    strictEqual(result.stderr.includes("forwarding"), false, result.stderr);
    const detection = result.events.find((event) => event.type === "detection");
    ok(detection);
    strictEqual(detection.severity, "high");
    ok(typeof detection.host === "string" && typeof detection.time === "string");

    const tcpMessages = octetFrames(await tcpStream);
    const tlsMessages = octetFrames(await tlsStream);
    // A datagram sent before the process exited has arrived by now on loopback.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (
      const [name, messages] of [["udp", datagrams], ["tcp", tcpMessages], [
        "tls",
        tlsMessages,
      ]] as const
    ) {
      strictEqual(messages.length, 2, `${name}: one detection, one run end`);
      const [hit, end] = messages.map(parse5424);
      strictEqual(hit!.version, 1);
      strictEqual(hit!.appName, "iocscan");
      strictEqual(hit!.msgId, "detection");
      strictEqual(hit!.pri, 16 * 8 + 3, `${name}: local0.err for high`);
      const sd = hit!.data["iocscan@32473"];
      ok(sd, `${name}: structured data`);
      strictEqual(sd.runId, String(detection.runId));
      strictEqual(sd.iocId, "evil-ioc");
      strictEqual(sd.severity, "high");
      strictEqual(sd.iocSha256, (detection.ioc as { sha256: string }).sha256);
      ok(hit!.text.includes("evil.exe"));
      strictEqual(end!.msgId, "run-end");
      deepStrictEqual(
        { ...end!.data["iocscan@32473"] },
        { runId: String(detection.runId), status: "completed", complete: "true", detections: "1" },
      );
    }
  } finally {
    udp.close();
    tcp.close();
    tls.close();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("scan --syslog: a bad URL is a usage error (exit 2) before anything is scanned", async () => {
  const result = await runCli(["scan", "--ioc", "x.ioc", "--syslog", "http://siem:514"]);
  strictEqual(result.code, 2);
  ok(result.stderr.includes("udp://host:port"), result.stderr);
});

Deno.test({
  name: "scan --journald: refused where journald is not running (and so skipped here)",
  ignore: journaldAvailable(),
  async fn() {
    console.error(`SKIPPED journald delivery: no ${JOURNALD_SOCKET} on this machine`);
    const result = await runCli(["scan", "--ioc", "x.ioc", "--journald"]);
    strictEqual(result.code, 2);
    ok(result.stderr.includes(JOURNALD_SOCKET), result.stderr);
  },
});
