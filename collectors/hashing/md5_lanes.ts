/**
 * Multi-buffer MD5: four (or eight) independent messages hashed at once in the
 * 32-bit lanes of WebAssembly SIMD `v128` values.
 *
 * MD5's 64 steps form one long dependency chain, so a scalar MD5 leaves most
 * of a core idle waiting on latency. Running four messages in the four lanes
 * of one vector costs about the same latency per block as one scalar block,
 * hence the gain. The WebAssembly module is emitted by {@linkcode
 * md5LanesModuleBytes} from this file (a small writer of the binary format),
 * so nothing prebuilt is checked in; {@linkcode createMd5Lanes} instantiates
 * it and drives it.
 *
 * @example
 * ```ts
 * import { createMd5Lanes, md5LanesModuleBytes } from "./md5_lanes.ts";
 * const lanes = createMd5Lanes(md5LanesModuleBytes(), 1 << 16);
 * lanes.reset(0);
 * lanes.input(0).set(new TextEncoder().encode("abc"));
 * lanes.update([3, 0, 0, 0]);
 * console.log(lanes.digest(0)); // 900150983cd24fb0d6963f7d28e17f72
 * ```
 *
 * @module
 */

/** Options of {@linkcode md5LanesModuleBytes}. */
export interface Md5LanesModuleOptions {
  /**
   * Messages per kernel call: 4 (one `v128` chain) or 8 (two chains
   * interleaved, for more instruction-level parallelism; about 1.5× the
   * throughput of 4 when all lanes are busy). Default 8.
   */
  lanes?: 4 | 8;
}

// --- WebAssembly binary writer ------------------------------------------------

/** A growing byte buffer with the encodings of the WebAssembly binary format. */
class ByteWriter {
  #buffer = new Uint8Array(1024);
  #length = 0;
  get length(): number {
    return this.#length;
  }
  u8(byte: number): this {
    if (this.#length === this.#buffer.length) {
      const bigger = new Uint8Array(this.#buffer.length * 2);
      bigger.set(this.#buffer);
      this.#buffer = bigger;
    }
    this.#buffer[this.#length++] = byte;
    return this;
  }
  /** Unsigned LEB128. */
  uleb(value: number): this {
    let rest = value >>> 0;
    do {
      const byte = rest & 0x7f;
      rest >>>= 7;
      this.u8(rest !== 0 ? byte | 0x80 : byte);
    } while (rest !== 0);
    return this;
  }
  /** Signed LEB128 of a 32-bit integer. */
  sleb(value: number): this {
    let rest = value | 0;
    for (;;) {
      const byte = rest & 0x7f;
      rest >>= 7;
      const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  append(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.u8(bytes[i]!);
    return this;
  }
  /** A length-prefixed UTF-8 name. */
  name(text: string): this {
    const bytes = new TextEncoder().encode(text);
    return this.uleb(bytes.length).append(bytes);
  }
  /** The bytes written so far, prefixed by their count (a section's or a body's size). */
  sized(): Uint8Array {
    return new ByteWriter().uleb(this.#length).append(this.bytes()).bytes();
  }
  bytes(): Uint8Array<ArrayBuffer> {
    return this.#buffer.slice(0, this.#length);
  }
}

const typeI32 = 0x7f;
const typeV128 = 0x7b;

/** Opcodes of the instructions without immediates that the kernel uses. */
const plainOpcodes = {
  "i32.add": 0x6a,
  "i32.sub": 0x6b,
  "i32.eqz": 0x45,
  "end": 0x0b,
  "v128.not": { simd: 0x4d },
  "v128.and": { simd: 0x4e },
  "v128.andnot": { simd: 0x4f },
  "v128.or": { simd: 0x50 },
  "v128.xor": { simd: 0x51 },
  "v128.bitselect": { simd: 0x52 },
  "i32x4.shl": { simd: 0xab },
  "i32x4.shr_u": { simd: 0xad },
  "i32x4.add": { simd: 0xae },
} as const;

type PlainInstruction = keyof typeof plainOpcodes;

/** Writes one function body as a stream of instructions. */
class CodeWriter extends ByteWriter {
  localGet(index: number): this {
    return this.u8(0x20).uleb(index);
  }
  localSet(index: number): this {
    return this.u8(0x21).uleb(index);
  }
  i32Const(value: number): this {
    return this.u8(0x41).sleb(value);
  }
  block(): this {
    return this.u8(0x02).u8(0x40);
  }
  loop(): this {
    return this.u8(0x03).u8(0x40);
  }
  br(depth: number): this {
    return this.u8(0x0c).uleb(depth);
  }
  brIf(depth: number): this {
    return this.u8(0x0d).uleb(depth);
  }
  /** An instruction without immediates, by its name in the WebAssembly text format. */
  op(name: PlainInstruction): this {
    const code = plainOpcodes[name];
    return typeof code === "number" ? this.u8(code) : this.simd(code.simd);
  }
  /** An instruction after the 0xFD (SIMD) prefix; the caller writes its immediates. */
  simd(opcode: number): this {
    return this.u8(0xfd).uleb(opcode);
  }
  /** `v128.load` at `offset`, alignment hint 1 byte (loads may be unaligned). */
  v128Load(offset: number): this {
    return this.simd(0x00).u8(0).uleb(offset);
  }
  v128Store(offset: number): this {
    return this.simd(0x0b).u8(0).uleb(offset);
  }
  /** `i8x16.shuffle` expressed as a choice of 32-bit words (0–3: first operand, 4–7: second). */
  shuffleWords(words: readonly [number, number, number, number]): this {
    this.simd(0x0d);
    for (const word of words) this.u8(word * 4).u8(word * 4 + 1).u8(word * 4 + 2).u8(word * 4 + 3);
    return this;
  }
}

// --- The MD5 kernel -----------------------------------------------------------

const md5Shifts = [
  [7, 12, 17, 22],
  [5, 9, 14, 20],
  [4, 11, 16, 23],
  [6, 10, 15, 21],
] as const;

/** RFC 1321's T[i] = floor(2^32 · |sin(i + 1)|). */
function md5Constant(step: number): number {
  return Math.floor(Math.abs(Math.sin(step + 1)) * 4294967296) >>> 0;
}

/** Where the module's data segment puts T[0…63], each splatted to 16 bytes, then 16 bytes of ones. */
const constantTableAt = 0;

function md5MessageIndex(step: number): number {
  const round = step >> 4;
  const i = step & 15;
  if (round === 0) return i;
  if (round === 1) return (5 * i + 1) & 15;
  if (round === 2) return (3 * i + 5) & 15;
  return (7 * i) & 15;
}

/** The v128 locals of one chain of four lanes. */
interface ChainLocals {
  /** a, b, c, d */
  state: [number, number, number, number];
  /** The state at the start of the block. */
  saved: [number, number, number, number];
  /** The 16 message words, transposed: word j of lane i in lane i of message[j]. */
  message: number[];
  /** Four rows and four half-transposed rows for the transpose. */
  rows: [number, number, number, number];
  half: [number, number, number, number];
  temp: number;
  /** In round 3: c ^ d of the coming step. */
  crossed: number;
}

/**
 * Loads four rows of four 32-bit words (row l from `pointers[l] + offset`) and
 * stores the transposed columns into `out`: lane l of out[j] = word j of row l.
 */
function emitTransposeLoad(
  code: CodeWriter,
  pointers: readonly number[],
  offset: number,
  chain: ChainLocals,
  out: readonly number[],
): void {
  const [r0, r1, r2, r3] = chain.rows;
  const [h0, h1, h2, h3] = chain.half;
  pointers.forEach((pointer, row) =>
    code.localGet(pointer).v128Load(offset).localSet(chain.rows[row]!)
  );
  code.localGet(r0).localGet(r1).shuffleWords([0, 4, 1, 5]).localSet(h0);
  code.localGet(r0).localGet(r1).shuffleWords([2, 6, 3, 7]).localSet(h1);
  code.localGet(r2).localGet(r3).shuffleWords([0, 4, 1, 5]).localSet(h2);
  code.localGet(r2).localGet(r3).shuffleWords([2, 6, 3, 7]).localSet(h3);
  code.localGet(h0).localGet(h2).shuffleWords([0, 1, 4, 5]).localSet(out[0]!);
  code.localGet(h0).localGet(h2).shuffleWords([2, 3, 6, 7]).localSet(out[1]!);
  code.localGet(h1).localGet(h3).shuffleWords([0, 1, 4, 5]).localSet(out[2]!);
  code.localGet(h1).localGet(h3).shuffleWords([2, 3, 6, 7]).localSet(out[3]!);
}

/** Transposes the four state vectors back to rows and stores row l at `pointers[l]`. */
function emitTransposeStore(
  code: CodeWriter,
  pointers: readonly number[],
  chain: ChainLocals,
): void {
  const [a, b, c, d] = chain.state;
  const [h0, h1, h2, h3] = chain.half;
  code.localGet(a).localGet(b).shuffleWords([0, 4, 1, 5]).localSet(h0);
  code.localGet(a).localGet(b).shuffleWords([2, 6, 3, 7]).localSet(h1);
  code.localGet(c).localGet(d).shuffleWords([0, 4, 1, 5]).localSet(h2);
  code.localGet(c).localGet(d).shuffleWords([2, 6, 3, 7]).localSet(h3);
  const rows: [number, number, [number, number, number, number]][] = [
    [h0, h2, [0, 1, 4, 5]],
    [h0, h2, [2, 3, 6, 7]],
    [h1, h3, [0, 1, 4, 5]],
    [h1, h3, [2, 3, 6, 7]],
  ];
  rows.forEach(([x, y, words], row) => {
    code.localGet(pointers[row]!).localGet(x).localGet(y).shuffleWords(words).v128Store(0);
  });
}

/**
 * One MD5 step: a = b + ((a + f(b, c, d) + M[g] + T[i]) <<< s).
 *
 * b is the value just computed, so everything that does not need it is
 * summed first, and f is arranged to put as few operations after b as it can:
 * G's two halves have no bit in common, so they are added instead of or-ed
 * and the half without b joins the early sum; H reuses c ^ d, which the
 * previous step computed as its b ^ c.
 */
function emitStep(code: CodeWriter, chain: ChainLocals, step: number, names: number[]): void {
  const [a, b, c, d] = names as [number, number, number, number];
  const round = step >> 4;
  const shift = md5Shifts[round]![step & 3]!;
  code.localGet(chain.message[md5MessageIndex(step)]!);
  // T[i] splatted, from the table the module's data segment puts at 0: one
  // load instead of the three instructions V8 spends on a v128.const.
  code.i32Const(0).v128Load(constantTableAt + 16 * step);
  code.op("i32x4.add").localGet(a).op("i32x4.add");
  if (round === 0) {
    // F = (b & c) | (~b & d)
    code.localGet(c).localGet(d).localGet(b).op("v128.bitselect");
  } else if (round === 1) {
    // G = (b & d) + (c & ~d)
    code.localGet(c).localGet(d).op("v128.andnot").op("i32x4.add");
    code.localGet(b).localGet(d).op("v128.and");
  } else if (round === 2) {
    // H = b ^ (c ^ d)
    if (step === 32) code.localGet(c).localGet(d).op("v128.xor").localSet(chain.crossed);
    code.localGet(b).localGet(chain.crossed).op("v128.xor");
    code.localGet(b).localGet(c).op("v128.xor").localSet(chain.crossed);
  } else {
    // I = c ^ (b | ~d)
    // ~d as d ^ ones, with ones loaded: V8 spends two vector operations on a
    // v128.not (build all-ones, then xor), this way it is one and a load.
    code.localGet(c).localGet(b).localGet(d).i32Const(0).v128Load(constantTableAt + 1024).op(
      "v128.xor",
    )
      .op("v128.or").op("v128.xor");
  }
  code.op("i32x4.add").localSet(chain.temp);
  code.localGet(chain.temp).i32Const(shift).op("i32x4.shl")
    .localGet(chain.temp).i32Const(32 - shift).op("i32x4.shr_u")
    .op("v128.or")
    .localGet(b)
    .op("i32x4.add")
    .localSet(a);
}

/** The body (locals and code) of a kernel over `laneCount` lanes (4 or 8). */
function kernelBody(laneCount: number): Uint8Array {
  const chainCount = laneCount / 4;
  const blocksParam = 2 * laneCount;
  const statePointer = (lane: number) => lane;
  const dataPointer = (lane: number) => laneCount + lane;

  let nextLocal = blocksParam + 1;
  const take = (count: number) => Array.from({ length: count }, () => nextLocal++);
  const chains: ChainLocals[] = [];
  for (let chain = 0; chain < chainCount; chain++) {
    chains.push({
      state: take(4) as ChainLocals["state"],
      saved: take(4) as ChainLocals["saved"],
      message: take(16),
      rows: take(4) as ChainLocals["rows"],
      half: take(4) as ChainLocals["half"],
      temp: take(1)[0]!,
      crossed: take(1)[0]!,
    });
  }
  const v128Locals = nextLocal - (blocksParam + 1);
  const lanesOf = (chain: number) => [0, 1, 2, 3].map((i) => chain * 4 + i);

  const code = new CodeWriter();
  chains.forEach((chain, index) => {
    emitTransposeLoad(code, lanesOf(index).map(statePointer), 0, chain, chain.state);
  });
  code.block().loop();
  code.localGet(blocksParam).op("i32.eqz").brIf(1);
  chains.forEach((chain, index) => {
    const pointers = lanesOf(index).map(dataPointer);
    for (let quad = 0; quad < 4; quad++) {
      emitTransposeLoad(
        code,
        pointers,
        quad * 16,
        chain,
        chain.message.slice(quad * 4, quad * 4 + 4),
      );
    }
    chain.state.forEach((local, i) => code.localGet(local).localSet(chain.saved[i]!));
  });
  const names = chains.map((chain) => [...chain.state]);
  for (let step = 0; step < 64; step++) {
    // Chains interleaved step by step, so that their independent chains overlap.
    chains.forEach((chain, index) => {
      const current = names[index]!;
      emitStep(code, chain, step, current);
      // (a, b, c, d) ← (d, a, b, c) by renaming rather than moving.
      current.unshift(current.pop()!);
    });
  }
  chains.forEach((chain) => {
    chain.state.forEach((local, i) =>
      code.localGet(local).localGet(chain.saved[i]!).op("i32x4.add").localSet(local)
    );
  });
  for (let lane = 0; lane < laneCount; lane++) {
    code.localGet(dataPointer(lane)).i32Const(64).op("i32.add").localSet(dataPointer(lane));
  }
  code.localGet(blocksParam).i32Const(1).op("i32.sub").localSet(blocksParam);
  code.br(0).op("end").op("end");
  chains.forEach((chain, index) =>
    emitTransposeStore(code, lanesOf(index).map(statePointer), chain)
  );
  code.op("end");
  return new ByteWriter().uleb(1).uleb(v128Locals).u8(typeV128).append(code.bytes()).sized();
}

/**
 * Builds the bytes of the multi-buffer MD5 WebAssembly module. Pure and fast
 * (about 7 KB for 4 lanes, 17 KB for 8; ~8 ms in a cold isolate, ~1 ms warm).
 *
 * The module imports its memory as `env.memory`, whose first 1040 bytes its
 * data segment fills at instantiation (MD5's constants, then 16 bytes of
 * ones), and exports:
 * - `md5x4(state0…state3, data0…data3, blocks)`: for each slot l, runs
 *   `blocks` 64-byte blocks from `data_l` (any alignment) through the 16-byte
 *   state (a, b, c, d little-endian) at `state_l`;
 * - `md5x8(state0…state7, data0…data7, blocks)`: the same over eight slots
 *   (two interleaved chains), only when `lanes` is 8;
 * - `lanes()`: the number of lanes the driver should offer (4 or 8).
 *
 * @example
 * ```ts
 * import { md5LanesModuleBytes } from "./md5_lanes.ts";
 * const module = new WebAssembly.Module(md5LanesModuleBytes({ lanes: 8 }));
 * ```
 */
export function md5LanesModuleBytes(options: Md5LanesModuleOptions = {}): Uint8Array<ArrayBuffer> {
  const laneCount = options.lanes ?? 8;
  if (laneCount !== 4 && laneCount !== 8) {
    throw new RangeError(`lanes must be 4 or 8, not ${laneCount}`);
  }
  const kernels = laneCount === 8 ? [4, 8] : [4];
  const out = new ByteWriter().append([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, payload: ByteWriter) => out.u8(id).append(payload.sized());
  // Types: () -> i32, then one (i32 × (2·lanes + 1)) -> () per kernel.
  const types = new ByteWriter().uleb(1 + kernels.length).append([0x60, 0, 1, typeI32]);
  for (const lanes of kernels) {
    types.u8(0x60).uleb(2 * lanes + 1);
    for (let i = 0; i < 2 * lanes + 1; i++) types.u8(typeI32);
    types.u8(0);
  }
  section(1, types);
  section(2, new ByteWriter().uleb(1).name("env").name("memory").u8(0x02).u8(0x00).uleb(1));
  const functions = new ByteWriter().uleb(1 + kernels.length).u8(0);
  kernels.forEach((_, index) => functions.uleb(1 + index));
  section(3, functions);
  const exported = new ByteWriter().uleb(1 + kernels.length).name("lanes").u8(0x00).u8(0);
  kernels.forEach((lanes, index) => exported.name(`md5x${lanes}`).u8(0x00).uleb(1 + index));
  section(7, exported);
  const bodies = new ByteWriter().uleb(1 + kernels.length);
  bodies.append(new CodeWriter().u8(0).i32Const(laneCount).op("end").sized());
  for (const lanes of kernels) bodies.append(kernelBody(lanes));
  section(10, bodies);
  // An active data segment: memory 0, offset (i32.const constantTableAt), T, ones.
  const data = new ByteWriter().uleb(1).u8(0x00).u8(0x41).sleb(constantTableAt).u8(0x0b).uleb(
    64 * 16 + 16,
  );
  for (let step = 0; step < 64; step++) {
    const k = md5Constant(step);
    for (let i = 0; i < 4; i++) {
      data.u8(k & 0xff).u8((k >>> 8) & 0xff).u8((k >>> 16) & 0xff).u8(k >>> 24);
    }
  }
  for (let i = 0; i < 16; i++) data.u8(0xff);
  section(11, data);
  return out.bytes();
}

// --- The driver -----------------------------------------------------------------

/**
 * Several MD5 computations advancing together, one per lane, each reading from
 * its own input window inside WebAssembly memory.
 *
 * Per file: `reset(lane)`, then any number of `update` calls after writing
 * bytes into `input(lane)`, then `digest(lane)`.
 */
export interface Md5Lanes {
  /** How many lanes (messages at once): 4 or 8. */
  readonly laneCount: number;
  /** The length of each lane's input window, in bytes. */
  readonly laneCapacity: number;
  /**
   * The lane's input window inside WebAssembly memory, `laneCapacity` bytes
   * long. Write (or `read(2)`) the next bytes of the lane's message into it,
   * then call {@linkcode Md5Lanes.update}. A plain, non-shared `ArrayBuffer`
   * view that stays attached for the object's life (the memory never grows).
   * The same view is returned on every call.
   */
  input(lane: number): Uint8Array;
  /** Starts a new, empty message in the lane. */
  reset(lane: number): void;
  /**
   * Consumes the first `counts[lane]` bytes of each lane's input window
   * (0 … laneCapacity, any value; missing entries and 0 leave the lane idle).
   * Partial blocks are carried over to the next update of that lane.
   * Allocates nothing.
   *
   * @throws {RangeError} for more counts than lanes, a count out of range, or bytes for a lane whose
   * digest was taken and that was not reset since.
   */
  update(counts: readonly number[]): void;
  /**
   * Pads and finishes the lane's message and returns its MD5 as 32 lower-case
   * hex digits. The lane must be reset before it takes a new message.
   */
  digest(lane: number): string;
}

/**
 * Instantiates the module from {@linkcode md5LanesModuleBytes} (synchronously)
 * with memory for one input window of `laneCapacity` bytes per lane.
 *
 * @example
 * ```ts
 * import { createMd5Lanes, md5LanesModuleBytes } from "./md5_lanes.ts";
 * const lanes = createMd5Lanes(md5LanesModuleBytes(), 1 << 20);
 * for (let lane = 0; lane < lanes.laneCount; lane++) lanes.reset(lane);
 * lanes.update([0, 0, 0, 0]);
 * console.log(lanes.digest(2)); // d41d8cd98f00b204e9800998ecf8427e
 * ```
 *
 * @throws {RangeError} when laneCapacity is not an integer in 1 … 64 MiB (which
 * keeps every address below 2³¹, safe in the kernel's i32 arguments).
 */
export function createMd5Lanes(moduleBytes: Uint8Array, laneCapacity: number): Md5Lanes {
  if (!Number.isInteger(laneCapacity) || laneCapacity < 1 || laneCapacity > 64 * 1024 * 1024) {
    throw new RangeError(`laneCapacity must be an integer in 1 … 67108864, not ${laneCapacity}`);
  }
  const module = new WebAssembly.Module(moduleBytes as BufferSource);
  const probe = new WebAssembly.Instance(module, {
    env: { memory: new WebAssembly.Memory({ initial: 1 }) },
  });
  const laneCount = (probe.exports.lanes as () => number)();

  // Layout: the module's constant table (1040 B, rounded up to 1088), lane
  // states (16 B each), the idle slots' scratch state, the carried partial
  // block of each lane (64 B), the padding blocks of each lane (128 B), then
  // the input windows. Windows are at least 128 bytes apart so an idle slot
  // may run up to two blocks over any window.
  const stateAt = 1088;
  const scratchState = stateAt + 16 * laneCount;
  const carryAt = scratchState + 64;
  const padAt = carryAt + 64 * laneCount;
  const windowsAt = padAt + 128 * laneCount;
  const windowStride = Math.ceil(Math.max(laneCapacity, 128) / 64) * 64;
  const memoryBytes = windowsAt + windowStride * laneCount;
  // Sized once: the memory never grows, so views into it never detach.
  const memory = new WebAssembly.Memory({ initial: Math.ceil(memoryBytes / 65536) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  // md5x4(states…, data…, blocks) and md5x8(states…, data…, blocks): 9 and 17 i32 arguments.
  type Kernel = (...args: number[]) => void;
  const kernel4 = instance.exports.md5x4 as Kernel;
  const kernel8 = instance.exports.md5x8 as Kernel | undefined;
  const bytes = new Uint8Array(memory.buffer);
  const words = new Uint32Array(memory.buffer);
  const views: Uint8Array[] = [];
  for (let lane = 0; lane < laneCount; lane++) {
    views.push(new Uint8Array(memory.buffer, windowsAt + lane * windowStride, laneCapacity));
  }
  const carried = new Int32Array(laneCount);
  const finished = new Uint8Array(laneCount);
  const total = new Float64Array(laneCount);
  const position = new Float64Array(laneCount);
  const remaining = new Float64Array(laneCount);
  // The kernel call being assembled: lanes put into slots with their state
  // and data pointers; empty slots run on scratch.
  const slotState = new Int32Array(laneCount);
  const slotData = new Int32Array(laneCount);
  let slots = 0;
  const hex: string[] = [];
  for (let i = 0; i < 256; i++) hex.push((i < 16 ? "0" : "") + i.toString(16));

  const windowOf = (lane: number) => windowsAt + lane * windowStride;
  const addSlot = (lane: number, data: number) => {
    slotState[slots] = stateAt + 16 * lane;
    slotData[slots] = data;
    slots++;
  };
  /** Runs `blocks` blocks in every filled slot, with the 4-lane kernel when it is enough. */
  const run = (blocks: number) => {
    const width = slots <= 4 || kernel8 === undefined ? 4 : 8;
    for (let slot = slots; slot < width; slot++) {
      slotState[slot] = scratchState;
      slotData[slot] = windowOf(slot);
    }
    slots = 0;
    const s = slotState;
    const d = slotData;
    if (width === 4) kernel4(s[0]!, s[1]!, s[2]!, s[3]!, d[0]!, d[1]!, d[2]!, d[3]!, blocks);
    else {
      kernel8!(
        s[0]!,
        s[1]!,
        s[2]!,
        s[3]!,
        s[4]!,
        s[5]!,
        s[6]!,
        s[7]!,
        d[0]!,
        d[1]!,
        d[2]!,
        d[3]!,
        d[4]!,
        d[5]!,
        d[6]!,
        d[7]!,
        blocks,
      );
    }
  };
  const checkLane = (lane: number) => {
    if (!Number.isInteger(lane) || lane < 0 || lane >= laneCount) {
      throw new RangeError(`lane must be an integer in 0 … ${laneCount - 1}, not ${lane}`);
    }
  };
  const reset = (lane: number) => {
    checkLane(lane);
    const at = (stateAt + 16 * lane) >> 2;
    words[at] = 0x67452301;
    words[at + 1] = 0xefcdab89;
    words[at + 2] = 0x98badcfe;
    words[at + 3] = 0x10325476;
    carried[lane] = 0;
    total[lane] = 0;
    finished[lane] = 0;
  };
  for (let lane = 0; lane < laneCount; lane++) reset(lane);

  const update = (counts: readonly number[]) => {
    if (counts.length > laneCount) {
      throw new RangeError(`${counts.length} counts for ${laneCount} lanes`);
    }
    for (let lane = 0; lane < laneCount; lane++) {
      const count = counts[lane] ?? 0;
      if (!(count >= 0 && count <= laneCapacity && Math.floor(count) === count)) {
        throw new RangeError(
          `counts[${lane}] must be an integer in 0 … ${laneCapacity}, not ${count}`,
        );
      }
      if (count > 0 && finished[lane] === 1) {
        throw new RangeError(`lane ${lane} was digested; reset it first`);
      }
    }
    // 1. Top up carried partial blocks; the full ones run as one kernel call.
    for (let lane = 0; lane < laneCount; lane++) {
      const count = counts[lane] ?? 0;
      position[lane] = 0;
      remaining[lane] = 0;
      if (count === 0) continue;
      total[lane] = total[lane]! + count;
      const have = carried[lane]!;
      if (have > 0) {
        const topUp = Math.min(64 - have, count);
        const from = windowOf(lane);
        bytes.copyWithin(carryAt + 64 * lane + have, from, from + topUp);
        position[lane] = topUp;
        if (have + topUp === 64) {
          addSlot(lane, carryAt + 64 * lane);
          carried[lane] = 0;
        } else carried[lane] = have + topUp;
      }
      remaining[lane] = Math.floor((count - position[lane]!) / 64);
    }
    if (slots > 0) run(1);
    // 2. Whole blocks straight from the windows: every lane that has some
    //    runs for as many blocks as the shortest of them has, repeatedly.
    for (;;) {
      let shortest = Infinity;
      for (let lane = 0; lane < laneCount; lane++) {
        const left = remaining[lane]!;
        if (left > 0 && left < shortest) shortest = left;
      }
      if (shortest === Infinity) break;
      for (let lane = 0; lane < laneCount; lane++) {
        if (remaining[lane]! > 0) {
          addSlot(lane, windowOf(lane) + position[lane]!);
          remaining[lane] = remaining[lane]! - shortest;
          position[lane] = position[lane]! + 64 * shortest;
        }
      }
      run(shortest);
    }
    // 3. Carry the tails (the carry is empty whenever a tail is left).
    for (let lane = 0; lane < laneCount; lane++) {
      const tail = (counts[lane] ?? 0) - position[lane]!;
      if (tail > 0) {
        const from = windowOf(lane) + position[lane]!;
        bytes.copyWithin(carryAt + 64 * lane + carried[lane]!, from, from + tail);
        carried[lane] = carried[lane]! + tail;
      }
    }
  };

  const digest = (lane: number) => {
    checkLane(lane);
    if (finished[lane] === 1) throw new RangeError(`lane ${lane} was digested; reset it first`);
    const have = carried[lane]!;
    const pad = padAt + 128 * lane;
    const blocks = have < 56 ? 1 : 2;
    bytes.copyWithin(pad, carryAt + 64 * lane, carryAt + 64 * lane + have);
    bytes[pad + have] = 0x80;
    bytes.fill(0, pad + have + 1, pad + 64 * blocks - 8);
    const bits = total[lane]! * 8;
    const lengthAt = (pad + 64 * blocks - 8) >> 2;
    words[lengthAt] = bits % 4294967296;
    words[lengthAt + 1] = Math.floor(bits / 4294967296);
    addSlot(lane, pad);
    run(blocks);
    finished[lane] = 1;
    let out = "";
    const at = stateAt + 16 * lane;
    for (let i = 0; i < 16; i++) out += hex[bytes[at + i]!]!;
    return out;
  };

  return {
    laneCount,
    laneCapacity,
    input(lane: number) {
      checkLane(lane);
      return views[lane]!;
    },
    reset,
    update,
    digest,
  };
}
