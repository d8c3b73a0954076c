import { deepStrictEqual, throws } from "node:assert/strict";
import { createHash } from "node:crypto";
import { createMd5Lanes, type Md5Lanes, md5LanesModuleBytes } from "./md5_lanes.ts";

const moduleBytes = { 4: md5LanesModuleBytes({ lanes: 4 }), 8: md5LanesModuleBytes({ lanes: 8 }) };

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** A small seeded PRNG (xorshift32), so that failures reproduce. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function patternBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  return out;
}

/** Feeds whole messages into the lanes in chunks of at most `chunk` bytes, all lanes at once. */
function hashTogether(lanes: Md5Lanes, messages: readonly Uint8Array[], chunk: number): string[] {
  const counts = new Array<number>(lanes.laneCount).fill(0);
  messages.forEach((_, lane) => lanes.reset(lane));
  const offsets = messages.map(() => 0);
  for (;;) {
    let any = false;
    messages.forEach((message, lane) => {
      const count = Math.min(chunk, message.length - offsets[lane]!);
      counts[lane] = count;
      if (count > 0) {
        lanes.input(lane).set(message.subarray(offsets[lane]!, offsets[lane]! + count));
        offsets[lane] = offsets[lane]! + count;
        any = true;
      }
    });
    if (!any) break;
    lanes.update(counts);
  }
  return messages.map((_, lane) => lanes.digest(lane));
}

const edgeLengths = [
  0,
  1,
  55,
  56,
  57,
  63,
  64,
  65,
  119,
  120,
  127,
  128,
  1000,
  65536 + 13,
  3 * 1024 * 1024 + 5,
];

for (const laneCount of [4, 8] as const) {
  Deno.test(`createMd5Lanes (${laneCount} lanes) matches node:crypto at the padding edges`, () => {
    const lanes = createMd5Lanes(moduleBytes[laneCount], 1 << 20);
    deepStrictEqual(lanes.laneCount, laneCount);
    for (let first = 0; first < edgeLengths.length; first += laneCount) {
      const messages = edgeLengths.slice(first, first + laneCount).map((length) =>
        patternBytes(length, length + 7)
      );
      deepStrictEqual(hashTogether(lanes, messages, 1 << 20), messages.map(md5));
    }
    // Each length alone in a lane (the others idle), in every lane.
    edgeLengths.forEach((length, index) => {
      const lane = index % laneCount;
      const message = patternBytes(length, 99 + length);
      const messages = Array.from(
        { length: lane + 1 },
        (_, i) => (i === lane ? message : new Uint8Array(0)),
      );
      deepStrictEqual(
        hashTogether(lanes, messages, 1 << 20)[lane],
        md5(message),
        `length ${length}`,
      );
    });
  });

  Deno.test(`createMd5Lanes (${laneCount} lanes) matches node:crypto under random unequal chunkings`, () => {
    const random = prng(0x5eed + laneCount);
    const capacity = 1000; // not a multiple of 64
    const lanes = createMd5Lanes(moduleBytes[laneCount], capacity);
    const counts = new Array<number>(laneCount).fill(0);
    let checked = 0;
    const messages: Uint8Array[] = [];
    const offsets: number[] = [];
    const newMessage = (lane: number) => {
      const length = random() % 5 === 0 ? random() % 130 : random() % 6000;
      messages[lane] = patternBytes(length, random());
      offsets[lane] = 0;
      lanes.reset(lane);
    };
    for (let lane = 0; lane < laneCount; lane++) newMessage(lane);
    while (checked < 400) {
      for (let lane = 0; lane < laneCount; lane++) {
        const message = messages[lane]!;
        const left = message.length - offsets[lane]!;
        // Sometimes idle, sometimes a few bytes, sometimes a full window.
        const pick = random() % 4;
        const want = pick === 0
          ? 0
          : pick === 1
          ? random() % 70
          : pick === 2
          ? capacity
          : random() % (capacity + 1);
        const count = Math.min(want, left);
        counts[lane] = count;
        lanes.input(lane).set(message.subarray(offsets[lane]!, offsets[lane]! + count));
        offsets[lane] = offsets[lane]! + count;
      }
      lanes.update(counts);
      for (let lane = 0; lane < laneCount; lane++) {
        if (offsets[lane] === messages[lane]!.length && random() % 2 === 0) {
          deepStrictEqual(
            lanes.digest(lane),
            md5(messages[lane]!),
            `message ${checked} in lane ${lane}`,
          );
          checked++;
          newMessage(lane);
        }
      }
    }
  });
}

Deno.test("createMd5Lanes resets one lane mid-stream without disturbing the others", () => {
  const lanes = createMd5Lanes(moduleBytes[4], 256);
  const long = patternBytes(2000, 1);
  const abandoned = patternBytes(500, 2);
  const replacement = patternBytes(333, 3);
  lanes.reset(0);
  lanes.reset(1);
  let offset = 0;
  let replacementOffset = 0;
  let abandonedOffset = 0;
  let step = 0;
  while (offset < long.length) {
    const count = Math.min(200, long.length - offset);
    lanes.input(0).set(long.subarray(offset, offset + count));
    offset += count;
    let count1 = 0;
    if (step < 2) {
      count1 = 77;
      lanes.input(1).set(abandoned.subarray(abandonedOffset, abandonedOffset + count1));
      abandonedOffset += count1;
    } else {
      if (step === 2) lanes.reset(1); // abandons 154 bytes, with a partial block carried
      count1 = Math.min(100, replacement.length - replacementOffset);
      lanes.input(1).set(replacement.subarray(replacementOffset, replacementOffset + count1));
      replacementOffset += count1;
    }
    lanes.update([count, count1, 0, 0]);
    step++;
  }
  deepStrictEqual(lanes.digest(0), md5(long));
  deepStrictEqual(lanes.digest(1), md5(replacement));
});

Deno.test("createMd5Lanes with every lane idle changes nothing", () => {
  const lanes = createMd5Lanes(moduleBytes[8], 64);
  const message = patternBytes(100, 5);
  lanes.reset(3);
  lanes.input(3).set(message.subarray(0, 50));
  lanes.update([0, 0, 0, 50]);
  lanes.update([0, 0, 0, 0, 0, 0, 0, 0]);
  lanes.update([]);
  lanes.input(3).set(message.subarray(50));
  lanes.update([0, 0, 0, 50]);
  deepStrictEqual(lanes.digest(3), md5(message));
  for (const lane of [0, 1, 2, 4, 5, 6, 7]) {
    deepStrictEqual(lanes.digest(lane), md5(new Uint8Array(0)));
  }
});

Deno.test("createMd5Lanes works with tiny windows and windows that are not a multiple of 64", () => {
  for (const capacity of [1, 7, 63, 65, 129]) {
    const lanes = createMd5Lanes(moduleBytes[8], capacity);
    const messages = [0, 1, 2, 3, 4, 5, 6, 7].map((lane) => patternBytes(lane * 37 + 130, lane));
    deepStrictEqual(
      hashTogether(lanes, messages, capacity),
      messages.map(md5),
      `capacity ${capacity}`,
    );
  }
});

Deno.test("createMd5Lanes input views stay attached, plain and the same after many updates", () => {
  const lanes = createMd5Lanes(moduleBytes[4], 1 << 16);
  const views = [0, 1, 2, 3].map((lane) => lanes.input(lane));
  for (const view of views) {
    deepStrictEqual(view.length, 1 << 16);
    deepStrictEqual(view.buffer instanceof ArrayBuffer, true);
  }
  const counts = [1 << 16, 1 << 16, 12345, 1];
  for (let i = 0; i < 200; i++) lanes.update(counts);
  views.forEach((view, lane) => {
    deepStrictEqual(view.byteLength, 1 << 16);
    deepStrictEqual(lanes.input(lane), view);
  });
  views[0]!.fill(0x61);
  lanes.reset(0);
  lanes.update([3, 0, 0, 0]);
  deepStrictEqual(lanes.digest(0), md5(new TextEncoder().encode("aaa")));
});

Deno.test("createMd5Lanes rejects bad counts, lanes, capacities and use after digest", () => {
  throws(() => createMd5Lanes(moduleBytes[4], 0), RangeError);
  throws(() => createMd5Lanes(moduleBytes[4], 1.5), RangeError);
  const lanes = createMd5Lanes(moduleBytes[4], 100);
  throws(() => lanes.update([101]), RangeError);
  throws(() => lanes.update([-1]), RangeError);
  throws(() => lanes.update([2.5]), RangeError);
  throws(() => lanes.update([0, 0, 0, 0, 0]), RangeError);
  throws(() => createMd5Lanes(moduleBytes[4], 64 * 1024 * 1024 + 1), RangeError);
  throws(() => lanes.input(4), RangeError);
  throws(() => lanes.reset(-1), RangeError);
  lanes.digest(1);
  throws(() => lanes.update([0, 1]), RangeError);
  throws(() => lanes.digest(1), RangeError);
  lanes.reset(1);
  deepStrictEqual(lanes.digest(1), md5(new Uint8Array(0)));
});

Deno.test("md5LanesModuleBytes builds a valid module with the documented exports", () => {
  for (const laneCount of [4, 8] as const) {
    const bytes = md5LanesModuleBytes({ lanes: laneCount });
    deepStrictEqual(WebAssembly.validate(bytes as BufferSource), true);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes as BufferSource)).map((
      e,
    ) => e.name);
    deepStrictEqual(names, laneCount === 8 ? ["lanes", "md5x4", "md5x8"] : ["lanes", "md5x4"]);
  }
  throws(() => md5LanesModuleBytes({ lanes: 6 as 4 }), RangeError);
});
