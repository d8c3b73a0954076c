import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedCommand } from "../live/mod.ts";
import { linuxProcessSource } from "./linux_source.ts";
import type { ProcessReadNeeds, ProcessRecord, ProcessSourceEvent } from "./process_record.ts";
import { type RecordedEntry, recordedProcFs, statLine, statusText } from "./_recorded_proc.ts";

const boot = 1_765_000_000;
const observed = new Date("2026-12-07T03:00:00.000Z");

/** A recorded host: a shell, a process with a long name, a deleted image, a kernel thread… */
function recordedHost(extra: Record<string, RecordedEntry> = {}) {
  return recordedProcFs({
    "/proc": { dir: ["1", "2", "77", "100", "101", "102", "103", "self", "stat"] },
    "/proc/stat": { text: `cpu  1 2 3\nbtime ${boot}\nprocesses 5\n` },
    "/etc/passwd": {
      text: "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n",
    },
    // pid 1: init
    "/proc/1/stat": { text: statLine(1, "systemd", { ppid: 0, start: 5 }) },
    "/proc/1/cmdline": { text: "/sbin/init\0splash\0" },
    "/proc/1/exe": { link: "/usr/lib/systemd/systemd" },
    "/proc/1/status": { text: statusText("systemd", 0) },
    "/proc/1/fd": { dir: [] },
    // pid 2: a kernel thread
    "/proc/2/stat": { text: statLine(2, "kthreadd", { ppid: 0, flags: 0x00208040 }) },
    "/proc/2/cmdline": { text: "" },
    "/proc/2/exe": { error: "NotFound" },
    "/proc/2/status": { text: statusText("kthreadd", 0) },
    "/proc/2/fd": { dir: [] },
    // pid 77: gone between the listing and the read
    // pid 100: a name longer than comm's 15 bytes, odd comm, arguments with spaces, handles
    "/proc/100/stat": {
      text: statLine(100, "a) very-long-na", { ppid: 1, utime: 250, stime: 50, start: 12_345 }),
    },
    "/proc/100/cmdline": { text: "/opt/x/a very-long-name-tool\0--say\0hello world\0\0" },
    "/proc/100/exe": { link: "/opt/x/a very-long-name-tool" },
    "/proc/100/status": { text: statusText("a) very-long-na", 1000) },
    "/proc/100/fd": { dir: ["0", "1", "2", "3", "4", "5"] },
    "/proc/100/fd/0": { link: "/dev/null" },
    "/proc/100/fd/1": { link: "pipe:[4242]" },
    "/proc/100/fd/2": { link: "socket:[98765]" },
    "/proc/100/fd/3": { link: "/tmp/iocscan fifo" },
    "/proc/100/fd/4": { link: "anon_inode:[eventfd]" },
    "/proc/100/fd/5": { link: "/var/log/evil.log" },
    "/proc/100/maps": {
      text: "55d0a000-55d0b000 r--p 00000000 08:01 12 /opt/x/a very-long-name-tool\n" +
        "55d0b000-55d0c000 r-xp 00001000 08:01 12 /opt/x/a very-long-name-tool\n" +
        "7f00a000-7f00b000 r-xp 00000000 08:01 34 /usr/lib/libc.so.6\n" +
        "7f00c000-7f00d000 r-xp 00000000 00:01 99 /memfd:payload (deleted)\n" +
        "7f00e000-7f00f000 rw-p 00000000 00:00 0 \n" +
        "7ffd0000-7ffd1000 r-xp 00000000 00:00 0 [vdso]\n",
    },
    // pid 101: its image was deleted
    "/proc/101/stat": { text: statLine(101, "dropper", { ppid: 100 }) },
    "/proc/101/cmdline": { text: "/tmp/dropper\0-q\0" },
    "/proc/101/exe": { link: "/tmp/dropper (deleted)" },
    "/proc/101/status": { text: statusText("dropper", 4242) },
    "/proc/101/fd": { dir: [] },
    // pid 102: another user's process, seen by an unprivileged user
    "/proc/102/stat": { text: statLine(102, "sshd", { ppid: 1 }) },
    "/proc/102/cmdline": { text: "sshd: /usr/sbin/sshd -D\0" },
    "/proc/102/exe": { error: "PermissionDenied" },
    "/proc/102/status": { text: statusText("sshd", 0) },
    "/proc/102/fd": { error: "PermissionDenied" },
    "/proc/102/maps": { error: "PermissionDenied" },
    // pid 103: a zombie whose parent is gone
    "/proc/103/stat": { text: statLine(103, "defunct-child", { ppid: 999, state: "Z" }) },
    "/proc/103/cmdline": { text: "" },
    "/proc/103/exe": { error: "NotFound" },
    "/proc/103/status": { text: statusText("defunct-child", 0) },
    "/proc/103/fd": { error: "NotFound" },
    ...extra,
  }, {
    "/proc/100/fd/0": { kind: "char", ino: 5 },
    "/proc/100/fd/3": { kind: "fifo", ino: 777 },
    "/proc/100/fd/5": { kind: "file", ino: 888 },
  });
}

async function readAll(
  fs = recordedHost(),
  needs: ProcessReadNeeds = { user: true, handles: true },
  clock = "100\n",
): Promise<{ records: Map<number, ProcessRecord>; others: ProcessSourceEvent[] }> {
  const source = linuxProcessSource({ fs, runner: recordedCommand(clock), now: () => observed });
  const records = new Map<number, ProcessRecord>();
  const others: ProcessSourceEvent[] = [];
  for await (const event of source.processes(needs)) {
    if ("skip" in event || "warning" in event) others.push(event);
    else records.set(event.pid, event);
  }
  return { records, others };
}

Deno.test("linuxProcessSource reads a process field by field", async () => {
  const { records } = await readAll();
  deepStrictEqual(records.get(100), {
    pid: 100,
    parentPid: 1,
    name: "a very-long-name-tool",
    imagePath: "/opt/x/a very-long-name-tool",
    imageOpenPath: "/proc/100/exe",
    commandLine: '"/opt/x/a very-long-name-tool" --say "hello world" ""',
    username: "alice",
    securityId: "1000",
    startTime: new Date((boot + 123.45) * 1000).toISOString(),
    kernelSeconds: 0.5,
    userSeconds: 2.5,
    handles: [
      { Name: "/dev/null", Type: "Device", FileDescriptor: 0, INode: 5 },
      { Name: "pipe:[4242]", Type: "Pipe", FileDescriptor: 1, INode: 4242 },
      { Name: "socket:[98765]", Type: "Socket", FileDescriptor: 2, INode: 98765 },
      { Name: "/tmp/iocscan fifo", Type: "Fifo", FileDescriptor: 3, INode: 777 },
      { Name: "anon_inode:[eventfd]", Type: "AnonInode", FileDescriptor: 4 },
      { Name: "/var/log/evil.log", Type: "File", FileDescriptor: 5, INode: 888 },
    ],
    observedAt: observed.toISOString(),
  });
});

Deno.test("linuxProcessSource names a kernel thread by comm, without image or command line", async () => {
  const thread = (await readAll()).records.get(2);
  strictEqual(thread?.name, "kthreadd");
  strictEqual(thread?.kernelThread, true);
  strictEqual(thread?.imagePath, undefined);
  strictEqual(thread?.commandLine, undefined);
  strictEqual(thread?.unevaluated, undefined);
});

Deno.test("linuxProcessSource flags a deleted image and still opens it through /proc/<pid>/exe", async () => {
  const dropper = (await readAll()).records.get(101);
  strictEqual(dropper?.name, "dropper");
  strictEqual(dropper?.imagePath, "/tmp/dropper");
  strictEqual(dropper?.imageDeleted, true);
  strictEqual(dropper?.imageOpenPath, "/proc/101/exe");
  // A uid without a passwd entry is its number, as ls -l shows it.
  strictEqual(dropper?.username, "4242");
});

Deno.test("linuxProcessSource: access denied is a skip naming the process, its fields unevaluated", async () => {
  const { records, others } = await readAll();
  const sshd = records.get(102);
  strictEqual(sshd?.name, "sshd");
  ok(sshd?.unevaluated?.name?.includes("/proc/102/exe"));
  ok(sshd?.unevaluated?.path);
  ok(sshd?.unevaluated?.sha256sum);
  ok(sshd?.unevaluated?.HandleList?.includes("/proc/102/fd"));
  deepStrictEqual(others.filter((event) => "skip" in event), [{
    skip: true,
    object: "pid 102 sshd",
    reason: "unreadable",
    detail: "permission denied reading /proc/102/exe, /proc/102/fd",
  }]);
});

Deno.test("linuxProcessSource: a vanished process is not listed; a zombie keeps comm, its image unknown", async () => {
  const { records } = await readAll();
  strictEqual(records.has(77), false);
  const zombie = records.get(103);
  strictEqual(zombie?.name, "defunct-child");
  ok(zombie?.unevaluated?.path?.includes("zombie"));
  // Its command line is gone with its memory: unknown, not empty.
  strictEqual(zombie?.commandLine, undefined);
  ok(zombie?.unevaluated?.arguments?.includes("zombie"), zombie?.unevaluated?.arguments);
  deepStrictEqual([...records.keys()], [1, 2, 100, 101, 102, 103]);
});

Deno.test("linuxProcessSource reads neither status nor fd/ when no IOC needs them", async () => {
  const fs = recordedHost({
    "/proc/100/status": { error: "PermissionDenied" },
    "/proc/100/fd": { error: "PermissionDenied" },
  });
  const { records, others } = await readAll(fs, { user: false, handles: false });
  const record = records.get(100);
  strictEqual(record?.username, undefined);
  strictEqual(record?.handles, undefined);
  strictEqual(record?.unevaluated, undefined);
  strictEqual(others.some((event) => "skip" in event && event.object.startsWith("pid 100")), false);
});

Deno.test("linuxProcessSource assumes 100 clock ticks with a warning when getconf says nothing useful", async () => {
  const { records, others } = await readAll(recordedHost(), { user: false, handles: false }, "x");
  strictEqual(records.get(100)?.userSeconds, 2.5);
  ok(others.some((event) => "warning" in event && event.code === "clock-ticks-assumed"));
});

Deno.test("linuxProcessSource caps descriptors per process, with a warning naming the process", async () => {
  const source = linuxProcessSource({
    fs: recordedHost(),
    runner: recordedCommand("100"),
    limits: { maxHandles: 2 },
  });
  const events = [];
  for await (const event of source.processes({ user: false, handles: true })) events.push(event);
  const record = events.find((event) => "pid" in event && event.pid === 100) as ProcessRecord;
  strictEqual(record.handles?.length, 2);
  ok(record.unevaluated?.HandleList?.includes("more than 2 descriptors"));
  ok(
    events.some((event) =>
      "warning" in event && event.code === "handle-cap" && event.message.startsWith("pid 100")
    ),
  );
});

Deno.test("linuxProcessSource: an image whose name is not UTF-8 is still hashed through exe, its name unknown, and a skip names it", async () => {
  const { records, others } = await readAll(
    recordedHost({ "/proc/101/exe": { error: "InvalidData" } }),
    { user: false, handles: false },
  );
  const record = records.get(101)!;
  // Deno cannot give the name, but /proc/101/exe still opens: the digests stay computable.
  strictEqual(record.imageOpenPath, "/proc/101/exe");
  strictEqual(record.imagePath, undefined);
  ok(record.unevaluated?.name?.includes("UTF-8"));
  ok(record.unevaluated?.path?.includes("UTF-8"));
  strictEqual(record.unevaluated?.sha256sum, undefined);
  const skip = others.find((event) => "skip" in event && event.object.startsWith("pid 101"));
  ok(skip && "skip" in skip && skip.reason === "invalid-name", JSON.stringify(skip));
});

Deno.test("linuxProcessSource: a descriptor whose target is not UTF-8 leaves HandleList unknown, never silently shorter", async () => {
  const { records } = await readAll(
    recordedHost({ "/proc/100/fd/5": { error: "InvalidData" } }),
    { user: false, handles: true },
  );
  const record = records.get(100)!;
  strictEqual(record.handles?.length, 5);
  ok(record.unevaluated?.HandleList?.includes("/proc/100/fd/5"), record.unevaluated?.HandleList);
  // A descriptor closed since the listing is just gone.
  const closed = await readAll(recordedHost({ "/proc/100/fd/5": { error: "NotFound" } }), {
    user: false,
    handles: true,
  });
  strictEqual(closed.records.get(100)?.unevaluated?.HandleList, undefined);
});

Deno.test("linuxProcessSource: a cmdline or maps read that never ends is abandoned at a deadline, the field unknown", async () => {
  const fs = recordedHost({ "/proc/101/maps": { text: "" } });
  const stuck = new Set(["/proc/100/cmdline", "/proc/100/maps"]);
  const hanging: typeof fs = {
    ...fs,
    readBytes: (path, max) => stuck.has(path) ? new Promise(() => {}) : fs.readBytes(path, max),
    readText: (path, max) => stuck.has(path) ? new Promise(() => {}) : fs.readText(path, max),
  };
  const source = linuxProcessSource({
    fs: hanging,
    runner: recordedCommand("100"),
    now: () => observed,
    limits: { readTimeoutMs: 50 },
  });
  const records = new Map<number, ProcessRecord>();
  const others: ProcessSourceEvent[] = [];
  for await (const event of source.processes({ user: false, handles: false, libraries: true })) {
    if ("pid" in event) records.set(event.pid, event);
    else others.push(event);
  }
  const record = records.get(100)!;
  strictEqual(record.commandLine, undefined);
  ok(record.unevaluated?.arguments?.includes("did not answer"), record.unevaluated?.arguments);
  ok(record.unevaluated?.cmdLine?.includes("did not answer"));
  ok(record.unevaluated?.DllPath?.includes("did not answer"));
  ok(others.some((event) => "warning" in event && event.code === "proc-read-timeout"));
  // The other processes were read.
  strictEqual(records.get(101)?.commandLine, "/tmp/dropper -q");
});

Deno.test("linuxProcessSource: /proc mounted with hidepid=invisible is a skip of the listing for a user other than root", async () => {
  const mountinfo = "22 27 0:21 / /proc rw,relatime - proc proc rw,hidepid=invisible\n";
  const read = async (uid: number) => {
    const source = linuxProcessSource({
      fs: recordedHost({ "/proc/self/mountinfo": { text: mountinfo } }),
      runner: recordedCommand("100"),
      uid,
    });
    const events = [];
    for await (const event of source.processes({ user: false, handles: false })) events.push(event);
    return events.filter((event) => "skip" in event && event.listing);
  };
  const hidden = await read(65534);
  strictEqual(hidden.length, 1);
  ok(hidden[0] && "skip" in hidden[0] && hidden[0].detail.includes("hidepid=invisible"));
  deepStrictEqual(await read(0), [], "root sees every process");
});

Deno.test("linuxProcessSource: a pid reused while its files were read is read again, never a record mixing two processes", async () => {
  const fs = recordedHost();
  // pid 101 exits after its stat is read; a new process takes its pid (another start time,
  // another image) before its other files are read.
  let statReads = 0;
  const reused = new Map<string, string>([
    ["/proc/101/stat", statLine(101, "payload", { ppid: 1, start: 99_999 })],
  ]);
  const racing: typeof fs = {
    ...fs,
    readText(path, max) {
      if (path === "/proc/101/stat" && statReads++ > 0) {
        return Promise.resolve({ text: reused.get(path)!, truncated: false });
      }
      return fs.readText(path, max);
    },
    readLink(path) {
      if (path === "/proc/101/exe" && statReads > 0) return Promise.resolve("/tmp/payload");
      return fs.readLink(path);
    },
  };
  const { records } = await readAll(racing, { user: false, handles: false });
  const record = records.get(101)!;
  // Whatever was read, it is one process: the new one, whose stat and image agree.
  strictEqual(record.name, "payload");
  strictEqual(record.imagePath, "/tmp/payload");
  strictEqual(record.parentPid, 1, "the new process's parent, not the old one's");
  ok(statReads >= 3, `stat read ${statReads} times`);
});

Deno.test("linuxProcessSource: /proc that cannot be listed is a skip of the source", async () => {
  const { records, others } = await readAll(
    recordedProcFs({ "/proc": { error: "PermissionDenied" } }),
  );
  strictEqual(records.size, 0);
  strictEqual(others.length, 1);
  const [skip] = others;
  ok(
    skip && "skip" in skip && skip.object === "process-list:/proc" && skip.reason === "unreadable",
  );
  // Processes went unseen: ProcessItem as a whole is not read (an IOC on it is undecided).
  strictEqual(skip && "skip" in skip && skip.listing, true);
});

Deno.test("linuxProcessSource: processes past the cap are a skip of the listing, not only a warning", async () => {
  const source = linuxProcessSource({
    fs: recordedHost(),
    runner: recordedCommand("100"),
    limits: { maxProcesses: 2 },
  });
  const events = [];
  for await (const event of source.processes({ user: false, handles: false })) events.push(event);
  ok(events.some((event) => "warning" in event && event.code === "process-cap"));
  const skip = events.find((event) => "skip" in event);
  ok(skip && "skip" in skip && skip.listing === true && skip.object.includes("first 2"));
});

Deno.test("linuxProcessSource lists the files of executable mappings as DllPath, when asked", async () => {
  const { records, others } = await readAll(recordedHost(), {
    user: false,
    handles: false,
    libraries: true,
  });
  deepStrictEqual(records.get(100)?.libraries, [
    "/opt/x/a very-long-name-tool",
    "/usr/lib/libc.so.6",
    "/memfd:payload",
  ]);
  strictEqual(records.get(2)?.libraries, undefined, "a kernel thread maps no file");
  ok(records.get(102)?.unevaluated?.DllPath?.includes("/proc/102/maps"));
  ok(others.some((event) => "skip" in event && event.detail.includes("/proc/102/maps")));
  strictEqual((await readAll()).records.get(100)?.libraries, undefined, "not read unless asked");
});

Deno.test("linuxProcessSource: an unreadable image is no skip when no IOC needs it", async () => {
  const { others } = await readAll(recordedHost(), { user: false, handles: false, image: false });
  strictEqual(others.some((event) => "skip" in event), false);
  const needed = await readAll(recordedHost(), { user: false, handles: false, image: true });
  ok(needed.others.some((event) => "skip" in event && event.object === "pid 102 sshd"));
});

Deno.test("linuxProcessSource gives the effective capabilities as enabled privileges, when asked", async () => {
  const fs = recordedHost({
    "/proc/100/status": {
      text: statusText("tool", 1000) + "CapEff:\t0000000000280000\n",
    },
    // No CapEff line (a kernel older than 2.6.25, or a damaged file): unknown, not none.
    "/proc/101/status": { text: statusText("sleep", 0) },
  });
  const { records } = await readAll(fs, { user: false, handles: false, privileges: true });
  deepStrictEqual(records.get(100)?.enabledPrivileges, ["CAP_SYS_PTRACE", "CAP_SYS_ADMIN"]);
  strictEqual(records.get(100)?.username, undefined);
  strictEqual(records.get(101)?.enabledPrivileges, undefined);
  ok(records.get(101)?.unevaluated?.EnabledPrivilege?.includes("CapEff"));
  // Not asked: not read.
  const plain = await readAll(fs, { user: true, handles: false });
  strictEqual(plain.records.get(100)?.enabledPrivileges, undefined);
});
