/**
 * The mutation suite's machinery: seeds (built with code, and corpus files
 * read in place), a deterministic mutator (seeded PRNG: bit flips, byte runs,
 * truncation, length-field blasts, chunk/hbin/page duplication), and one
 * runner per parser that drives a mutated input through the entry points the
 * collectors use, recording whether anything threw out of them, how much work
 * it took (reads, records, keys) and the largest buffer the parser reported.
 * `tests/mutation_fuzz_test.ts` runs a small seeded set in the normal suite;
 * `bench/mutation_fuzz.ts --count N` runs more and prints inputs/s.
 *
 * @module
 */
import { join } from "node:path";
import type { ByteSource } from "../formats/byte_source.ts";
import { byteSourceFromBytes } from "../formats/byte_source.ts";
import { readEvtxChunks } from "../formats/evtx/mod.ts";
import {
  buildEvtx,
  element,
  filetime,
  le,
  type Token,
  utf16,
  type Value,
} from "../formats/evtx/_fixtures.ts";
import { parsePeInfo } from "../formats/pe/mod.ts";
import { buildPe } from "../formats/pe/_testing/pe_builder.ts";
import { buildHive, RegfError, RegistryHive, type TransactionLog } from "../formats/regf/mod.ts";
import { eventFromRecord } from "../collectors/eventlog/windows_event.ts";
import { HiveMount } from "../collectors/registry/hive_mount.ts";
import { parsePartitionTable, readVolumeBootRecords } from "../formats/partition_table/mod.ts";
import {
  buildGptImage,
  buildMbrImage,
  gptTypes,
} from "../formats/partition_table/_image_builder.ts";
import { corpusDir } from "./corpus.ts";

/** The parsers under test. */
export type FuzzKind = "pe" | "evtx" | "regf" | "partition";

/** One input to mutate: a file's bytes (and a hive's transaction logs). */
export interface FuzzSeed {
  kind: FuzzKind;
  name: string;
  bytes: Uint8Array;
  logs?: TransactionLog[];
}

/** A deterministic PRNG (mulberry32): the same seed gives the same mutations everywhere. */
export class Prng {
  #state: number;
  /** Starts from `seed`. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  }
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** Values written over length and offset fields. */
const BLASTS = [0, 1, 0x7f, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x1000, 0x200];

/** Block sizes a format repeats: EVTX chunks, hive bins pages, PE file alignment. */
const BLOCK: Record<FuzzKind, { start: number; size: number }> = {
  evtx: { start: 4096, size: 65536 },
  regf: { start: 4096, size: 4096 },
  pe: { start: 0, size: 512 },
  partition: { start: 0, size: 512 },
};

/** Header fields worth blasting (offsets of size/count/offset fields), per format. */
const FIELDS: Record<FuzzKind, readonly number[]> = {
  // File header: header size, version, block size, chunk count; chunk header: first/last
  // record numbers and ids, header size, last record offset, free space offset.
  evtx: [
    32,
    36,
    40,
    42,
    4096 + 8,
    4096 + 16,
    4096 + 24,
    4096 + 32,
    4096 + 40,
    4096 + 44,
    4096 + 48,
  ],
  // Base block: sequences, root cell, hive bins size; first bin: offset, size; first cells.
  regf: [4, 8, 36, 40, 4096 + 4, 4096 + 8, 4096 + 32, 4096 + 36, 4096 + 40, 4096 + 48, 4096 + 60],
  // e_lfanew, then (for a typical header at 0x80) section count, optional header size,
  // data directory entries.
  pe: [0x3c, 0x86, 0x94, 0x80 + 0x74, 0x80 + 0x78, 0x80 + 0x80, 0x80 + 0x84, 0x80 + 0x88],
  // MBR entries' LBA start and sector count; GPT header: header size, my/alternate LBA, usable
  // range, entry-array LBA, entry count and size.
  partition: [
    446 + 8,
    446 + 12,
    462 + 8,
    462 + 12,
    494 + 8,
    494 + 12,
    512 + 12,
    512 + 24,
    512 + 32,
    512 + 40,
    512 + 48,
    512 + 72,
    512 + 80,
    512 + 84,
  ],
};

/** What a mutation did, for messages. */
export interface Mutant {
  seed: FuzzSeed;
  bytes: Uint8Array;
  logs?: TransactionLog[];
  description: string;
}

/**
 * Mutates a copy of `target` with one of the five operators.
 * Returns the new bytes and what was done.
 */
export function mutateBytes(
  target: Uint8Array,
  kind: FuzzKind,
  prng: Prng,
): { bytes: Uint8Array; description: string } {
  const bytes = target.slice();
  const n = bytes.length;
  if (n === 0) return { bytes, description: "empty" };
  switch (prng.below(5)) {
    case 0: {
      const flips = 1 + prng.below(8);
      for (let i = 0; i < flips; i++) bytes[prng.below(n)]! ^= 1 << prng.below(8);
      return { bytes, description: `${flips} bit flips` };
    }
    case 1: {
      const at = prng.below(n);
      const length = Math.min(n - at, 1 + prng.below(64));
      const fill = prng.below(3);
      for (let i = 0; i < length; i++) {
        bytes[at + i] = fill === 0 ? 0 : fill === 1 ? 0xff : prng.below(256);
      }
      return { bytes, description: `run of ${length} bytes at ${at}` };
    }
    case 2: {
      const length = prng.below(n);
      return { bytes: bytes.slice(0, length), description: `truncated to ${length}` };
    }
    case 3: {
      const fields = FIELDS[kind].filter((offset) => offset + 4 <= n);
      const at = fields.length > 0 && prng.below(2) === 0
        ? prng.pick(fields)
        : prng.below(Math.max(1, n - 4)) & ~3;
      const value = prng.pick(BLASTS);
      if (at + 4 <= n) new DataView(bytes.buffer).setUint32(at, value, true);
      return { bytes, description: `u32 0x${value.toString(16)} at ${at}` };
    }
    default: {
      const { start, size } = BLOCK[kind];
      const blocks = Math.floor((n - start) / size);
      if (blocks < 1) return { bytes, description: "no block to duplicate" };
      const from = start + prng.below(blocks) * size;
      const block = bytes.slice(from, from + size);
      if (blocks > 1 && prng.below(2) === 0) {
        const to = start + prng.below(blocks) * size;
        bytes.set(block, to);
        return { bytes, description: `block at ${from} copied to ${to}` };
      }
      const grown = new Uint8Array(n + size);
      grown.set(bytes);
      grown.set(block, n);
      return { bytes: grown, description: `block at ${from} appended` };
    }
  }
}

/** Mutates a seed: its bytes, or (for a hive with logs) sometimes one of its logs. */
export function mutate(seed: FuzzSeed, prng: Prng): Mutant {
  if (seed.logs && seed.logs.length > 0 && prng.below(2) === 0) {
    const index = prng.below(seed.logs.length);
    const log = seed.logs[index]!;
    const { bytes, description } = mutateBytes(log.bytes, "regf", prng);
    const logs = seed.logs.map((l, i) => i === index ? { name: l.name, bytes } : l);
    return { seed, bytes: seed.bytes, logs, description: `${log.name}: ${description}` };
  }
  const { bytes, description } = mutateBytes(seed.bytes, seed.kind, prng);
  const mutant: Mutant = { seed, bytes, description };
  if (seed.logs) mutant.logs = seed.logs;
  return mutant;
}

/** What one input cost and whether it broke a rule. */
export interface FuzzResult {
  /** The error that escaped an entry point, if one did. */
  threw?: string;
  /** Operations: byte-source reads, records decoded, keys and values visited. */
  work: number;
  /** The bound `work` was held to for this input. */
  workBound: number;
  /** Whether the work bound was hit (the run was cut there). */
  exceeded: boolean;
  /** The largest single buffer the parser reported or returned, in bytes. */
  largest: number;
  /** The bound `largest` was held to. */
  largestBound: number;
}

/** Raised by the counting wrappers when an input's work bound is reached. */
class WorkBoundExceeded extends Error {}

/** A byte source over `bytes` that counts reads and stops the run past `bound`. */
function countingSource(bytes: Uint8Array, result: FuzzResult): ByteSource {
  const inner = byteSourceFromBytes(bytes);
  return {
    size: inner.size,
    read(offset, length) {
      result.work++;
      if (result.work > result.workBound) {
        result.exceeded = true;
        return Promise.reject(new WorkBoundExceeded("work bound exceeded"));
      }
      return inner.read(offset, length).then((chunk) => {
        result.largest = Math.max(result.largest, chunk.length);
        return chunk;
      });
    },
  };
}

/**
 * Bounds per input, linear in its size: a parser that loops or allocates out
 * of proportion to its input breaks them.
 */
function bounds(kind: FuzzKind, size: number, logBytes = 0): { work: number; largest: number } {
  switch (kind) {
    // PE tables are read a few entries at a time: reads grow with the file, capped by the
    // parser's own limits (1,024 sections, 64 MiB of table reads).
    case "pe":
      return { work: 20_000 + size, largest: Math.max(size, 1 << 16) };
    // A chunk header and its records; every record is at least 24 bytes.
    case "evtx":
      return { work: 1_000 + Math.ceil(size / 24) * 4, largest: Math.max(size, 1 << 16) };
    // Every key and value is a cell of at least 8 bytes; the recovered image is the primary
    // grown by what its logs carry.
    case "regf":
      return {
        work: 1_000 + Math.ceil((size + logBytes) / 8) * 2,
        largest: Math.max(size, 4096) + 2 * logBytes + (1 << 16),
      };
    // A bounded number of sectors: the MBR, at most 129 EBRs, GPT header, array and backup, and
    // one volume boot record per partition (at most 1,024 GPT entries); no read larger than the
    // image (the entry array is capped at 1 MiB, and read only from the image).
    case "partition":
      return { work: 1_400, largest: Math.max(size, 4096) };
  }
}

/** Runs `parsePeInfo` as the file collector does (a byte source over the file). */
async function runPe(bytes: Uint8Array, result: FuzzResult): Promise<void> {
  const parsed = await parsePeInfo(countingSource(bytes, result));
  if (parsed.ok) result.work += parsed.warnings.length;
}

/** Runs the EVTX reader and turns records into events, as the eventlog collector does. */
async function runEvtx(bytes: Uint8Array, result: FuzzResult): Promise<void> {
  const warnings: string[] = [];
  for await (
    const records of readEvtxChunks(countingSource(bytes, result), {
      onWarning: (w) => warnings.push(w.code),
    })
  ) {
    for (const record of records) {
      result.work++;
      if (result.work > result.workBound) {
        result.exceeded = true;
        return;
      }
      try {
        eventFromRecord(record, "fuzz.evtx");
      } catch {
        // The collector reports this as an evtx-record-decode warning and goes on.
      }
    }
  }
}

/** Opens the hive (recovering it from logs) and walks every key and value, as the collector does. */
function runRegf(bytes: Uint8Array, logs: TransactionLog[] | undefined, result: FuzzResult) {
  let hive: RegistryHive;
  try {
    hive = RegistryHive.open(bytes, logs ? { logs } : {});
  } catch (error) {
    // Non-hives are rejected with RegfError: the collector's skip. Anything else escapes.
    if (error instanceof RegfError) return;
    throw error;
  }
  result.largest = Math.max(result.largest, hive.bytes.length);
  const mount = new HiveMount("fuzz.hiv", hive, {
    root: "HKEY_LOCAL_MACHINE",
    mountPath: "FUZZ",
    role: "OTHER",
  });
  for (const visit of mount.walk([], true) ?? []) {
    result.work++;
    for (const record of visit.values()) {
      result.work++;
      result.largest = Math.max(result.largest, record.data?.length ?? 0);
    }
    if (result.work > result.workBound) {
      result.exceeded = true;
      break;
    }
  }
  mount.counts();
  mount.takeWarnings();
}

/** Parses the table and reads the volume boot records, as the disk collector does. */
async function runPartition(bytes: Uint8Array, result: FuzzResult): Promise<void> {
  const source = countingSource(bytes, result);
  const table = await parsePartitionTable(source);
  result.work += table.partitions.length;
  for (const record of table.records) {
    result.largest = Math.max(result.largest, record.bytes.length);
  }
  for (const record of await readVolumeBootRecords(source, table)) {
    result.largest = Math.max(result.largest, record.bytes.length);
  }
}

/** Drives one mutated input through its parser's entry points; never throws itself. */
export async function runMutant(mutant: Mutant): Promise<FuzzResult> {
  const logBytes = (mutant.logs ?? []).reduce((sum, log) => sum + log.bytes.length, 0);
  const bound = bounds(mutant.seed.kind, mutant.bytes.length, logBytes);
  const result: FuzzResult = {
    work: 0,
    workBound: bound.work,
    exceeded: false,
    largest: 0,
    largestBound: bound.largest,
  };
  try {
    if (mutant.seed.kind === "pe") await runPe(mutant.bytes, result);
    else if (mutant.seed.kind === "evtx") await runEvtx(mutant.bytes, result);
    else if (mutant.seed.kind === "partition") await runPartition(mutant.bytes, result);
    else runRegf(mutant.bytes, mutant.logs, result);
  } catch (error) {
    if (!(error instanceof WorkBoundExceeded)) {
      result.threw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return result;
}

/** Whether a result broke a rule, and which; undefined when it kept them all. */
export function violation(result: FuzzResult): string | undefined {
  if (result.threw !== undefined) return `threw ${result.threw}`;
  if (result.exceeded) return `work over its bound of ${result.workBound}`;
  if (result.largest > result.largestBound) {
    return `a buffer of ${result.largest} bytes, over its bound of ${result.largestBound}`;
  }
  return undefined;
}

// ---- seeds built with code ----

function evtxSeed(): Uint8Array {
  const str = (s: string): Value => ({ type: 0x01, bytes: utf16(s + "\0") });
  const template: Token[] = element("Event", [], [
    ...element("System", [], [
      ...element("Provider", [["Name", [{ sub: 0, type: 1, optional: true }]]], []),
      ...element("EventID", [], [{ sub: 1, type: 6 }]),
      ...element("TimeCreated", [["SystemTime", [{ sub: 2, type: 0x11, optional: true }]]], []),
      ...element("EventRecordID", [], [{ sub: 3, type: 0x0a }]),
      ...element("Channel", [], [{ text: "Fuzz/Operational" }]),
    ]),
    ...element("EventData", [], [
      ...element("Data", [["Name", [{ text: "CommandLine" }]]], [{ sub: 4, type: 1 }]),
      ...element("Data", [["Name", [{ text: "Hashes" }]]], [{ sub: 5, type: 1 }]),
    ]),
  ]);
  const t0 = Date.UTC(2024, 0, 2, 3, 4, 5);
  return buildEvtx({
    template,
    records: Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      writtenMs: t0 + i * 1000,
      values: [
        str("Fuzz-Provider"),
        { type: 0x06, bytes: le(4688 + i, 2) },
        { type: 0x11, bytes: filetime(t0 + i * 1000) },
        { type: 0x0a, bytes: le(i + 1, 8) },
        str(`cmd.exe /c echo ${"x".repeat(i * 7)}`),
        str(`MD5=${"0".repeat(32)}`),
      ],
    })),
  });
}

function hiveSeed(): Uint8Array {
  const subkeys = Array.from({ length: 30 }, (_, i) => ({
    name: `Key${i}`,
    values: [
      { name: "Path", type: 1, data: new TextEncoder().encode(`C:\\x${i}.exe\0`) },
      { name: "Count", type: 4, data: Uint8Array.of(i, 0, 0, 0) },
    ],
  }));
  return buildHive({
    name: "ROOT",
    subkeys: [
      { name: "Software", subkeys },
      {
        name: "Big",
        values: [{ name: "Blob", type: 3, data: new Uint8Array(40_000).fill(7) }],
      },
    ],
  }).bytes;
}

/** A small MBR image: primaries, an extended partition and a chain of three logicals. */
function mbrSeed(): Uint8Array {
  return buildMbrImage({
    sectors: 128,
    primaries: [
      { type: 0x07, lbaStart: 8, sectors: 16, status: 0x80 },
      { type: 0x83, lbaStart: 24, sectors: 16 },
      { type: 0x05, lbaStart: 40, sectors: 80 },
    ],
    logicals: [
      { type: 0x83, ebrLba: 40, offset: 1, sectors: 15 },
      { type: 0x0c, ebrLba: 56, offset: 1, sectors: 15 },
      { type: 0x82, ebrLba: 72, offset: 1, sectors: 40 },
    ],
  });
}

/** A small GPT image: four entries in one sector, EFI System, basic data and Linux. */
function gptSeed(): Uint8Array {
  const entry = (type: string, firstLba: number, lastLba: number, n: number) => ({
    type,
    guid: `aaaaaaaa-0000-0000-0000-00000000000${n}`,
    firstLba,
    lastLba,
    name: `part ${n}`,
  });
  return buildGptImage({
    sectors: 128,
    diskGuid: "11111111-2222-3333-4444-555555555555",
    entryCount: 4,
    entries: [
      entry(gptTypes.efiSystem, 8, 31, 1),
      entry(gptTypes.basicData, 32, 63, 2),
      entry(gptTypes.linuxFilesystem, 64, 120, 3),
    ],
  }).bytes;
}

/**
 * Seeds built with code: PE (32 and 64 bits, with tables and resources), EVTX, REGF, and MBR
 * and GPT disk images.
 */
export function builtSeeds(): FuzzSeed[] {
  const pe32 = buildPe({
    bits: 32,
    imports: [{ name: "KERNEL32.dll", functions: ["CreateFileW", "ReadFile", 3] }],
    delayImports: [{ name: "USER32.dll", functions: ["MessageBoxW"] }],
    exports: { dllName: "fuzz.dll", names: ["Run", "Stop"] },
    version: { "040904B0": { CompanyName: "Contoso", OriginalFilename: "fuzz.dll" } },
  }).bytes;
  const pe64 = buildPe({
    bits: 64,
    dll: true,
    imports: [{ name: "ntdll.dll", functions: ["NtClose", 7] }],
    version: { "040904B0": { ProductName: "Fuzz" } },
    resources: [{ type: 10, name: "DATA", language: 1033, data: new Uint8Array(300).fill(1) }],
    overlay: 1000,
  }).bytes;
  return [
    { kind: "pe", name: "built pe32", bytes: pe32 },
    { kind: "pe", name: "built pe64", bytes: pe64 },
    { kind: "evtx", name: "built evtx", bytes: evtxSeed() },
    { kind: "regf", name: "built hive", bytes: hiveSeed() },
    { kind: "partition", name: "built mbr image", bytes: mbrSeed() },
    { kind: "partition", name: "built gpt image", bytes: gptSeed() },
  ];
}

/**
 * Seeds from the corpus, read in place: a few small EVTX files, small hives,
 * and dirty hives with their transaction logs. Empty when the corpus is absent.
 */
export async function corpusSeeds(): Promise<FuzzSeed[]> {
  const seeds: FuzzSeed[] = [];
  const evtx = corpusDir("evtx");
  const registry = corpusDir("registry");
  if (evtx) {
    for (
      const file of [
        "omerbenamram-evtx/Security_short_selected.evtx",
        "omerbenamram-evtx/sample-with-irregular-bool-values.evtx",
      ]
    ) {
      const bytes = await Deno.readFile(join(evtx, file)).catch(() => undefined);
      if (bytes && bytes.length <= 2 << 20) {
        seeds.push({ kind: "evtx", name: file, bytes });
      }
    }
  }
  if (registry) {
    for (
      const [folder, base] of [
        ["yarp/NewDirtyHive1", "NewDirtyHive"],
        ["yarp/OldDirtyHive", "OldDirtyHive"],
      ]
    ) {
      const dir = join(registry, folder!);
      const bytes = await Deno.readFile(join(dir, base!)).catch(() => undefined);
      if (!bytes) continue;
      const logs: TransactionLog[] = [];
      for (const suffix of [".LOG1", ".LOG2"]) {
        const log = await Deno.readFile(join(dir, base + suffix)).catch(() => undefined);
        if (log) logs.push({ name: base + suffix, bytes: log });
      }
      seeds.push({ kind: "regf", name: `${folder}/${base}`, bytes, logs });
    }
  }
  return seeds;
}
