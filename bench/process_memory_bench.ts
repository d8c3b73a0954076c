/**
 * Searching a process's memory for IOC strings: MB/s of `searchProcessMemory`
 * (collectors/process/memory/) against a Python reference that reads the same
 * regions of `/proc/<pid>/mem` and looks for each pattern's ASCII and
 * UTF-16LE forms with `bytes.find` on ASCII-lower-cased data, on the same
 * process in the same run. Both must find the same patterns.
 *
 * The process searched is a python3 child holding 256 MiB of random
 * bytes with the strings placed in it (ASCII and UTF-16LE), so the figures do
 * not depend on what else runs on the machine.
 *
 * Run: `deno run -A bench/process_memory_bench.ts [--mib N] [--patterns N]`
 * (reading `/proc` needs every permission; under a narrower set the script
 * runs itself again with `-A`).
 */
import { compilePatterns, type MemoryPattern } from "../collectors/process/memory/byte_patterns.ts";
import { linuxMemorySource } from "../collectors/process/memory/linux_source.ts";
import { searchProcessMemory } from "../collectors/process/memory/memory_search.ts";

if (Deno.build.os !== "linux") {
  console.log("process memory bench: Linux only; skipped");
  Deno.exit(0);
}
if (!allPermissions()) {
  const again = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, ...Deno.args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  Deno.exit(again.code);
}

function allPermissions(): boolean {
  try {
    Deno.readTextFileSync("/proc/self/maps");
    return true;
  } catch {
    return false;
  }
}

const args = [...Deno.args];
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const mib = option("--mib", 256);
const patternCount = option("--patterns", 40);

const present = Array.from(
  { length: patternCount / 2 },
  (_, i) => `iocscan-bench-${i}-${crypto.randomUUID()}`,
);
const absent = Array.from(
  { length: patternCount / 2 },
  (_, i) => `iocscan-absent-${i}-${crypto.randomUUID()}`,
);

// The holder gets the present strings shifted by one code point, so their plain forms exist
// only where it writes them: half in ASCII, half in UTF-16LE, spread through the buffer.
const holder = `
import os, sys, time
size = int(sys.argv[1]) << 20
data = bytearray(os.urandom(size))
words = sys.argv[2:]
for i, word in enumerate(words):
    plain = ''.join(chr(ord(c) - 1) for c in word)
    raw = plain.encode('ascii') if i % 2 == 0 else plain.encode('utf-16-le')
    at = (i + 1) * (size // (len(words) + 2))
    data[at:at + len(raw)] = raw
    plain = None
print('ready', flush=True)
time.sleep(600)
`;

const reference = `
import re, sys, time
pid = int(sys.argv[1])
patterns = sys.argv[2:]
forms = [(i, p.lower().encode('ascii')) for i, p in enumerate(patterns)] + \\
        [(i, p.lower().encode('utf-16-le')) for i, p in enumerate(patterns)]
found = set()
total = 0
start = time.perf_counter()
with open(f'/proc/{pid}/maps') as maps, open(f'/proc/{pid}/mem', 'rb', 0) as mem:
    for line in maps:
        fields = line.split()
        lo, hi = (int(x, 16) for x in fields[0].split('-'))
        name = fields[5] if len(fields) > 5 else ''
        if fields[1][0] != 'r' or name in ('[vvar]', '[vvar_vclock]', '[vsyscall]'):
            continue
        if name.startswith('/dev/') and name != '/dev/zero' and not name.startswith('/dev/shm/'):
            continue
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
        except OSError:
            continue
        total += len(data)
        lowered = data.lower()
        for i, form in forms:
            if i not in found and lowered.find(form) >= 0:
                found.add(i)
print(total, time.perf_counter() - start, ' '.join(str(i) for i in sorted(found)))
`;

const shifted = present.map((word) =>
  [...word].map((c) => String.fromCharCode(c.charCodeAt(0) + 1)).join("")
);
const child = new Deno.Command("python3", {
  args: ["-c", holder, String(mib), ...shifted],
  stdout: "piped",
}).spawn();
try {
  const reader = child.stdout.getReader();
  let line = "";
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += new TextDecoder().decode(value);
  }
  reader.releaseLock();

  const patterns: MemoryPattern[] = [...present, ...absent].map((text) => ({
    text,
    caseSensitive: false,
    condition: "contains",
  }));
  const { compiled } = compilePatterns(patterns);
  const started = performance.now();
  const ours = await searchProcessMemory(child.pid, compiled, {
    maxBytes: (mib + 512) << 20,
    maxMs: 600_000,
  }, linuxMemorySource());
  const oursMs = performance.now() - started;
  if (!ours.ok) throw ours.error;

  const ref = await new Deno.Command("python3", {
    args: ["-c", reference, String(child.pid), ...present, ...absent],
    stdout: "piped",
  }).output();
  const [refBytes, refSeconds, ...refFound] = new TextDecoder().decode(ref.stdout).trim().split(
    " ",
  );
  const refMs = Number(refSeconds) * 1000;
  const oursFound = ours.found.map((found) => [...present, ...absent].indexOf(found.text)).sort((
    a,
    b,
  ) => a - b);
  const mbps = (bytes: number, ms: number) => (bytes / (1 << 20) / (ms / 1000)).toFixed(0);
  console.log(
    `process of ${mib} MiB of data, ${patternCount} patterns (${present.length} present)`,
  );
  console.log(
    `iocscan searchProcessMemory: ${ours.bytesRead} bytes in ${oursMs.toFixed(0)} ms (${
      mbps(ours.bytesRead, oursMs)
    } MB/s), found ${oursFound.length}`,
  );
  console.log(
    `python3 bytes.find reference: ${refBytes} bytes in ${refMs.toFixed(0)} ms (${
      mbps(Number(refBytes), refMs)
    } MB/s), found ${refFound.length}`,
  );
  console.log(`ratio (iocscan time / reference time): ${(oursMs / refMs).toFixed(2)}`);
  const same = JSON.stringify(oursFound) === JSON.stringify(refFound.map(Number));
  console.log(
    same ? "same patterns found" : `DIFFERENT: iocscan ${oursFound} vs reference ${refFound}`,
  );
  if (!same || oursFound.length !== present.length) Deno.exitCode = 1;
} finally {
  try {
    child.kill();
  } catch {
    // It has already exited (the failure it printed says why).
  }
  await child.status;
}
