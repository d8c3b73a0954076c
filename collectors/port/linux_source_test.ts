import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ProcFs } from "./linux_source.ts";
import { readLinuxPorts } from "./linux_source.ts";
import { createPortCollector } from "./collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { SkippedObject } from "../collector.ts";

const header =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const line = (local: string, remote: string, st: string, inode: number) =>
  `   0: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1\n`;

/** A /proc made of a map: links, folders and files; `denied` paths throw EACCES. */
function fakeProc(
  tree: {
    links: Record<string, string>;
    dirs: Record<string, string[]>;
    files: Record<string, string>;
  },
  denied: readonly string[] = [],
): ProcFs {
  const check = (path: string) => {
    if (denied.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      throw new Deno.errors.PermissionDenied(`Permission denied (os error 13): ${path}`);
    }
  };
  const missing = (path: string) => new Deno.errors.NotFound(`No such file or directory: ${path}`);
  return {
    async *readDir(path) {
      check(path);
      const names = tree.dirs[path];
      if (!names) throw missing(path);
      yield* names;
    },
    readLink(path) {
      try {
        check(path);
      } catch (error) {
        return Promise.reject(error);
      }
      const target = tree.links[path];
      return target === undefined ? Promise.reject(missing(path)) : Promise.resolve(target);
    },
    readText(path, maxBytes) {
      try {
        check(path);
      } catch (error) {
        return Promise.reject(error);
      }
      const text = tree.files[path];
      if (text === undefined) return Promise.reject(missing(path));
      return Promise.resolve({ text: text.slice(0, maxBytes), truncated: text.length > maxBytes });
    },
  };
}

const root = "net:[4026531833]";
const child = "net:[4026532999]";

/** pid 100: a listener and a connection in the root namespace; pid 200 in a child namespace; pid 300 another user's. */
function host() {
  return {
    links: {
      "/proc/self/ns/net": root,
      "/proc/100/ns/net": root,
      "/proc/100/fd/3": "socket:[5001]",
      "/proc/100/fd/4": "socket:[5002]",
      "/proc/100/fd/5": "/tmp/fifo",
      "/proc/100/exe": "/usr/bin/nc.openbsd (deleted)",
      "/proc/200/ns/net": child,
      "/proc/200/fd/3": "socket:[6001]",
      "/proc/200/exe": "/usr/bin/python3.11",
      "/proc/300/ns/net": root,
    } as Record<string, string>,
    dirs: {
      "/proc": ["self", "100", "200", "300", "cpuinfo"],
      "/proc/100/fd": ["3", "4", "5"],
      "/proc/200/fd": ["3"],
      "/proc/300/fd": ["0"],
    } as Record<string, string[]>,
    files: {
      "/proc/self/net/tcp": header +
        line("0100007F:1F90", "00000000:0000", "0A", 5001) +
        line("0100007F:9C40", "0100007F:1F90", "01", 5002) +
        line("0100007F:9C41", "0100007F:1F90", "06", 0) +
        line("0100007F:1F91", "00000000:0000", "0A", 7001),
      "/proc/self/net/udp": header,
      "/proc/200/net/tcp": header + line("0100007F:2328", "00000000:0000", "0A", 6001),
      "/proc/200/net/udp": header,
      "/proc/300/comm": "sshd\n",
    } as Record<string, string>,
  };
}

const fixed = () => new Date("2026-12-07T03:00:00.000Z");

Deno.test("readLinuxPorts reads every namespace once and ties sockets to their processes", async () => {
  const read = await readLinuxPorts({ fs: fakeProc(host()), now: fixed });
  const keys = read.ports.map((port) =>
    `${port.localIP}:${port.localPort} ${port.state} ${port.pid} ${port.networkNamespace}`
  );
  deepStrictEqual(keys, [
    "127.0.0.1:8080 LISTENING 100 undefined",
    "127.0.0.1:40000 ESTABLISHED 100 undefined",
    "127.0.0.1:40001 TIME_WAIT undefined undefined",
    "127.0.0.1:8081 LISTENING undefined undefined",
    "127.0.0.1:9000 LISTENING 200 net:[4026532999]",
  ]);
  const [listener] = read.ports;
  strictEqual(listener!.process, "nc.openbsd");
  strictEqual(listener!.path, "/usr/bin");
  strictEqual(listener!.observedAt, "2026-12-07T03:00:00.000Z");
  deepStrictEqual(Object.keys(listener!.unevaluated!), ["CreationTime"]);
  strictEqual(read.ports[4]!.process, "python3.11");
  // Nothing was denied: an unowned socket is simply unowned.
  deepStrictEqual(read.skips, []);
  deepStrictEqual(Object.keys(read.ports[3]!.unevaluated!), ["CreationTime"]);
  strictEqual(read.stats.namespaces, 2);
});

Deno.test("readLinuxPorts: a process it cannot read is a skip naming it, and unowned sockets lose their owner fields", async () => {
  const read = await readLinuxPorts({
    fs: fakeProc(host(), ["/proc/300/fd", "/proc/300/ns"]),
    now: fixed,
  });
  deepStrictEqual(read.skips.map((skip) => [skip.object, skip.reason]), [[
    "pid 300 (sshd)",
    "unreadable",
  ]]);
  ok(read.skips[0]!.detail!.includes("Permission denied"));
  strictEqual(read.skips[0]!.unreadDocuments, undefined);
  const unowned = read.ports[3]!;
  deepStrictEqual(Object.keys(unowned.unevaluated!).sort(), [
    "CreationTime",
    "path",
    "pid",
    "process",
  ]);
  // A TIME_WAIT socket has no owner to look up: nothing is unknown about it.
  deepStrictEqual(Object.keys(read.ports[2]!.unevaluated!), ["CreationTime"]);
  strictEqual(read.stats.processesUnreadable, 1);
});

Deno.test("readLinuxPorts: an unreadable or cut table is a skip that leaves PortItem unread", async () => {
  const tree = host();
  const read = await readLinuxPorts({
    fs: fakeProc(tree, ["/proc/200/net/tcp"]),
    now: fixed,
    limits: { maxTableBytes: header.length + 150 },
  });
  const skips = read.skips.map((
    skip: SkippedObject,
  ) => [skip.object, skip.reason, skip.unreadDocuments]);
  deepStrictEqual(skips, [
    [`/proc/self/net/tcp (${root})`, "too-large", ["PortItem"]],
    [`/proc/200/net/tcp (${child})`, "unreadable", ["PortItem"]],
  ]);
  // Only whole lines of the cut table are read.
  strictEqual(read.ports.length, 1);
  deepStrictEqual(read.warnings, []);
});

Deno.test("readLinuxPorts caps the processes it reads and says so", async () => {
  const read = await readLinuxPorts({
    fs: fakeProc(host()),
    now: fixed,
    limits: { maxProcesses: 1 },
  });
  ok(read.warnings.some((warning) => warning.code === "port-process-cap"));
  ok(read.skips.some((skip) => skip.reason === "too-large" && skip.object.includes("first 1")));
  // pid 200's namespace was not found, and an unowned socket's owner may be past the cap.
  strictEqual(read.stats.namespaces, 1);
  strictEqual(read.ports[1]!.pid, 100);
  ok(read.ports[3]!.unevaluated!.pid);
});

Deno.test("createPortCollector turns endpoints into PortItem objects with provenance and evidence keys", async () => {
  const collector = createPortCollector({
    source: { name: "fake", read: () => readLinuxPorts({ fs: fakeProc(host()), now: fixed }) },
    computer: "host-1",
  });
  const items: ObservedItem[] = [];
  const reporter = { skipped() {}, warning() {}, progress() {} };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  strictEqual(items.length, 5);
  deepStrictEqual(items[1], {
    document: "PortItem",
    key: "127.0.0.1:40000 → 127.0.0.1:8080 ESTABLISHED (pid 100 nc.openbsd)",
    fields: {
      protocol: "TCP",
      localIP: "127.0.0.1",
      localPort: 40000,
      isIPv6: false,
      remoteIP: "127.0.0.1",
      remotePort: 8080,
      state: "ESTABLISHED",
      pid: 100,
      process: "nc.openbsd",
      path: "/usr/bin",
    },
    provenance: { time: "2026-12-07T03:00:00.000Z", computer: "host-1" },
    unevaluated: { CreationTime: "Linux does not record when a socket was created" },
  });
  strictEqual(
    items[4]!.key,
    "127.0.0.1:9000 → 0.0.0.0:0 LISTENING (pid 200 python3.11) in net:[4026532999]",
  );
  strictEqual(items[4]!.fields.networkNamespace, child);
  strictEqual(collector.stats.sockets, 5);
});

Deno.test("createPortCollector: a source that throws is a skip of the source, never an empty clean table", async () => {
  const collector = createPortCollector({
    source: { name: "broken", read: () => Promise.reject(new Error("boom")) },
  });
  const skipped: SkippedObject[] = [];
  const reporter = {
    skipped: (entry: SkippedObject) => skipped.push(entry),
    warning() {},
    progress() {},
  };
  for await (const _ of collector.collect({ needs: new Map(), reporter })) ok(false, "no object");
  deepStrictEqual(skipped, [{
    collector: "port",
    object: "ports:broken",
    reason: "unreadable",
    detail: "boom",
    unreadDocuments: ["PortItem"],
  }]);
});

Deno.test("readLinuxPorts reads the tables of a process whose namespace it cannot read, keeping only unseen sockets", async () => {
  const tree = host();
  // pid 300 (another user's) is in a namespace no readable process is in, with one socket more
  // than the root namespace's tables and the same TIME_WAIT line.
  tree.files["/proc/300/net/tcp"] = tree.files["/proc/self/net/tcp"]! +
    line("0100007F:0016", "00000000:0000", "0A", 8001);
  const read = await readLinuxPorts({
    fs: fakeProc(tree, ["/proc/300/fd", "/proc/300/ns"]),
    now: fixed,
  });
  const hidden = read.ports.filter((port) => port.networkNamespace?.includes("pid 300"));
  strictEqual(hidden.length, 1);
  strictEqual(hidden[0]!.localPort, 22);
  strictEqual(hidden[0]!.networkNamespace, "the namespace of pid 300 (unreadable)");
  ok(hidden[0]!.unevaluated!.pid);
  strictEqual(read.ports.length, 6);
});

Deno.test("readLinuxPorts: a kernel thread it may not look into is no skip (it holds no descriptors)", async () => {
  const tree = host();
  tree.dirs["/proc"]!.push("2");
  tree.files["/proc/2/stat"] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 26\n";
  tree.files["/proc/300/stat"] =
    "300 (sshd) S 1 300 300 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 99\n";
  const read = await readLinuxPorts({
    fs: fakeProc(tree, ["/proc/2/fd", "/proc/2/ns", "/proc/300/fd", "/proc/300/ns"]),
    now: fixed,
  });
  deepStrictEqual(read.skips.map((skip) => skip.object), ["pid 300 (sshd)"]);
});

Deno.test("readLinuxPorts: a process past the descriptor cap is a skip naming it, and the sockets it may hold lose their owner fields", async () => {
  const tree = host();
  // pid 100 holds more descriptors than the cap: its socket 5002 (fd 4) is never looked at.
  const read = await readLinuxPorts({
    fs: fakeProc(tree),
    now: fixed,
    limits: { maxFdsPerProcess: 1 },
  });
  deepStrictEqual(read.skips.map((skip) => [skip.object, skip.reason, skip.unreadDocuments]), [[
    "pid 100",
    "too-large",
    undefined,
  ]]);
  const connection = read.ports.find((port) => port.localPort === 40000)!;
  strictEqual(connection.pid, undefined);
  deepStrictEqual(Object.keys(connection.unevaluated!).sort(), [
    "CreationTime",
    "path",
    "pid",
    "process",
  ]);
  ok(read.warnings.some((warning) => warning.code === "port-fd-cap"));
});

Deno.test("readLinuxPorts: /proc hiding other users' processes (hidepid) leaves PortItem unread and unowned sockets' owners unknown", async () => {
  const tree = host();
  tree.files["/proc/self/mountinfo"] = "22 27 0:21 / /proc rw - proc proc rw,hidepid=2\n";
  const read = await readLinuxPorts({ fs: fakeProc(tree), now: fixed, uid: 1000 });
  const skip = read.skips.find((entry) => entry.object === "process-list:/proc");
  deepStrictEqual(skip?.unreadDocuments, ["PortItem"]);
  ok(read.ports.find((port) => port.localPort === 8081)!.unevaluated!.pid);
  const asRoot = await readLinuxPorts({ fs: fakeProc(tree), now: fixed, uid: 0 });
  deepStrictEqual(asRoot.skips, []);
});

Deno.test("readLinuxPorts: descriptors whose links cannot be read make the process a skip, its sockets' owner unknown", async () => {
  const tree = host();
  const fs = fakeProc(tree);
  const refusing: typeof fs = {
    ...fs,
    readLink: (path) =>
      path === "/proc/100/fd/4"
        ? Promise.reject(new Deno.errors.PermissionDenied(`Permission denied: ${path}`))
        : fs.readLink(path),
  };
  const read = await readLinuxPorts({ fs: refusing, now: fixed });
  deepStrictEqual(read.skips.map((skip) => [skip.object, skip.reason]), [[
    "pid 100",
    "unreadable",
  ]]);
  const connection = read.ports.find((port) => port.localPort === 40000)!;
  ok(connection.unevaluated!.pid);
});

Deno.test("readLinuxPorts: when the process it read a namespace through exits, it reads the namespace through another", async () => {
  const tree = host();
  // pid 210 is in pid 200's namespace too; pid 200 exits after its descriptors were read.
  tree.dirs["/proc"]!.push("210");
  tree.links["/proc/210/ns/net"] = child;
  tree.dirs["/proc/210/fd"] = [];
  tree.files["/proc/210/net/tcp"] = tree.files["/proc/200/net/tcp"]!;
  tree.files["/proc/210/net/udp"] = tree.files["/proc/200/net/udp"]!;
  delete tree.files["/proc/200/net/tcp"];
  delete tree.files["/proc/200/net/udp"];
  const fs = fakeProc(tree);
  // Its /proc folder goes when the tables are read: its namespace link goes with it.
  const exiting: typeof fs = {
    ...fs,
    readText(path, maxBytes) {
      if (path.startsWith("/proc/200/")) delete tree.links["/proc/200/ns/net"];
      return fs.readText(path, maxBytes);
    },
  };
  const read = await readLinuxPorts({ fs: exiting, now: fixed });
  const inChild = read.ports.filter((port) => port.networkNamespace === child);
  deepStrictEqual(inChild.map((port) => port.localPort), [9000]);
});
