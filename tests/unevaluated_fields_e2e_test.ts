/**
 * End-to-end: a value that could not be evaluated on one object is unknown
 * there, never a miss that makes a negated item hold. Each case runs the real
 * CLI (`iocscan scan … --json`) on files built by code and checks that nothing
 * is detected, the exit code is 3 (incomplete) and the summary's incomplete
 * entry names the IOC, the item, the reason and the number of objects
 * (docs/matching.md, "Fields an object could not evaluate").
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { makeSigner, signPe } from "../formats/pe/_testing/authenticode_signer.ts";
import { buildPe, setU16 } from "../formats/pe/_testing/pe_builder.ts";
import { runCli } from "./_cli.ts";

type Json = Record<string, unknown>;
interface Unevaluated {
  itemId: string;
  search: string;
  reason: string;
  objects: number;
}
interface Entry {
  kind: string;
  what: string;
  why: string;
  unevaluated?: Unevaluated[];
}

/** An OpenIOC 1.1 file whose top OR holds one item. */
function ioc11(
  id: string,
  search: string,
  condition: string,
  type: string,
  value: string,
  negate = false,
): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-item" condition="${condition}" negate="${negate}" preserve-case="false">
      <Context document="FileItem" search="${search}" type="mir"/>
      <Content type="${type}">${value}</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`;
}

async function scan(args: string[]) {
  const output = await runCli<Json>(["scan", ...args, "--json"]);
  const events = output.events;
  const summary = events.find((event) => event.type === "summary") as
    | (Json & { complete: boolean; incomplete: Entry[] })
    | undefined;
  ok(summary !== undefined, output.stderr);
  const detected = events.filter((event) => event.type === "detection")
    .map((event) => (event.ioc as { id: string }).id).sort();
  return { code: output.code, events, summary, detected };
}

/** The incomplete entry of an IOC, by id. */
function entryOf(entries: readonly Entry[], id: string): Entry {
  const entry = entries.find((candidate) => candidate.what.startsWith(`${id} (`));
  ok(entry !== undefined, JSON.stringify(entries));
  return entry;
}

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-unevaluated-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const signature = "FileItem/PEInfo/DigitalSignature/SignatureVerified";
const md2 = "1.2.840.113549.2.2";

Deno.test("iocscan scan: a signature with an unsupported digest is neither verified nor not", async () => {
  await withDir(async (dir) => {
    const { bytes: unsigned, layout } = buildPe({ bits: 64, timeDateStamp: 0x60000000 });
    const signer = makeSigner("Contoso Test Signer");
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "false.ioc"),
      ioc11("is-false", signature, "is", "bool", "false"),
    );
    await Deno.writeTextFile(
      join(iocs, "not-true.ioc"),
      ioc11("not-true", signature, "is", "bool", "true", true),
    );
    const unchecked = join(dir, "unchecked");
    await Deno.mkdir(unchecked);
    await Deno.writeFile(
      join(unchecked, "md2.exe"),
      signPe(unsigned, layout, signer, { imageDigestOid: md2 }),
    );

    const blind = await scan(["--ioc", iocs, "--scope", unchecked, "--db", join(dir, "a.db")]);
    deepStrictEqual(blind.detected, []);
    deepStrictEqual(blind.code, 3);
    deepStrictEqual(blind.summary.complete, false);
    for (const id of ["is-false", "not-true"]) {
      const entry = entryOf(blind.summary.incomplete, id);
      deepStrictEqual(entry.kind, "ioc");
      ok(entry.why.includes(`item ${id}-item (${signature}) on 1 object(s)`), entry.why);
      ok(entry.why.includes(md2), entry.why);
      deepStrictEqual(entry.unevaluated?.map((u) => [u.itemId, u.search, u.objects]), [
        [`${id}-item`, signature, 1],
      ]);
      ok(entry.unevaluated![0]!.reason.includes("pe-signature-not-evaluated"), entry.why);
    }

    // A validly signed file is still evaluated: both IOCs are false on it, and the run complete.
    const valid = join(dir, "valid");
    await Deno.mkdir(valid);
    await Deno.writeFile(join(valid, "signed.exe"), signPe(unsigned, layout, signer));
    const clean = await scan(["--ioc", iocs, "--scope", valid, "--db", join(dir, "b.db")]);
    deepStrictEqual([clean.code, clean.detected, clean.summary.complete], [0, [], true]);

    // A tampered one is not verified: both fire, whatever the unchecked file beside it.
    const tampered = signPe(unsigned, layout, signer);
    tampered[layout.sections[".text"]!.rawPointer + 16]! ^= 0x80;
    await Deno.writeFile(join(unchecked, "tampered.exe"), tampered);
    const found = await scan(["--ioc", iocs, "--scope", unchecked, "--db", join(dir, "c.db")]);
    deepStrictEqual([found.code, found.detected], [1, ["is-false", "not-true"]]);
  });
});

Deno.test("iocscan scan: a negated matches on a value over the text limit is not a detection", async () => {
  await withDir(async (dir) => {
    const files = join(dir, "files");
    await Deno.mkdir(files);
    // The match lies past the text limit of a ~1,800-instruction program (about 9,000 characters),
    // in the subject of the certificate that signs the file.
    const { bytes: unsigned, layout } = buildPe({ bits: 64 });
    const signer = makeSigner(" ".repeat(20_000) + "abz");
    await Deno.writeFile(join(files, "long.exe"), signPe(unsigned, layout, signer));
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    const search = "FileItem/PEInfo/DigitalSignature/CertificateSubject";
    await Deno.writeTextFile(
      join(iocs, "re.ioc"),
      ioc11("re", search, "matches", "string", "\\w{1,900}z", true),
    );
    const { code, detected, summary, events } = await scan([
      "--ioc",
      iocs,
      "--scope",
      files,
      "--db",
      join(dir, "r.db"),
    ]);
    deepStrictEqual(detected, []);
    deepStrictEqual(code, 3);
    const entry = entryOf(summary.incomplete, "re");
    ok(entry.why.includes(`item re-item (${search}) on 1 object(s)`), entry.why);
    ok(entry.why.includes("the rest was not searched"), entry.why);
    ok(
      events.some((event) => event.type === "warning" && event.code === "match-value-cut"),
      JSON.stringify(events),
    );
  });
});

Deno.test("iocscan scan --root: a negated Username item holds on no image file", async () => {
  await withDir(async (dir) => {
    const image = join(dir, "image");
    await Deno.mkdir(join(image, "Windows"), { recursive: true });
    await Deno.writeTextFile(join(image, "Windows", "a.txt"), "a");
    await Deno.writeTextFile(join(image, "Windows", "b.txt"), "b");
    await Deno.writeTextFile(join(image, "c.txt"), "c");
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "user.ioc"),
      ioc11("user", "FileItem/Username", "is", "string", "Administrator", true),
    );
    const { code, detected, summary } = await scan([
      "--ioc",
      iocs,
      "--root",
      image,
      "--db",
      join(dir, "r.db"),
    ]);
    deepStrictEqual(detected, []);
    deepStrictEqual(code, 3);
    const entry = entryOf(summary.incomplete, "user");
    deepStrictEqual(entry.unevaluated?.map((u) => [u.itemId, u.objects]), [["user-item", 3]]);
    ok(entry.why.includes("--root"), entry.why);
  });
});

Deno.test("iocscan scan: what a damaged optional header hides is unknown; its COFF facts still count", async () => {
  await withDir(async (dir) => {
    const files = join(dir, "files");
    await Deno.mkdir(files);
    const stamp = Date.UTC(2009, 6, 14, 1, 14, 41) / 1000;
    const damaged = buildPe({ bits: 32, timeDateStamp: stamp });
    setU16(damaged.bytes, damaged.layout.optionalHeaderOffset, 0x0000); // no valid magic
    await Deno.writeFile(join(files, "damaged.exe"), damaged.bytes);
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    await Deno.writeTextFile(
      join(iocs, "gui.ioc"),
      ioc11("gui", "FileItem/PEInfo/Subsystem", "is", "string", "Windows_GUI", true),
    );
    await Deno.writeTextFile(
      join(iocs, "import.ioc"),
      ioc11(
        "import",
        "FileItem/PEInfo/ImportedModules/Module/Name",
        "is",
        "string",
        "kernel32.dll",
        true,
      ),
    );
    const blind = await scan(["--ioc", iocs, "--scope", files, "--db", join(dir, "a.db")]);
    deepStrictEqual([blind.code, blind.detected], [3, []]);
    for (const id of ["gui", "import"]) {
      ok(entryOf(blind.summary.incomplete, id).why.includes("pe-corrupt"), id);
    }
    // The COFF timestamp was read: an item on it is decided as usual.
    await Deno.writeTextFile(
      join(iocs, "stamp.ioc"),
      ioc11("stamp", "FileItem/PEInfo/PETimeStamp", "is", "date", "2009-07-14T01:14:41Z"),
    );
    const found = await scan(["--ioc", iocs, "--scope", files, "--db", join(dir, "b.db")]);
    deepStrictEqual([found.code, found.detected], [1, ["stamp"]]);
  });
});

Deno.test("iocscan scan: a file too large to hash is unknown to a negated hash item, not a hit", async () => {
  await withDir(async (dir) => {
    const files = join(dir, "files");
    await Deno.mkdir(files);
    await Deno.writeTextFile(join(files, "big.bin"), "x".repeat(4096));
    const iocs = join(dir, "iocs");
    await Deno.mkdir(iocs);
    const md5 = "0123456789abcdef0123456789abcdef";
    // Digests only: the walk hashes ahead (the prefetch path).
    await Deno.writeTextFile(
      join(iocs, "hash.ioc"),
      ioc11("hash", "FileItem/Md5sum", "is", "md5", md5, true),
    );
    const args = ["--ioc", iocs, "--scope", files, "--max-file-size", "1024"];
    const ahead = await scan([...args, "--db", join(dir, "a.db")]);
    deepStrictEqual([ahead.code, ahead.detected], [3, []]);
    const entry = entryOf(ahead.summary.incomplete, "hash");
    ok(entry.why.includes("too-large"), entry.why);
    // With a name item too, the digest is a lazy field.
    await Deno.writeTextFile(
      join(iocs, "hash.ioc"),
      `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="hash" last-modified="2026-12-07T00:00:00" published-date="2026-12-07T00:00:00">
  <metadata><short_description>hash</short_description><authored_date>2026-12-07T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="AND" id="hash-top">
    <IndicatorItem id="name" condition="is" negate="false" preserve-case="false">
      <Context document="FileItem" search="FileItem/FileName" type="mir"/>
      <Content type="string">big.bin</Content>
    </IndicatorItem>
    <IndicatorItem id="hash-item" condition="is" negate="true" preserve-case="false">
      <Context document="FileItem" search="FileItem/Md5sum" type="mir"/>
      <Content type="md5">${md5}</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`,
    );
    const lazy = await scan([...args, "--db", join(dir, "b.db")]);
    deepStrictEqual([lazy.code, lazy.detected], [3, []]);
    deepStrictEqual(
      entryOf(lazy.summary.incomplete, "hash").unevaluated?.map((u) => [u.itemId, u.objects]),
      [["hash-item", 1]],
    );
  });
});
