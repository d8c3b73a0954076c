/**
 * Multi-buffer MD5 speed on one core: the WebAssembly SIMD lanes of
 * collectors/hashing/md5_lanes.ts against OpenSSL's MD5 (libcrypto through FFI),
 * `node:crypto` and the reference tool `md5sum`, over the same bytes.
 *
 * Run: `deno run -P=test bench/md5_lanes_bench.ts [--mib N] [--runs N]`
 *
 * Each lane hashes its own N MiB (default 64) of random bytes in memory, fed in
 * 1 MiB updates (the bytes are copied into the lane windows, as a read(2) into
 * them would). The same messages go through libcrypto's one-shot MD5 and
 * `node:crypto`, and through `md5sum` (one process, one core) after they are
 * written to /tmp (warm page cache). A second case cuts the same bytes into
 * files of unequal sizes that lanes take from a queue, as a scan would, so the
 * idle lanes of the last files of a batch are counted. Times are best of N runs (default 3),
 * after a warm-up that lets V8 tier the kernel up from Liftoff to TurboFan.
 */
import { createHash } from "node:crypto";
import { createMd5Lanes, md5LanesModuleBytes } from "../collectors/hashing/md5_lanes.ts";
import { bestOf, ratio } from "./timing.ts";

const args = [...Deno.args];
function option(name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}
const mib = option("--mib", 64);
const runs = option("--runs", 3);
const chunk = 1 << 20;
const laneBytes = mib * chunk;

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

/** Seconds of the fastest of `runs` runs. */
function bestSeconds(run: () => void): number {
  return bestOf(runs, run) / 1000;
}

const mbps = (bytes: number, seconds: number) => bytes / 1e6 / seconds;

const messages = [0, 1, 2, 3, 4, 5, 6, 7].map(() => randomBytes(laneBytes));
const expected = messages.map((message) => createHash("md5").update(message).digest("hex"));

interface LaneFigures {
  lanes: number;
  mbps: number;
  firstMs: number;
  warmUpMs: number;
}

function measureLanes(laneCount: 4 | 8): LaneFigures {
  const buildStart = performance.now();
  const lanes = createMd5Lanes(md5LanesModuleBytes({ lanes: laneCount }), chunk);
  const buildMs = performance.now() - buildStart;
  const counts = new Array<number>(laneCount).fill(chunk);
  const hashAll = (copy: boolean) => {
    for (let lane = 0; lane < laneCount; lane++) lanes.reset(lane);
    for (let at = 0; at < laneBytes; at += chunk) {
      if (copy) {
        for (let lane = 0; lane < laneCount; lane++) {
          lanes.input(lane).set(messages[lane]!.subarray(at, at + chunk));
        }
      }
      lanes.update(counts);
    }
    return Array.from({ length: laneCount }, (_, lane) => lanes.digest(lane));
  };
  // First call runs on Liftoff code until TurboFan's version is ready.
  const firstStart = performance.now();
  lanes.reset(0);
  lanes.input(0).set(messages[0]!.subarray(0, chunk));
  lanes.update(counts);
  const firstMs = performance.now() - firstStart;
  const warmStart = performance.now();
  const digests = hashAll(true);
  const warmUpMs = performance.now() - warmStart;
  digests.forEach((digest, lane) => {
    if (digest !== expected[lane]) throw new Error(`lane ${lane}: ${digest} ≠ ${expected[lane]}`);
  });
  const seconds = bestSeconds(() => hashAll(true));
  const kernelOnly = bestSeconds(() => hashAll(false));
  const total = laneCount * laneBytes;
  console.log(
    `md5 lanes ×${laneCount}: ${
      mbps(total, seconds).toFixed(0)
    } MB/s with copies into the windows, ` +
      `${mbps(total, kernelOnly).toFixed(0)} MB/s kernel only ` +
      `(module+instance ${buildMs.toFixed(1)} ms, first 1 MiB update ${firstMs.toFixed(1)} ms, ` +
      `first full pass of ${total >> 20} MiB ${warmUpMs.toFixed(0)} ms)`,
  );
  return { lanes: laneCount, mbps: mbps(total, seconds), firstMs, warmUpMs };
}

const four = measureLanes(4);
const eight = measureLanes(8);

/**
 * Files of unequal sizes (64 KiB … 8 MiB, seeded) cut from the same bytes, fed
 * as a scan would: a lane that finishes its file is digested and takes the
 * next one, so lanes sit idle whenever fewer files than lanes are left.
 */
function measureUnequalFiles(laneCount: 4 | 8): number {
  let seed = 12345;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const files: Uint8Array[] = [];
  for (const message of messages.slice(0, laneCount)) {
    for (let at = 0; at < message.length;) {
      const size = Math.min(message.length - at, Math.floor(65536 + random() * 8 * chunk));
      files.push(message.subarray(at, at + size));
      at += size;
    }
  }
  const fileDigests = files.map((file) => createHash("md5").update(file).digest("hex"));
  const lanes = createMd5Lanes(md5LanesModuleBytes({ lanes: laneCount }), chunk);
  const counts = new Array<number>(laneCount).fill(0);
  const seconds = bestSeconds(() => {
    const current = new Array<number>(laneCount).fill(-1);
    const offset = new Array<number>(laneCount).fill(0);
    let next = 0;
    let busy = 0;
    for (let lane = 0; lane < laneCount && next < files.length; lane++, busy++) {
      current[lane] = next++;
      lanes.reset(lane);
    }
    while (busy > 0) {
      for (let lane = 0; lane < laneCount; lane++) {
        const index = current[lane]!;
        counts[lane] = 0;
        if (index < 0) continue;
        const file = files[index]!;
        const count = Math.min(chunk, file.length - offset[lane]!);
        lanes.input(lane).set(file.subarray(offset[lane]!, offset[lane]! + count));
        counts[lane] = count;
        offset[lane] = offset[lane]! + count;
      }
      lanes.update(counts);
      for (let lane = 0; lane < laneCount; lane++) {
        const index = current[lane]!;
        if (index < 0 || offset[lane]! < files[index]!.length) continue;
        if (lanes.digest(lane) !== fileDigests[index]) {
          throw new Error(`file ${index} digest differs`);
        }
        lanes.reset(lane);
        offset[lane] = 0;
        if (next < files.length) current[lane] = next++;
        else {
          current[lane] = -1;
          busy--;
        }
      }
    }
  });
  const rate = mbps(laneCount * laneBytes, seconds);
  console.log(
    `md5 lanes ×${laneCount}, ${files.length} files of 64 KiB … 8 MiB: ${rate.toFixed(0)} MB/s ` +
      `with copies into the windows`,
  );
  return rate;
}
measureUnequalFiles(4);
measureUnequalFiles(8);

// The comparisons hash the same four messages (4 × mib MiB) one after the other.
const compared = messages.slice(0, 4);
const comparedBytes = 4 * laneBytes;

const libcrypto = Deno.dlopen("libcrypto.so.3", {
  MD5: { parameters: ["buffer", "usize", "buffer"], result: "pointer" },
});
const out = new Uint8Array(16);
const libcryptoSeconds = bestSeconds(() => {
  for (const message of compared) libcrypto.symbols.MD5(message, BigInt(message.length), out);
});
libcrypto.close();
const nodeSeconds = bestSeconds(() => {
  for (const message of compared) {
    const hash = createHash("md5");
    for (let at = 0; at < laneBytes; at += chunk) hash.update(message.subarray(at, at + chunk));
    hash.digest("hex");
  }
});

const directory = Deno.makeTempDirSync({ prefix: "md5-lanes-bench-" });
let md5sumSeconds = NaN;
try {
  const paths = compared.map((message, lane) => {
    const path = `${directory}/lane${lane}.bin`;
    Deno.writeFileSync(path, message);
    return path;
  });
  md5sumSeconds = bestSeconds(() => {
    const result = new Deno.Command("md5sum", { args: paths, stdout: "piped" }).outputSync();
    if (!result.success) throw new Error("md5sum failed");
    const lines = new TextDecoder().decode(result.stdout).trim().split("\n");
    lines.forEach((line, lane) => {
      if (!line.startsWith(expected[lane]!)) throw new Error(`md5sum disagrees on lane ${lane}`);
    });
  });
} finally {
  Deno.removeSync(directory, { recursive: true });
}

const libcryptoMbps = mbps(comparedBytes, libcryptoSeconds);
const nodeMbps = mbps(comparedBytes, nodeSeconds);
const md5sumMbps = mbps(comparedBytes, md5sumSeconds);
console.log(`libcrypto MD5 (FFI, one-shot): ${libcryptoMbps.toFixed(0)} MB/s`);
console.log(`node:crypto md5 (1 MiB updates): ${nodeMbps.toFixed(0)} MB/s`);
console.log(`md5sum (one process, warm files): ${md5sumMbps.toFixed(0)} MB/s`);
for (const figures of [four, eight]) {
  console.log(
    `ratio lanes×${figures.lanes}: ${ratio(figures.mbps, libcryptoMbps)} libcrypto, ` +
      `${ratio(figures.mbps, nodeMbps)} node:crypto, ${ratio(figures.mbps, md5sumMbps)} md5sum`,
  );
}
