/**
 * The Linux source read for real: a python3 child holds known strings (one
 * only in ASCII, one only in UTF-16LE), an anonymous rwx mapping and a
 * mapping of a deleted file; a child Deno with every permission (the test set
 * cannot read /proc) lists its sections and searches its memory. Then the
 * same probe as `nobody` on a root process: a reason, not an empty result.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusDir } from "../../../tests/corpus.ts";

const probe = fileURLToPath(new URL("./_live_probe.ts", import.meta.url));
const linux = Deno.build.os === "linux";

/** Holds the strings and mappings, prints their addresses, then sleeps. */
const holder = `
import mmap, os, sys, tempfile, time
ascii_marker = sys.argv[1]
# The wide marker arrives shifted by one code point, so its ASCII form never exists here.
wide = bytes(x for c in sys.argv[2] for x in (ord(c) - 1, 0))
rwx = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
rwx.write(b"\\x90" * 16)
fd, path = tempfile.mkstemp(prefix="iocscan-deleted-")
os.write(fd, b"\\0" * 4096)
mapped = mmap.mmap(fd, 4096, prot=mmap.PROT_READ)
os.unlink(path)
print(hex(id(rwx)), path, flush=True)
time.sleep(120)
`;

interface Probe {
  sections: {
    ok: boolean;
    sections?: {
      Name: string;
      Protection: string;
      Mapped: string;
      Injected: boolean;
      RawFlags: string;
    }[];
    error?: { reason: string; message: string };
  };
  search: {
    ok: boolean;
    found?: { text: string; encodings: string[]; whole: boolean; strings: string[] }[];
    strings?: string[];
    bytesRead?: number;
    regionsSearched?: number;
    truncatedBy?: string;
    error?: { reason: string; message: string };
  };
}

async function runProbe(request: object, asUser?: string): Promise<Probe> {
  const deno = [Deno.execPath(), "run", "-A", "--no-config", probe, JSON.stringify(request)];
  const [command, ...args] = asUser === undefined
    ? deno
    : ["setpriv", `--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", ...deno];
  const output = await new Deno.Command(command!, {
    args,
    stdout: "piped",
    stderr: "piped",
    ...(asUser === undefined ? {} : { env: { DENO_DIR: await userDenoDir(), HOME: "/tmp" } }),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  ok(output.success, `the probe failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as Probe;
}

let denoDir: string | undefined;
async function userDenoDir(): Promise<string> {
  if (denoDir === undefined) {
    denoDir = await Deno.makeTempDir({ prefix: "iocscan-nobody-deno-" });
    await Deno.chmod(denoDir, 0o777);
  }
  return denoDir;
}

/** The system's python3: the one a switched user can run (pyenv's lives under /root). */
const systemPython = "/usr/bin/python3";

async function removeUserDenoDir(): Promise<void> {
  if (denoDir !== undefined) await Deno.remove(denoDir, { recursive: true });
  denoDir = undefined;
}

async function startHolder(asciiMarker: string, wideMarker: string, asUser?: string) {
  const shifted = [...wideMarker].map((c) => String.fromCharCode(c.charCodeAt(0) + 1)).join("");
  const python = ["-c", holder, asciiMarker, shifted];
  const [command, ...args] = asUser === undefined ? ["python3", ...python] : [
    "setpriv",
    `--reuid=${asUser}`,
    `--regid=${asUser}`,
    "--clear-groups",
    systemPython,
    ...python,
  ];
  const child = new Deno.Command(command!, {
    args,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // The line that says the holder is ready, however the pipe splits it.
  const reader = child.stdout.getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const [, deletedPath] = line.trim().split(" ");
  return { child, deletedPath: deletedPath! };
}

Deno.test({
  name: "searchProcessMemory and readMemorySections read a live Linux process",
  ignore: !linux,
  async fn() {
    const asciiMarker = `iocscan-ascii-${crypto.randomUUID()}`;
    const wideMarker = `iocscan-wide-${crypto.randomUUID()}`;
    const absent = `iocscan-absent-${crypto.randomUUID()}`;
    const { child, deletedPath } = await startHolder(asciiMarker, wideMarker);
    try {
      const patterns = [
        { text: asciiMarker.toUpperCase(), caseSensitive: false, condition: "is" },
        { text: wideMarker, caseSensitive: false, condition: "contains" },
        { text: absent, caseSensitive: false, condition: "contains" },
      ];
      const result = await runProbe({ pid: child.pid, patterns });
      // The same found through /proc/<pid>/mem alone as with process_vm_readv.
      const memFile = await runProbe({ pid: child.pid, patterns, memFileOnly: true });
      deepStrictEqual(
        memFile.search.found!.map((entry) => [entry.text, entry.encodings, entry.whole]),
        result.search.found!.map((entry) => [entry.text, entry.encodings, entry.whole]),
      );
      const search = result.search;
      ok(search.ok, JSON.stringify(search.error));
      strictEqual(search.truncatedBy, undefined);
      ok((search.bytesRead ?? 0) > 0 && (search.regionsSearched ?? 0) > 0);
      const found = new Map(search.found!.map((entry) => [entry.text, entry]));
      ok(found.get(asciiMarker.toUpperCase())?.encodings.includes("ascii"), "the ASCII string");
      strictEqual(found.get(asciiMarker.toUpperCase())?.whole, true);
      deepStrictEqual(found.get(wideMarker)?.encodings, ["utf-16le"], "the UTF-16 string only");
      strictEqual(found.has(absent), false, "a string not in memory is not found");
      ok(search.strings!.includes(asciiMarker) && search.strings!.includes(wideMarker));

      const sections = result.sections;
      ok(sections.ok, JSON.stringify(sections.error));
      const byName = (name: string) =>
        sections.sections!.filter((section) => section.Name === name);
      ok(
        byName("[heap]").length === 1 || byName("[anon]").length > 0,
        "the heap or anonymous memory",
      );
      ok(byName("[stack]").length === 1, "the stack");
      const python = sections.sections!.find((section) => /python3/.test(section.Name));
      ok(python !== undefined && python.Mapped === "true", "the interpreter's image");
      const rwx = sections.sections!.filter((section) =>
        section.Name === "[anon]" && section.Protection === "PAGE_EXECUTE_READWRITE"
      );
      ok(rwx.length > 0 && rwx.every((section) => section.Injected), "anonymous rwx is injected");
      const deleted = byName(deletedPath);
      strictEqual(deleted.length, 1, `the deleted file ${deletedPath}`);
      deepStrictEqual([deleted[0]!.Injected, deleted[0]!.Mapped, deleted[0]!.Protection], [
        true,
        "true",
        "PAGE_READONLY",
      ]);
    } finally {
      child.kill();
      await child.status;
    }
  },
});

Deno.test({
  name: "searchProcessMemory as nobody on a root process gives the reason, not an empty result",
  ignore: !linux,
  async fn() {
    if (Deno.uid() !== 0) {
      console.warn("SKIPPED: running as nobody needs root to switch users");
      return;
    }
    const { child } = await startHolder("x", "y");
    try {
      let result: Probe;
      try {
        result = await runProbe({
          pid: child.pid,
          patterns: [{ text: "x", caseSensitive: false, condition: "contains" }],
        }, "65534");
      } catch (error) {
        console.warn(`SKIPPED: Deno cannot run as nobody (uid 65534) here: ${error}`);
        return;
      }
      ok(!result.search.ok);
      strictEqual(result.search.error?.reason, "unreadable");
      ok(
        result.search.error?.message.includes(`/proc/${child.pid}/`),
        result.search.error?.message,
      );
      // The maps of another user's process: the kernel refuses them to who may not ptrace it.
      ok(!result.sections.ok, "sections of another user's process are refused, not empty");
      strictEqual(result.sections.error?.reason, "unreadable");
    } finally {
      child.kill();
      await child.status;
      await removeUserDenoDir();
    }
  },
});

Deno.test({
  name: "a real corpus IOC (Georbot, StringList items) fires on a live process holding its strings",
  ignore: !linux,
  async fn() {
    const corpus = corpusDir("openioc");
    if (corpus === undefined) return;
    const georbot = join(corpus, "alienvault-labs/Georbot/georbot.ioc");
    // The strings in a Python process: the ASCII ones in a str, usbclient.exe in UTF-16 only.
    const { child } = await startHolder(
      "USBSERV http://c2.example/modules/docs/?bot123&cr1_0",
      "usbclient.exe",
    );
    const { child: clean } = await startHolder("USBSERV only", "usbclient.exe");
    try {
      const fired = await runIocProbe(child.pid, georbot);
      deepStrictEqual(fired.detections, [{
        id: "68505678-f820-48c5-9d13-fa0b3b8be190",
        objects: [`pid ${child.pid}`],
      }]);
      deepStrictEqual([fired.undecided, fired.skipped], [[], []]);
      const quiet = await runIocProbe(clean.pid, georbot);
      deepStrictEqual([quiet.detections, quiet.undecided], [[], []]);
    } finally {
      for (const process of [child, clean]) {
        process.kill();
        await process.status;
      }
    }
  },
});

async function runIocProbe(pid: number, iocFile: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe, JSON.stringify({ pid, iocFiles: [iocFile] })],
    stdout: "piped",
    stderr: "piped",
  }).output();
  ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout)) as {
    detections: { id: string; objects: string[] }[];
    undecided: string[];
    skipped: unknown[];
  };
}

Deno.test({
  name: "searchProcessMemory as an unprivileged user reads that user's own process",
  ignore: !linux,
  async fn() {
    if (Deno.uid() !== 0) {
      console.warn("SKIPPED: switching to uid 65534 needs root");
      return;
    }
    try {
      await Deno.stat(systemPython);
    } catch {
      console.warn(`SKIPPED: no ${systemPython} for uid 65534 to run`);
      return;
    }
    const marker = `iocscan-own-${crypto.randomUUID()}`;
    const { child } = await startHolder(marker, "w", "65534");
    try {
      let result: Probe;
      try {
        result = await runProbe({
          pid: child.pid,
          patterns: [{ text: marker, caseSensitive: false, condition: "contains" }],
        }, "65534");
      } catch (error) {
        console.warn(`SKIPPED: Deno cannot run as uid 65534 here: ${error}`);
        return;
      }
      ok(result.search.ok, JSON.stringify(result.search.error));
      deepStrictEqual(result.search.found!.map((entry) => entry.text), [marker]);
      ok(result.sections.ok && result.sections.sections!.length > 0);
    } finally {
      child.kill();
      await child.status;
      await removeUserDenoDir();
    }
  },
});
