/**
 * Every condition, value type, negate and preserve-case combination, run
 * through the whole engine (compile, index, observe, finish).
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import type { Condition } from "../openioc/model.ts";
import type { ObservedFields } from "../contracts/observed_item.ts";
import { compileItem } from "./item_condition.ts";
import { detect, hits, ioc, item, type ItemOptions, observed } from "./_model_fixtures.ts";

/** Whether one item on `search` holds on one object with `fields`. */
function holds(
  search: string,
  condition: Condition,
  value: string,
  fields: ObservedFields,
  options: ItemOptions = {},
): Promise<boolean> {
  const document = search.split("/")[search.startsWith("eventItem/") ? 1 : 0]!;
  return hits(item(search, condition, value, options), [observed(document, fields)]);
}

const negated = { negate: true };
const caseSensitive = { preserveCase: true };

Deno.test("compileItem() string is: case-insensitive by default, exact with preserve-case", async () => {
  strictEqual(await holds("FileItem/FileName", "is", "Evil.EXE", { FileName: "evil.exe" }), true);
  strictEqual(await holds("FileItem/FileName", "is", "evil.exe", { FileName: "evil.exe " }), false);
  strictEqual(
    await holds("FileItem/FileName", "is", "Evil.EXE", { FileName: "evil.exe" }, caseSensitive),
    false,
  );
  strictEqual(
    await holds("FileItem/FileName", "is", "Evil.EXE", { FileName: "Evil.EXE" }, caseSensitive),
    true,
  );
  strictEqual(
    await holds("FileItem/FileName", "is", "evil.exe", { FileName: "good.exe" }, negated),
    true,
  );
  strictEqual(
    await holds("FileItem/FileName", "is", "evil.exe", { FileName: "EVIL.exe" }, negated),
    false,
  );
  strictEqual(
    await holds("FileItem/FileName", "is", "evil.exe", { FileName: "EVIL.exe" }, {
      ...negated,
      ...caseSensitive,
    }),
    true,
  );
});

Deno.test("compileItem() strings are compared exactly as written (no trimming)", async () => {
  strictEqual(await holds("ProcessItem/arguments", "is", " -x ", { arguments: " -x " }), true);
  strictEqual(await holds("ProcessItem/arguments", "is", " -x ", { arguments: "-x" }), false);
  strictEqual(
    await holds("ProcessItem/arguments", "contains", "a b", { arguments: "xa by" }),
    true,
  );
});

Deno.test("compileItem() contains, starts-with and ends-with with negate and preserve-case", async () => {
  const path = { FullPath: "C:\\Windows\\Temp\\Evil.exe" };
  strictEqual(await holds("FileItem/FullPath", "contains", "\\temp\\", path), true);
  strictEqual(await holds("FileItem/FullPath", "contains", "\\temp\\", path, caseSensitive), false);
  strictEqual(await holds("FileItem/FullPath", "contains", "\\Temp\\", path, caseSensitive), true);
  strictEqual(await holds("FileItem/FullPath", "contains", "\\system32\\", path, negated), true);
  strictEqual(await holds("FileItem/FullPath", "contains", "\\TEMP\\", path, negated), false);
  strictEqual(await holds("FileItem/FullPath", "starts-with", "c:\\windows", path), true);
  strictEqual(
    await holds("FileItem/FullPath", "starts-with", "c:\\windows", path, caseSensitive),
    false,
  );
  strictEqual(
    await holds("FileItem/FullPath", "starts-with", "C:\\Windows", path, caseSensitive),
    true,
  );
  strictEqual(await holds("FileItem/FullPath", "starts-with", "\\windows", path), false);
  strictEqual(await holds("FileItem/FullPath", "starts-with", "d:\\", path, negated), true);
  strictEqual(await holds("FileItem/FullPath", "ends-with", "EVIL.EXE", path), true);
  strictEqual(
    await holds("FileItem/FullPath", "ends-with", "EVIL.EXE", path, caseSensitive),
    false,
  );
  strictEqual(await holds("FileItem/FullPath", "ends-with", "Evil.exe", path, caseSensitive), true);
  strictEqual(await holds("FileItem/FullPath", "ends-with", "evil", path), false);
  strictEqual(await holds("FileItem/FullPath", "ends-with", ".exe", path, negated), false);
});

Deno.test("compileItem() matches: find-anywhere, case-insensitive unless preserve-case", async () => {
  const line = { processCmdLine: "powershell -EncodedCommand SQBFAFgA" };
  strictEqual(
    await holds("processEvent/processCmdLine", "matches", "-enc(odedcommand)?\\s", line),
    true,
  );
  strictEqual(
    await holds(
      "processEvent/processCmdLine",
      "matches",
      "-enc(odedcommand)?\\s",
      line,
      caseSensitive,
    ),
    false,
  );
  strictEqual(
    await holds(
      "processEvent/processCmdLine",
      "matches",
      "-Enc(?:odedCommand)?\\b",
      line,
      caseSensitive,
    ),
    true,
  );
  strictEqual(await holds("processEvent/processCmdLine", "matches", "^-enc", line), false);
  strictEqual(await holds("processEvent/processCmdLine", "matches", "^powershell", line), true);
  strictEqual(await holds("processEvent/processCmdLine", "matches", "^cmd", line, negated), true);
  strictEqual(await holds("processEvent/processCmdLine", "matches", "SQB", line, negated), false);
});

Deno.test("compileItem() invalid regex: not evaluated, FALSE whatever negate", async () => {
  const compiled = compileItem(item("processEvent/process", "matches", "(unclosed"));
  strictEqual(compiled.test.kind, "not-evaluated");
  strictEqual(compiled.test.kind === "not-evaluated" && compiled.test.reason, "invalid-value");
  strictEqual(await holds("processEvent/process", "matches", "(unclosed", { process: "x" }), false);
  strictEqual(
    await holds("processEvent/process", "matches", "(unclosed", { process: "x" }, negated),
    false,
  );
});

Deno.test("compileItem() hashes: trimmed, always case-insensitive", async () => {
  const md5 = "d41d8cd98f00b204e9800998ecf8427e";
  strictEqual(
    await holds("FileItem/Md5sum", "is", ` ${md5.toUpperCase()} `, { Md5sum: md5 }),
    true,
  );
  strictEqual(
    await holds("FileItem/Md5sum", "is", md5.toUpperCase(), { Md5sum: md5 }, caseSensitive),
    true,
  );
  strictEqual(await holds("FileItem/Md5sum", "is", md5, { Md5sum: md5.toUpperCase() }), true);
  strictEqual(await holds("FileItem/Sha1sum", "is", "ABCDEF", { Sha1sum: "abcdef" }), true);
  strictEqual(await holds("FileItem/Sha256sum", "is", "aa", { Sha256sum: "ab" }), false);
  strictEqual(await holds("FileItem/Md5sum", "is", md5, { Md5sum: "00" }, negated), true);
  strictEqual(await holds("FileItem/Md5sum", "contains", "D41D8", { Md5sum: md5 }), true);
  strictEqual(
    await holds("FileItem/Md5sum", "starts-with", "D41D8", { Md5sum: md5 }, caseSensitive),
    true,
  );
  strictEqual(await holds("FileItem/Md5sum", "ends-with", "427E", { Md5sum: md5 }), true);
  // The Content type is ignored: the catalogue says Sha1sum is a hash.
  strictEqual(
    await holds("FileItem/Sha1sum", "is", "ABCDEF", { Sha1sum: "abcdef" }, {
      contentType: "string",
    }),
    true,
  );
});

Deno.test("compileItem() a non-hex hash is an invalid value", async () => {
  const compiled = compileItem(item("FileItem/Md5sum", "is", "not-a-hash"));
  strictEqual(compiled.test.kind === "not-evaluated" && compiled.test.reason, "invalid-value");
  strictEqual(await holds("FileItem/Md5sum", "is", "not-a-hash", { Md5sum: "not-a-hash" }), false);
});

Deno.test("compileItem() integers: is, ranges, greater-than, less-than, string forms", async () => {
  strictEqual(await holds("FileItem/SizeInBytes", "is", " 1024 ", { SizeInBytes: 1024 }), true);
  strictEqual(await holds("FileItem/SizeInBytes", "is", "1024", { SizeInBytes: "1024" }), true);
  strictEqual(await holds("FileItem/SizeInBytes", "is", "1024", { SizeInBytes: 1024n }), true);
  strictEqual(await holds("FileItem/SizeInBytes", "is", "0x400", { SizeInBytes: 1024 }), true);
  strictEqual(await holds("FileItem/SizeInBytes", "is", "1024", { SizeInBytes: 1025 }), false);
  strictEqual(
    await holds("FileItem/SizeInBytes", "is", "1024", { SizeInBytes: 1025 }, negated),
    true,
  );
  for (const range of ["100 TO 200", "[100 TO 200]", "[ 100 TO 200 ]"]) {
    strictEqual(
      await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 100 }),
      true,
      range,
    );
    strictEqual(
      await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 200 }),
      true,
      range,
    );
    strictEqual(
      await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 201 }),
      false,
      range,
    );
    strictEqual(
      await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 99 }),
      false,
      range,
    );
    strictEqual(
      await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 150 }, negated),
      false,
    );
  }
  strictEqual(
    await holds("FileItem/SizeInBytes", "greater-than", "100", { SizeInBytes: 101 }),
    true,
  );
  strictEqual(
    await holds("FileItem/SizeInBytes", "greater-than", "100", { SizeInBytes: 100 }),
    false,
  );
  strictEqual(await holds("FileItem/SizeInBytes", "less-than", "100", { SizeInBytes: 99 }), true);
  strictEqual(await holds("FileItem/SizeInBytes", "less-than", "100", { SizeInBytes: 100 }), false);
  strictEqual(
    await holds("FileItem/SizeInBytes", "less-than", "100", { SizeInBytes: 100 }, negated),
    true,
  );
  strictEqual(await holds("FileItem/SizeInBytes", "contains", "02", { SizeInBytes: 1024 }), true);
  strictEqual(
    await holds("FileItem/SizeInBytes", "starts-with", "10", { SizeInBytes: 1024 }),
    true,
  );
  strictEqual(await holds("FileItem/SizeInBytes", "ends-with", "24", { SizeInBytes: 1024 }), true);
  strictEqual(
    await holds("FileItem/SizeInBytes", "greater-than", "100", { SizeInBytes: "junk" }),
    false,
  );
});

Deno.test("compileItem() an unparsable integer is an invalid value", async () => {
  for (
    const [condition, value] of [["is", "12KB"], ["greater-than", "big"], ["is", "1 TO x"]] as const
  ) {
    const compiled = compileItem(item("FileItem/SizeInBytes", condition, value));
    strictEqual(
      compiled.test.kind === "not-evaluated" && compiled.test.reason,
      "invalid-value",
      value,
    );
  }
  strictEqual(
    await holds("FileItem/SizeInBytes", "is", "12KB", { SizeInBytes: 1 }, negated),
    false,
  );
});

Deno.test("compileItem() dates: ISO 8601, UTC by default, ranges, ordering", async () => {
  const stamp = "FileItem/PEInfo/PETimeStamp";
  const observedAt = { PEInfo: { PETimeStamp: "2012-06-01T12:00:00Z" } };
  strictEqual(await holds(stamp, "is", "2012-06-01T12:00:00Z", observedAt), true);
  strictEqual(await holds(stamp, "is", "2012-06-01T12:00:00", observedAt), true);
  strictEqual(await holds(stamp, "is", "2012-06-01T14:00:00+02:00", observedAt), true);
  strictEqual(await holds(stamp, "is", "2012-06-01T12:00:01Z", observedAt), false);
  strictEqual(
    await holds(stamp, "is", "2012-06-01T12:00:00Z", {
      PEInfo: { PETimeStamp: new Date("2012-06-01T12:00:00Z") },
    }),
    true,
  );
  strictEqual(
    await holds(stamp, "is", "2012-06-01T12:00:00Z", {
      PEInfo: { PETimeStamp: Date.UTC(2012, 5, 1, 12) },
    }),
    true,
  );
  strictEqual(
    await holds(stamp, "is", "2011-04-20T10:28:55Z TO 2012-12-14T19:09:00Z", observedAt),
    true,
  );
  strictEqual(
    await holds(stamp, "is", "[2012-06-01T12:00:00Z TO 2012-06-01T12:00:00Z]", observedAt),
    true,
  );
  strictEqual(await holds(stamp, "is", "2013-01-01 TO 2014-01-01", observedAt), false);
  strictEqual(await holds(stamp, "is", "2013-01-01 TO 2014-01-01", observedAt, negated), true);
  strictEqual(await holds(stamp, "greater-than", "2012-01-01T00:00:00Z", observedAt), true);
  strictEqual(await holds(stamp, "less-than", "2012-01-01T00:00:00Z", observedAt), false);
  strictEqual(await holds(stamp, "greater-than", "2012-06-01T12:00:00Z", observedAt), false);
  const bad = compileItem(item(stamp, "is", "June 2012"));
  strictEqual(bad.test.kind === "not-evaluated" && bad.test.reason, "invalid-value");
});

Deno.test("compileItem() IPs: is compares canonical forms, contains is a text prefix", async () => {
  strictEqual(await holds("PortItem/remoteIP", "is", " 10.0.0.1 ", { remoteIP: "10.0.0.1" }), true);
  strictEqual(
    await holds("PortItem/remoteIP", "is", "2001:DB8::1", { remoteIP: "2001:db8:0:0:0:0:0:1" }),
    true,
  );
  strictEqual(await holds("PortItem/remoteIP", "is", "10.0.0.1", { remoteIP: "10.0.0.2" }), false);
  strictEqual(
    await holds("PortItem/remoteIP", "is", "10.0.0.1", { remoteIP: "10.0.0.2" }, negated),
    true,
  );
  strictEqual(
    await holds("PortItem/remoteIP", "contains", "103.41.124.", { remoteIP: "103.41.124.7" }),
    true,
  );
  strictEqual(
    await holds("PortItem/remoteIP", "contains", "41.124.", { remoteIP: "103.41.124.7" }),
    false,
  );
  strictEqual(
    await holds("PortItem/remoteIP", "contains", "103.41.124.", { remoteIP: "9.9.9.9" }, negated),
    true,
  );
  strictEqual(
    await holds("PortItem/remoteIP", "matches", "^103\\.41\\.", { remoteIP: "103.41.1.1" }),
    true,
  );
  strictEqual(
    await holds("PortItem/remoteIP", "ends-with", ".7", { remoteIP: "103.41.124.7" }),
    true,
  );
  const bad = compileItem(item("PortItem/remoteIP", "is", "10.0.0.300"), undefined, "given");
  strictEqual(bad.test.kind === "not-evaluated" && bad.test.reason, "invalid-value");
});

Deno.test("compileItem() booleans", async () => {
  const search = "FileItem/PEInfo/DigitalSignature/SignatureVerified";
  const verified = (value: boolean | string) => ({
    PEInfo: { DigitalSignature: { SignatureVerified: value } },
  });
  strictEqual(await holds(search, "is", "true", verified(true)), true);
  strictEqual(await holds(search, "is", "TRUE", verified("true")), true);
  strictEqual(await holds(search, "is", "false", verified(true)), false);
  strictEqual(await holds(search, "is", "false", verified(true), negated), true);
  const bad = compileItem(item(search, "is", "perhaps"));
  strictEqual(bad.test.kind === "not-evaluated" && bad.test.reason, "invalid-value");
});

Deno.test("compileItem() FileExtension matches with or without the leading dot", async () => {
  const pairs: [string, string][] = [["exe", "exe"], [".exe", "exe"], ["exe", ".exe"], [
    ".EXE",
    ".exe",
  ]];
  for (const [expected, actual] of pairs) {
    strictEqual(
      await holds("FileItem/FileExtension", "is", expected, { FileExtension: actual }),
      true,
    );
  }
  strictEqual(await holds("FileItem/FileExtension", "is", ".exe", { FileExtension: "dll" }), false);
  strictEqual(
    await holds("fileWriteEvent/fileExtension", "is", ".ps1", { fileExtension: "ps1" }),
    true,
  );
  strictEqual(
    await holds("FileItem/FileExtension", "starts-with", ".ex", { FileExtension: "exe" }),
    true,
  );
});

Deno.test("compileItem() string greater-than compares numbers, else is an invalid value", async () => {
  strictEqual(
    await holds("ProcessItem/kernelTime", "greater-than", "10", { kernelTime: "12" }),
    true,
  );
  strictEqual(
    await holds("ProcessItem/kernelTime", "greater-than", "10", { kernelTime: "abc" }),
    false,
  );
  const bad = compileItem(item("ProcessItem/name", "greater-than", "200KB"), undefined, "given");
  strictEqual(bad.test.kind === "not-evaluated" && bad.test.reason, "invalid-value");
});

Deno.test("compileItem() unsupported terms and empty content are FALSE whatever negate", async () => {
  for (const negate of [false, true]) {
    strictEqual(
      await holds("Yara/TextString", "contains", "x", { TextString: "x" }, { negate }),
      false,
    );
    strictEqual(await holds("FileItem/Md5sum", "is", "", { Md5sum: "" }, { negate }), false);
    strictEqual(
      await holds("FileItem/FileName", "is", "   ", { FileName: "   " }, { negate }),
      false,
    );
  }
  deepStrictEqual(compileItem(item("Snort/Snort", "contains", "x")).test, {
    kind: "not-evaluated",
    reason: "unsupported-term",
  });
  deepStrictEqual(compileItem(item("FileItem/FileName", "is", "")).test, {
    kind: "not-evaluated",
    reason: "empty-content",
  });
});

Deno.test("compileItem() search paths resolve case-insensitively and in both HX spellings", async () => {
  const md5 = "0123456789abcdef0123456789abcdef";
  strictEqual(await holds("FileItem/MD5Sum", "is", md5, { Md5sum: md5 }), true);
  strictEqual(
    await holds("eventItem/processEvent/process", "is", "x.exe", { process: "x.exe" }, {
      document: "eventItem",
    }),
    true,
  );
  strictEqual(await holds("processEvent/process", "is", "x.exe", { process: "x.exe" }), true);
});

Deno.test("compileItem() lists: any element matches; negated, no element matches", async () => {
  const search = "ProcessItem/HandleList/Handle/Name";
  const handles = {
    HandleList: { Handle: [{ Name: "\\BaseNamedObjects\\a" }, { Name: "Global\\EvilMutex" }] },
  };
  strictEqual(await holds(search, "contains", "evilmutex", handles), true);
  strictEqual(await holds(search, "is", "global\\evilmutex", handles), true);
  strictEqual(await holds(search, "contains", "evilmutex", handles, negated), false);
  strictEqual(await holds(search, "contains", "othermutex", handles, negated), true);
  strictEqual(await holds(search, "matches", "^\\\\basenamed", handles), true);
  strictEqual(await holds(search, "matches", "^\\\\basenamed", handles, negated), false);
});

Deno.test("compileItem() missing field: FALSE, and TRUE when negated", async () => {
  strictEqual(await holds("FileItem/Md5sum", "is", "00", {}), false);
  strictEqual(await holds("FileItem/Md5sum", "is", "00", {}, negated), true);
  strictEqual(
    await holds("FileItem/PEInfo/PETimeStamp", "greater-than", "2000-01-01", { PEInfo: null }),
    false,
  );
  strictEqual(
    await holds(
      "FileItem/PEInfo/PETimeStamp",
      "greater-than",
      "2000-01-01",
      { PEInfo: null },
      negated,
    ),
    true,
  );
  strictEqual(
    await holds(
      "ProcessItem/HandleList/Handle/Name",
      "is",
      "x",
      { HandleList: { Handle: [] } },
      negated,
    ),
    true,
  );
});

Deno.test("compileItem() ignores preserve-case in OpenIOC 1.0 documents", async () => {
  const source = item("FileItem/FileName", "is", "Evil.exe", { preserveCase: true });
  deepStrictEqual(compileItem(source, "1.0").test, {
    kind: "index",
    probe: { kind: "exact", space: "text-ci", key: "evil.exe" },
  });
  deepStrictEqual(compileItem(source, "1.1").test, {
    kind: "index",
    probe: { kind: "exact", space: "text-cs", key: "Evil.exe" },
  });
  const document = { ...ioc(source), version: "1.0" as const };
  strictEqual((await detect(document, [observed("FileItem", { FileName: "EVIL.EXE" })])).length, 1);
});

Deno.test("compileItem() a range written high TO low covers the same values as low TO high", async () => {
  for (const range of ["200 TO 100", "[200 TO 100]"]) {
    strictEqual(await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 100 }), true);
    strictEqual(await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 150 }), true);
    strictEqual(await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 200 }), true);
    strictEqual(await holds("FileItem/SizeInBytes", "is", range, { SizeInBytes: 201 }), false);
  }
  const reversed = "2012-12-14T19:09:00Z TO 2011-04-20T10:28:55Z";
  strictEqual(
    await holds("FileItem/Created", "is", reversed, { Created: "2012-01-01T00:00:00Z" }),
    true,
  );
  strictEqual(
    await holds("FileItem/Created", "is", reversed, { Created: "2013-01-01T00:00:00Z" }),
    false,
  );
});

Deno.test("compileItem() a FileExtension pattern that is only a dot is empty: never matches", async () => {
  for (const condition of ["contains", "starts-with", "ends-with"] as const) {
    strictEqual(
      await holds("FileItem/FileExtension", condition, ".", { FileExtension: ".exe" }),
      false,
      condition,
    );
    strictEqual(
      await holds("FileItem/FileExtension", condition, ".", { FileExtension: "exe" }, negated),
      false,
      `${condition} negated`,
    );
    const { test } = compileItem(item("FileItem/FileExtension", condition, "."));
    deepStrictEqual(test, { kind: "not-evaluated", reason: "empty-content" });
  }
});

Deno.test("compileItem() contains on an integer tests the decimal text, whatever the observed spelling", async () => {
  strictEqual(await holds("FileItem/SizeInBytes", "contains", "10", { SizeInBytes: "0x64" }), true);
  strictEqual(
    await holds("FileItem/SizeInBytes", "starts-with", "1", { SizeInBytes: " 0100" }),
    true,
  );
  strictEqual(await holds("FileItem/SizeInBytes", "contains", "x", { SizeInBytes: "0x64" }), false);
  strictEqual(await holds("FileItem/SizeInBytes", "contains", "00", { SizeInBytes: 1005 }), true);
});

Deno.test("compileItem() terms no collector produces are not evaluated in scans, evaluated on given objects", () => {
  const strings = item("FileItem/StringList/string", "contains", "evil", { negate: true });
  deepStrictEqual(compileItem(strings).test, { kind: "not-evaluated", reason: "not-produced" });
  strictEqual(compileItem(strings, "1.1", "given").test.kind, "index");
  const process = item("PrefetchItem/ApplicationFileName", "is", "");
  // One reason per item: the term's coverage comes before its content.
  deepStrictEqual(compileItem(process).test, { kind: "not-evaluated", reason: "no-collector" });
  deepStrictEqual(compileItem(process, "1.1", "given").test, {
    kind: "not-evaluated",
    reason: "empty-content",
  });
});
