/**
 * The matching semantics of docs/matching.md, pinned through the real CLI:
 * each case writes one IOC file (OpenIOC 1.0 or 1.1) and one NDJSON items
 * file, runs `iocscan match --json` in a child process and asserts whether
 * the IOC was detected, and for some cases the exact evidence.
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { ioc10, ioc11, item10, item11 } from "../openioc/_ioc_fixtures.ts";
import { runCli } from "./_cli.ts";
import { repositoryRoot } from "./corpus.ts";

type Json = Record<string, unknown>;

/** One semantic case: an IOC, the objects it is matched against, and the expected outcome. */
interface Case {
  name: string;
  ioc: string;
  /** Objects (serialised with JSON.stringify) or raw NDJSON lines. */
  items: (Json | string)[];
  detected: boolean;
  /**
   * Not detected and not ruled out either (an item not evaluated): exit 3,
   * incomplete, never the clean 0.
   */
  undecided?: true;
  /** When given, the detection's evidence as [object, indicator, [item id, observed]...]. */
  evidence?: [string, string, [string, unknown][]][];
}

async function match(iocXml: string, items: (Json | string)[]) {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-semantics-" });
  try {
    await Deno.writeTextFile(join(folder, "case.ioc"), iocXml);
    const lines = items.map((item) => typeof item === "string" ? item : JSON.stringify(item));
    await Deno.writeTextFile(join(folder, "items.ndjson"), lines.join("\n") + "\n");
    const output = await runCli<Json>([
      "match",
      "--ioc",
      join(folder, "case.ioc"),
      "--items",
      join(folder, "items.ndjson"),
      "--json",
    ], { cwd: repositoryRoot });
    return { code: output.code, events: output.events };
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

async function runCases(cases: Case[]): Promise<void> {
  for (const c of cases) {
    const { code, events } = await match(c.ioc, c.items);
    const detections = events.filter((event) => event.type === "detection");
    strictEqual(detections.length, c.detected ? 1 : 0, `${c.name}: detections`);
    strictEqual(code, c.detected ? 1 : c.undecided ? 3 : 0, `${c.name}: exit code`);
    strictEqual(events.at(-1)?.complete, c.undecided !== true, `${c.name}: complete`);
    if (c.evidence === undefined) continue;
    const evidence = (detections[0]!.evidence as Json[]).map((e) => [
      e.object,
      e.indicator,
      (e.items as Json[]).map((i) => [i.id, i.observed]),
    ]);
    deepStrictEqual(evidence, c.evidence, `${c.name}: evidence`);
  }
}

const and = (id: string, ...children: string[]) =>
  `<Indicator operator="AND" id="${id}">${children.join("")}</Indicator>`;
const or = (id: string, ...children: string[]) =>
  `<Indicator operator="OR" id="${id}">${children.join("")}</Indicator>`;
/** A 1.1 IOC with one item `i` under the top OR. */
const one11 = (
  condition: string,
  search: string,
  value: string,
  options: { negate?: boolean; preserveCase?: boolean } = {},
) => ioc11(or("top", item11("i", condition, search, value, options)));
/** A 1.0 IOC with one item `i` under the top OR. */
const one10 = (condition: string, search: string, value: string) =>
  ioc10(or("top", item10("i", condition, search, value)));
const file = (fields: Json, key = "f") => ({ document: "FileItem", key, ...fields });
const object = (document: string, fields: Json, key = "o") => ({ document, key, ...fields });
const negate = { negate: true };
const preserve = { preserveCase: true };
const md5 = "d41d8cd98f00b204e9800998ecf8427e";

Deno.test("match semantics: string conditions, negate, preserve-case and 1.0 case-insensitivity", async () => {
  const name = "FileItem/FileName";
  await runCases([
    {
      name: "is ci",
      ioc: one11("is", name, "EVIL.exe"),
      items: [file({ FileName: "evil.EXE" })],
      detected: true,
    },
    {
      name: "is cs",
      ioc: one11("is", name, "EVIL.exe", preserve),
      items: [file({ FileName: "evil.EXE" })],
      detected: false,
    },
    {
      name: "is cs same",
      ioc: one11("is", name, "EVIL.exe", preserve),
      items: [file({ FileName: "EVIL.exe" })],
      detected: true,
    },
    {
      name: "is negated",
      ioc: one11("is", name, "EVIL.exe", negate),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "is negated cs",
      ioc: one11("is", name, "EVIL.exe", { ...negate, ...preserve }),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "1.0 is ci",
      ioc: one10("is", name, "EVIL.exe"),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "1.0 isnot",
      ioc: one10("isnot", name, "EVIL.exe"),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "1.0 isnot other",
      ioc: one10("isnot", name, "EVIL.exe"),
      items: [file({ FileName: "good.exe" })],
      detected: true,
    },
    {
      name: "1.0 ignores a stray preserve-case",
      ioc: ioc10(
        or("top", item10("i", "is", name, "EVIL.exe", { attributes: ' preserve-case="true"' })),
      ),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "contains ci",
      ioc: one11("contains", "FileItem/FullPath", "\\TEMP\\"),
      items: [file({ FullPath: "C:\\temp\\x" })],
      detected: true,
    },
    {
      name: "contains cs",
      ioc: one11("contains", "FileItem/FullPath", "\\TEMP\\", preserve),
      items: [file({ FullPath: "C:\\temp\\x" })],
      detected: false,
    },
    {
      name: "contains negated",
      ioc: one11("contains", "FileItem/FullPath", "temp", negate),
      items: [file({ FullPath: "C:\\TEMP\\x" })],
      detected: false,
    },
    {
      name: "1.0 containsnot",
      ioc: one10("containsnot", "FileItem/FullPath", "temp"),
      items: [file({ FullPath: "C:\\win\\x" })],
      detected: true,
    },
    {
      name: "starts-with",
      ioc: one11("starts-with", name, "EV"),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "starts-with cs",
      ioc: one11("starts-with", name, "EV", preserve),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "starts-with negated",
      ioc: one11("starts-with", name, "EV", negate),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "ends-with",
      ioc: one11("ends-with", name, ".EXE"),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "ends-with cs",
      ioc: one11("ends-with", name, ".EXE", preserve),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "strings are not trimmed",
      ioc: one11("is", name, " x"),
      items: [file({ FileName: "x" })],
      detected: false,
    },
    {
      name: "a number observed on a string term",
      ioc: one11("is", name, "123"),
      items: [file({ FileName: 123 })],
      detected: true,
    },
    {
      name: "XML entities are decoded",
      ioc: one11("is", name, "a&amp;b"),
      items: [file({ FileName: "a&b" })],
      detected: true,
    },
  ]);
});

Deno.test("match semantics: matches finds anywhere, anchors are explicit, bad regexes never match", async () => {
  const name = "FileItem/FileName";
  await runCases([
    {
      name: "find anywhere",
      ioc: one11("matches", name, "vil\\.e"),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "anchored start",
      ioc: one11("matches", name, "^vil"),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "anchored both, ci",
      ioc: one11("matches", name, "^EVIL\\.EXE$"),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "cs",
      ioc: one11("matches", name, "^EVIL", preserve),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "negated",
      ioc: one11("matches", name, "vil", negate),
      items: [file({ FileName: "evil.exe" })],
      detected: false,
    },
    {
      name: "negated miss",
      ioc: one11("matches", name, "xyz", negate),
      items: [file({ FileName: "evil.exe" })],
      detected: true,
    },
    {
      name: "invalid regex",
      undecided: true,
      ioc: one11("matches", name, "(abc"),
      items: [file({ FileName: "(abc" })],
      detected: false,
    },
    {
      name: "invalid regex negated",
      undecided: true,
      ioc: one11("matches", name, "(abc", negate),
      items: [file({ FileName: "x" })],
      detected: false,
    },
    {
      name: "on an integer",
      ioc: one11("matches", "FileItem/SizeInBytes", "^1\\d\\d$"),
      items: [file({ SizeInBytes: 150 })],
      detected: true,
    },
  ]);
});

Deno.test("match semantics: hashes, integers, ranges and booleans", async () => {
  await runCases([
    {
      name: "md5 upper with spaces",
      ioc: one11("is", "FileItem/Md5sum", `  ${md5.toUpperCase()} `),
      items: [file({ Md5sum: md5 })],
      detected: true,
    },
    {
      name: "md5 observed upper",
      ioc: one11("is", "FileItem/Md5sum", md5),
      items: [file({ Md5sum: ` ${md5.toUpperCase()}` })],
      detected: true,
    },
    {
      name: "md5 preserve-case is ignored",
      ioc: one11("is", "FileItem/Md5sum", md5.toUpperCase(), preserve),
      items: [file({ Md5sum: md5 })],
      detected: true,
    },
    {
      name: "md5 negated",
      ioc: one11("is", "FileItem/Md5sum", md5.toUpperCase(), negate),
      items: [file({ Md5sum: md5 })],
      detected: false,
    },
    {
      name: "1.0 sha1 typed string",
      ioc: one10("is", "FileItem/Sha1sum", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"),
      items: [file({ Sha1sum: "da39a3ee5e6b4b0d3255bfef95601890afd80709" })],
      detected: true,
    },
    {
      name: "int as number",
      ioc: one11("is", "FileItem/SizeInBytes", " 100 "),
      items: [file({ SizeInBytes: 100 })],
      detected: true,
    },
    {
      name: "int as string",
      ioc: one11("is", "FileItem/SizeInBytes", "100"),
      items: [file({ SizeInBytes: " 100 " })],
      detected: true,
    },
    {
      name: "int hex",
      ioc: one11("is", "FileItem/SizeInBytes", "0x64"),
      items: [file({ SizeInBytes: 100 })],
      detected: true,
    },
    {
      name: "range low bound",
      ioc: one11("is", "FileItem/SizeInBytes", "100 TO 200"),
      items: [file({ SizeInBytes: 100 })],
      detected: true,
    },
    {
      name: "range high bound bracketed",
      ioc: one11("is", "FileItem/SizeInBytes", "[100 TO 200]"),
      items: [file({ SizeInBytes: 200 })],
      detected: true,
    },
    {
      name: "range outside",
      ioc: one11("is", "FileItem/SizeInBytes", "[100 TO 200]"),
      items: [file({ SizeInBytes: 201 })],
      detected: false,
    },
    {
      name: "range reversed",
      ioc: one11("is", "FileItem/SizeInBytes", "[200 TO 100]"),
      items: [file({ SizeInBytes: 150 })],
      detected: true,
    },
    {
      name: "range negated",
      ioc: one11("is", "FileItem/SizeInBytes", "100 TO 200", negate),
      items: [file({ SizeInBytes: 150 })],
      detected: false,
    },
    {
      name: "range negated outside",
      ioc: one11("is", "FileItem/SizeInBytes", "100 TO 200", negate),
      items: [file({ SizeInBytes: 250 })],
      detected: true,
    },
    {
      name: "greater-than is strict",
      ioc: one11("greater-than", "FileItem/SizeInBytes", "100"),
      items: [file({ SizeInBytes: 100 })],
      detected: false,
    },
    {
      name: "greater-than",
      ioc: one11("greater-than", "FileItem/SizeInBytes", "100"),
      items: [file({ SizeInBytes: "101" })],
      detected: true,
    },
    {
      name: "less-than negated",
      ioc: one11("less-than", "FileItem/SizeInBytes", "100", negate),
      items: [file({ SizeInBytes: 99 })],
      detected: false,
    },
    {
      name: "contains on an integer tests its decimal text",
      ioc: one11("contains", "FileItem/SizeInBytes", "10"),
      items: [file({ SizeInBytes: "0x64" })],
      detected: true,
    },
    {
      name: "an integer beyond 2^53 stays exact",
      ioc: one11("is", "FileItem/SizeInBytes", "9007199254740993"),
      items: ['{"document":"FileItem","key":"f","SizeInBytes":9007199254740993}'],
      detected: true,
      evidence: [["f", "top", [["i", "9007199254740993"]]]],
    },
    {
      name: "its neighbour does not match",
      ioc: one11("is", "FileItem/SizeInBytes", "9007199254740992"),
      items: ['{"document":"FileItem","key":"f","SizeInBytes":9007199254740993}'],
      detected: false,
    },
    {
      name: "bool true",
      ioc: one11("is", "FileItem/PEInfo/DigitalSignature/SignatureExists", "True"),
      items: [file({ PEInfo: { DigitalSignature: { SignatureExists: true } } })],
      detected: true,
    },
    {
      name: "bool false vs true",
      ioc: one11("is", "FileItem/PEInfo/DigitalSignature/SignatureExists", "false"),
      items: [file({ PEInfo: { DigitalSignature: { SignatureExists: "true" } } })],
      detected: false,
    },
    {
      name: "bool negated, field missing",
      ioc: one11("is", "FileItem/PEInfo/DigitalSignature/SignatureVerified", "true", negate),
      items: [file({ FileName: "x" })],
      detected: true,
    },
  ]);
});

Deno.test("match semantics: dates (zones, offsets, date-only, ranges, ordering)", async () => {
  const created = "FileItem/Created";
  await runCases([
    {
      name: "no zone is UTC",
      ioc: one11("is", created, "2020-01-01T00:00:00Z"),
      items: [file({ Created: "2020-01-01T00:00:00" })],
      detected: true,
    },
    {
      name: "offset",
      ioc: one11("is", created, "2020-01-01T02:00:00+02:00"),
      items: [file({ Created: "2020-01-01T00:00:00Z" })],
      detected: true,
    },
    {
      name: "date-only is midnight",
      ioc: one11("is", created, "2020-01-01"),
      items: [file({ Created: "2020-01-01T00:00:00.000Z" })],
      detected: true,
    },
    {
      name: "greater-than",
      ioc: one11("greater-than", created, "2020-01-01T00:00:00Z"),
      items: [file({ Created: "2020-01-01T00:00:01Z" })],
      detected: true,
    },
    {
      name: "greater-than date-only",
      ioc: one11("greater-than", created, "2020-01-01"),
      items: [file({ Created: "2020-01-01T10:00:00Z" })],
      detected: true,
    },
    {
      name: "less-than epoch ms",
      ioc: one11("less-than", created, "2020-01-01T00:00:00Z"),
      items: [file({ Created: 0 })],
      detected: true,
    },
    {
      name: "less-than observed offset",
      ioc: one11("less-than", created, "2020-01-01T00:00:00Z"),
      items: [file({ Created: "2020-01-01T01:00:00+02:00" })],
      detected: true,
    },
    {
      name: "range inclusive high",
      ioc: one11("is", created, "2020-01-01T00:00:00Z TO 2020-12-31T23:59:59Z"),
      items: [file({ Created: "2020-12-31T23:59:59Z" })],
      detected: true,
    },
    {
      name: "range bracketed outside",
      ioc: one11("is", created, "[2020-01-01T00:00:00Z TO 2020-12-31T23:59:59Z]"),
      items: [file({ Created: "2021-01-01T00:00:00Z" })],
      detected: false,
    },
    {
      name: "range reversed",
      ioc: one11("is", created, "2020-12-31T00:00:00Z TO 2020-01-01T00:00:00Z"),
      items: [file({ Created: "2020-06-01T00:00:00Z" })],
      detected: true,
    },
    {
      name: "1.0 range",
      ioc: one10("is", created, "2011-04-20T10:28:55Z TO 2012-12-14T19:09:00Z"),
      items: [file({ Created: "2012-01-01T00:00:00Z" })],
      detected: true,
    },
    {
      name: "impossible date is invalid",
      undecided: true,
      ioc: one11("is", created, "2020-02-31T00:00:00Z"),
      items: [file({ Created: "2020-03-02T00:00:00Z" })],
      detected: false,
    },
  ]);
});

Deno.test("match semantics: IPs (prefix contains, canonical is) and FileExtension dots", async () => {
  const ip = (remoteIP: string) => object("PortItem", { remoteIP });
  await runCases([
    {
      name: "1.0 contains is a prefix",
      ioc: one10("contains", "PortItem/remoteIP", "103.41.124."),
      items: [ip("103.41.124.7")],
      detected: true,
    },
    {
      name: "contains is not infix",
      ioc: one10("contains", "PortItem/remoteIP", "41.124."),
      items: [ip("103.41.124.7")],
      detected: false,
    },
    {
      name: "is ignores leading zeros",
      ioc: one11("is", "PortItem/remoteIP", "010.001.001.001"),
      items: [ip("10.1.1.1")],
      detected: true,
    },
    {
      name: "is IPv6 spellings",
      ioc: one11("is", "PortItem/remoteIP", "2001:DB8:0:0:0:0:0:1"),
      items: [ip("2001:db8::1")],
      detected: true,
    },
    {
      name: "is IPv4-mapped",
      ioc: one11("is", "PortItem/remoteIP", "::ffff:10.1.1.1"),
      items: [ip("10.1.1.1")],
      detected: true,
    },
    {
      name: "is negated",
      ioc: one11("is", "PortItem/remoteIP", "10.1.1.1", negate),
      items: [ip("10.1.1.1")],
      detected: false,
    },
    {
      name: "ext with dot in IOC",
      ioc: one11("is", "FileItem/FileExtension", ".exe"),
      items: [file({ FileExtension: "exe" })],
      detected: true,
    },
    {
      name: "ext with dot observed",
      ioc: one11("is", "FileItem/FileExtension", "EXE"),
      items: [file({ FileExtension: ".exe" })],
      detected: true,
    },
    {
      name: "ext of just a dot never matches",
      undecided: true,
      ioc: one11("starts-with", "FileItem/FileExtension", "."),
      items: [file({ FileExtension: ".exe" })],
      detected: false,
    },
    {
      name: "IP prefix inside a list",
      ioc: one10("contains", "ProcessItem/PortList/PortItem/remoteIP", "10.1."),
      items: [
        object("ProcessItem", {
          PortList: { PortItem: [{ remoteIP: "192.168.1.1" }, { remoteIP: "10.1.2.3" }] },
        }),
      ],
      detected: true,
    },
    {
      name: "ext negated",
      ioc: one11("is", "FileItem/FileExtension", ".exe", negate),
      items: [file({ FileExtension: "exe" })],
      detected: false,
    },
  ]);
});

Deno.test("match semantics: lists, missing fields, empty content and unsupported terms", async () => {
  const handles = (...names: string[]) =>
    object("ProcessItem", { HandleList: { Handle: names.map((Name) => ({ Name })) } }, "p");
  const handle = "ProcessItem/HandleList/Handle/Name";
  await runCases([
    {
      name: "any element",
      ioc: one11("contains", handle, "mut"),
      items: [handles("m1", "mutexA", "x", "MUTEXB")],
      detected: true,
      evidence: [["p", "top", [["i", ["mutexA", "MUTEXB"]]]]],
    },
    {
      name: "negated: some element matches",
      ioc: one11("is", handle, "mutexA", negate),
      items: [handles("x", "MUTEXA")],
      detected: false,
    },
    {
      name: "negated: no element matches",
      ioc: one11("is", handle, "mutexA", negate),
      items: [handles("x", "y")],
      detected: true,
      evidence: [["p", "top", [["i", ["x", "y"]]]]],
    },
    { name: "empty list", ioc: one11("is", handle, "m"), items: [handles()], detected: false },
    {
      name: "empty list negated",
      ioc: one11("is", handle, "m", negate),
      items: [handles()],
      detected: true,
    },
    {
      name: "nested lists",
      ioc: one11("is", handle, "mutexA"),
      items: [
        object("ProcessItem", {
          HandleList: [{ Handle: [{ Name: "a" }] }, { Handle: { Name: "MUTEXA" } }],
        }),
      ],
      detected: true,
    },
    {
      name: "missing field",
      ioc: one11("is", "FileItem/FileName", "x"),
      items: [file({ FullPath: "x" })],
      detected: false,
    },
    {
      name: "missing field negated",
      ioc: one11("is", "FileItem/FileName", "x", negate),
      items: [file({ FileName: null })],
      detected: true,
      evidence: [["f", "top", [["i", undefined]]]],
    },
    {
      name: "keys and document are case-insensitive",
      ioc: one11("is", "fileitem/FILENAME", "x"),
      items: [object("fileitem", { filename: "x" })],
      detected: true,
    },
    {
      name: "empty content",
      undecided: true,
      ioc: one11("is", "FileItem/FileName", ""),
      items: [file({ FileName: "" })],
      detected: false,
    },
    {
      name: "empty content negated",
      undecided: true,
      ioc: one11("is", "FileItem/FileName", "  ", negate),
      items: [file({ FileName: "x" })],
      detected: false,
    },
    {
      name: "unsupported negated",
      undecided: true,
      ioc: one11("is", "Yara/TextString", "x", negate),
      items: [file({ FileName: "x" })],
      detected: false,
    },
    {
      name: "unsupported under OR is ignored",
      ioc: ioc11(
        or(
          "top",
          item11("y", "is", "Yara/TextString", "x"),
          item11("n", "is", "FileItem/FileName", "x"),
        ),
      ),
      items: [file({ FileName: "x" })],
      detected: true,
    },
    {
      name: "unsupported under AND blocks",
      undecided: true,
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            item11("y", "is", "Yara/TextString", "x"),
            item11("n", "is", "FileItem/FileName", "x"),
          ),
        ),
      ),
      items: [file({ FileName: "x" })],
      detected: false,
    },
  ]);
});

Deno.test("match semantics: same-object binding", async () => {
  const i = item11;
  const nameAndHash = ioc11(
    or(
      "top",
      and(
        "a",
        i("1", "is", "FileItem/Md5sum", md5.toUpperCase()),
        i("2", "is", "FileItem/FileName", "x.exe"),
      ),
    ),
  );
  const event = (process: string, processCmdLine: string, key: string) =>
    object("processEvent", { process, processCmdLine, parentProcess: "explorer.exe" }, key);
  const hx = ioc11(
    or(
      "top",
      and(
        "a",
        i("1", "is", "eventItem/processEvent/process", "cmd.exe"),
        i("2", "contains", "processEvent/processCmdLine", "/c"),
      ),
    ),
  );
  const fileWithOr = (second: string) =>
    ioc11(
      or(
        "top",
        and(
          "a",
          i("1", "is", "FileItem/FileName", "a.exe"),
          or("o", i("2", "is", "FileItem/SizeInBytes", "10"), second),
        ),
      ),
    );
  const a1 = file({ FileName: "a.exe", SizeInBytes: 1 }, "f1");
  const b10 = file({ FileName: "b.exe", SizeInBytes: 10 }, "f2");
  await runCases([
    {
      name: "AND of one document needs one object",
      ioc: nameAndHash,
      items: [
        file({ Md5sum: md5, FileName: "y.exe" }, "f1"),
        file({ Md5sum: "00", FileName: "x.exe" }, "f2"),
      ],
      detected: false,
    },
    {
      name: "AND of one document on one object",
      ioc: nameAndHash,
      items: [
        file({ Md5sum: md5, FileName: "y.exe" }, "f1"),
        file({ Md5sum: md5, FileName: "X.exe" }, "f2"),
      ],
      detected: true,
      evidence: [["f2", "a", [["1", md5], ["2", "X.exe"]]]],
    },
    {
      name: "OR inside AND, same document: one file",
      ioc: fileWithOr(i("3", "is", "FileItem/SizeInBytes", "20")),
      items: [a1, b10],
      detected: false,
    },
    {
      name: "OR inside AND, mixed: host level",
      ioc: fileWithOr(i("3", "is", "RegistryItem/ValueName", "v")),
      items: [a1, b10],
      detected: true,
      evidence: [["f1", "a", [["1", "a.exe"]]], ["f2", "o", [["2", 10]]]],
    },
    {
      name: "OR inside AND with an unsupported item: one file",
      undecided: true,
      ioc: fileWithOr(i("3", "is", "Yara/TextString", "x")),
      items: [a1, b10],
      detected: false,
    },
    {
      name: "AND of two documents: host level",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "FileItem/FileName", "x.exe"),
            i("2", "contains", "RegistryItem/Text", "x.exe"),
          ),
        ),
      ),
      items: [file({ FileName: "x.exe" }, "f"), object("RegistryItem", { Text: "run x.exe" }, "r")],
      detected: true,
      evidence: [["f", "a", [["1", "x.exe"]]], ["r", "a", [["2", "run x.exe"]]]],
    },
    {
      name: "AND of two documents, one missing",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "FileItem/FileName", "x.exe"),
            i("2", "contains", "RegistryItem/Text", "x.exe"),
          ),
        ),
      ),
      items: [file({ FileName: "x.exe" }, "f")],
      detected: false,
    },
    {
      name: "nested AND flattens: name and size on one file",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "FileItem/FileName", "x.exe"),
            and(
              "b",
              i("2", "is", "FileItem/SizeInBytes", "5"),
              i("3", "contains", "RegistryItem/Text", "x"),
            ),
          ),
        ),
      ),
      items: [
        file({ FileName: "x.exe", SizeInBytes: 6 }, "f1"),
        file({ FileName: "y", SizeInBytes: 5 }, "f2"),
        object("RegistryItem", { Text: "x" }, "r"),
      ],
      detected: false,
    },
    {
      name: "an empty AND inside an AND is FALSE",
      ioc: ioc11(
        or(
          "top",
          and("a", i("1", "is", "FileItem/FileName", "a"), `<Indicator operator="AND" id="e"/>`),
        ),
      ),
      items: [file({ FileName: "a" })],
      detected: false,
    },
    {
      name: "HX spellings are one event",
      ioc: hx,
      items: [event("cmd.exe", "x", "e1"), event("a.exe", "/c", "e2")],
      detected: false,
    },
    {
      name: "HX spellings on one event",
      ioc: hx,
      items: [event("cmd.exe", "cmd /c x", "e1")],
      detected: true,
      evidence: [["e1", "a", [["1", "cmd.exe"], ["2", "cmd /c x"]]]],
    },
    {
      name: "a negated exclusion applies to the same event",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "processEvent/process", "cmd.exe"),
            i("2", "starts-with", "processEvent/parentProcess", "explorer", negate),
          ),
        ),
      ),
      items: [
        event("cmd.exe", "", "e1"),
        object("processEvent", { process: "a.exe", parentProcess: "winword.exe" }, "e2"),
      ],
      detected: false,
    },
    {
      name: "OR of ANDs: evidence names the AND that held and only its items",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "FileItem/FileName", "a"),
            i("2", "is", "FileItem/SizeInBytes", "1"),
          ),
          i("3", "is", "FileItem/Md5sum", md5),
        ),
      ),
      items: [
        file({ FileName: "a", SizeInBytes: 1, Md5sum: "00" }, "f1"),
        file({ FileName: "a", SizeInBytes: 2, Md5sum: md5 }, "f2"),
      ],
      detected: true,
      evidence: [["f1", "a", [["1", "a"], ["2", 1]]], ["f2", "top", [["3", md5]]]],
    },
    {
      name: "AND(OR, OR) of one document: one file",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            or(
              "o1",
              i("1", "is", "FileItem/FileName", "a"),
              i("2", "is", "FileItem/FileName", "b"),
            ),
            or(
              "o2",
              i("3", "is", "FileItem/SizeInBytes", "1"),
              i("4", "is", "FileItem/SizeInBytes", "2"),
            ),
          ),
        ),
      ),
      items: [
        file({ FileName: "a", SizeInBytes: 3 }, "f1"),
        file({ FileName: "c", SizeInBytes: 1 }, "f2"),
      ],
      detected: false,
    },
    {
      name: "two items with the same value in one AND",
      ioc: ioc11(
        or(
          "top",
          and(
            "a",
            i("1", "is", "FileItem/FileName", "a"),
            i("2", "is", "FileItem/FileName", "A", preserve),
          ),
        ),
      ),
      items: [file({ FileName: "a" })],
      detected: false,
    },
    {
      name: "deep nesting",
      ioc: ioc11(
        or(
          "top",
          and(
            "a1",
            or(
              "o1",
              and(
                "a2",
                or(
                  "o2",
                  and(
                    "a3",
                    i("1", "is", "FileItem/FileName", "a"),
                    i("2", "is", "FileItem/SizeInBytes", "1"),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      items: [
        file({ FileName: "a", SizeInBytes: 2 }, "f1"),
        file({ FileName: "a", SizeInBytes: 1 }, "f2"),
      ],
      detected: true,
      evidence: [["f2", "a1", [["1", "a"], ["2", 1]]]],
    },
  ]);
});
