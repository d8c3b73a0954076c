import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { CommandOutput, type SyncWritable } from "./command_output.ts";
import { jsonReplacer, OutputWriter } from "./output_writer.ts";

/** A sink that keeps every write, taking at most `chunk` bytes at a time. */
function recorder(chunk = Infinity): SyncWritable & { writes: Uint8Array[]; text(): string } {
  const writes: Uint8Array[] = [];
  return {
    writes,
    writeSync(bytes) {
      const taken = bytes.subarray(0, Math.min(bytes.length, chunk));
      writes.push(taken.slice());
      return taken.length;
    },
    text: () => new TextDecoder().decode(new Uint8Array(writes.flatMap((write) => [...write]))),
  };
}

Deno.test("OutputWriter writes events as JSON lines and text as given, in order", () => {
  const sink = recorder(7); // a sink that takes a few bytes at a time still gets them all
  const writer = new OutputWriter(sink);
  writer.event({ type: "summary", big: 2n ** 60n, small: 3n, bytes: new Uint8Array([0, 255]) });
  writer.line("héllo \\x1b[31m");
  writer.text("no newline");
  writer.event({ type: "item", text: "日本\n😀" });
  strictEqual(sink.writes.length, 0, "nothing is written before a flush or a full block");
  writer.flush();
  strictEqual(
    sink.text(),
    '{"type":"summary","big":"1152921504606846976","small":3,"bytes":"00ff"}\n' +
      "héllo \\x1b[31m\nno newline" + '{"type":"item","text":"日本\\n😀"}\n',
  );
});

Deno.test("OutputWriter writes in blocks, and whole lines larger than a block", () => {
  const sink = recorder();
  const writer = new OutputWriter(sink, { blockBytes: 64 });
  for (let i = 0; i < 20; i++) writer.event({ type: "progress", i });
  writer.line("x".repeat(1000));
  writer.flush();
  const lines = sink.text().trimEnd().split("\n");
  strictEqual(lines.length, 21);
  deepStrictEqual(JSON.parse(lines[19]!), { type: "progress", i: 19 });
  strictEqual(lines[20], "x".repeat(1000));
  strictEqual(sink.writes.every((write) => write.length <= 2002), true);
  strictEqual(sink.writes.length > 5, true, "small events were written in several blocks");
});

Deno.test("OutputWriter with plainJson writes what JSON.stringify writes, without the replacer", () => {
  const sink = recorder();
  const writer = new OutputWriter(sink, { plainJson: true });
  const event = { type: "item", when: new Date(0), list: ["a", 1], nested: { x: null } };
  writer.event(event);
  writer.flush();
  strictEqual(sink.text(), JSON.stringify(event) + "\n");
  throws(() => writer.event({ big: 1n }), TypeError, "a bigint needs the replacer");
});

Deno.test("OutputWriter over CommandOutput: after EPIPE the rest is dropped, not thrown", () => {
  let calls = 0;
  const output = new CommandOutput({
    writeSync(bytes) {
      calls++;
      if (calls > 1) throw new Deno.errors.BrokenPipe("reader gone");
      return bytes.length;
    },
  });
  const writer = new OutputWriter(output, { blockBytes: 64 });
  for (let i = 0; i < 100; i++) writer.event({ type: "progress", i });
  writer.line("the end");
  writer.flush();
  strictEqual(output.readerGone, true);
  strictEqual(calls, 2, "nothing is written after the reader went away");
});

Deno.test("CommandOutput lets other write errors through", () => {
  const output = new CommandOutput({
    writeSync() {
      throw new Deno.errors.PermissionDenied("no");
    },
  });
  const writer = new OutputWriter(output);
  writer.line("x");
  throws(() => writer.flush(), Deno.errors.PermissionDenied);
});

Deno.test("jsonReplacer keeps bigints exact and writes bytes as hex", () => {
  strictEqual(jsonReplacer("", 5n), 5);
  strictEqual(jsonReplacer("", -(2n ** 63n)), "-9223372036854775808");
  strictEqual(jsonReplacer("", new Uint8Array([1, 171])), "01ab");
  strictEqual(jsonReplacer("", "x"), "x");
});
