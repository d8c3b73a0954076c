import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import type { SkippedObject } from "../collector.ts";
import { buildHive, ValueType } from "../../formats/regf/mod.ts";
import {
  accountDomainV,
  buildSam,
  fixtureMachineSid,
  samFixed,
  samVariable,
  utmpRecord,
} from "./_user_fixtures.ts";
import { createUserCollector } from "./collector.ts";
import { parseGroup, parsePasswd, parseShadow } from "./etc_files.ts";
import { linuxUserSource } from "./linux_source.ts";
import { decodeLastlogEntry, latestLogins } from "./login_records.ts";
import { decodeSamFixed, decodeSamVariable, machineSidOf } from "./sam_records.ts";

const reporterFor = (warnings: string[], skips: SkippedObject[] = []) => ({
  skipped: (skip: SkippedObject) => skips.push(skip),
  warning: (warning: { code: string }) => warnings.push(warning.code),
  progress() {},
});

Deno.test("user collector (hostile SAM): accounts whose F or V lie are left out with a warning and UserItem unread, the rest read", async () => {
  const bin = (name: string, data: Uint8Array) => ({ name, type: ValueType.REG_BINARY, data });
  const good = { rid: 1001, name: "good", flags: 0x10 };
  const lyingV = samVariable({ rid: 1002, name: "liar", flags: 0x10 });
  new DataView(lyingV.buffer).setUint32(12, 0x7fff_fff0, true);
  const folder = await Deno.makeTempDir();
  try {
    const sam = join(folder, "SAM");
    await Deno.writeFile(
      sam,
      buildHive({
        name: "ROOT",
        subkeys: [{
          name: "SAM",
          subkeys: [{
            name: "Domains",
            subkeys: [{
              name: "Account",
              values: [bin("V", accountDomainV(fixtureMachineSid))],
              subkeys: [{
                name: "Users",
                subkeys: [
                  {
                    name: "000003E9",
                    values: [bin("F", samFixed(good)), bin("V", samVariable(good))],
                  },
                  { name: "000003EA", values: [bin("F", samFixed(good)), bin("V", lyingV)] },
                  {
                    name: "000003EB",
                    values: [bin("F", new Uint8Array(8)), bin("V", samVariable(good))],
                  },
                  { name: "000003EC", values: [] },
                  { name: "Names", subkeys: [{ name: "good" }] },
                ],
              }],
            }],
          }],
        }],
      }).bytes,
    );
    const warnings: string[] = [];
    const skips: SkippedObject[] = [];
    const items: ObservedItem[] = [];
    const collector = createUserCollector({ hives: [sam] });
    for await (
      const item of collector.collect({ needs: new Map(), reporter: reporterFor(warnings, skips) })
    ) {
      items.push(item);
    }
    deepStrictEqual(items.map((item) => item.fields.Username), ["good"]);
    deepStrictEqual(warnings, [
      "user-sam-bad-record",
      "user-sam-bad-record",
      "user-sam-bad-record",
    ]);
    // An account left out may be the very one an IOC names: UserItem is not read whole.
    strictEqual(skips.length, 3);
    ok(skips.every((skip) => skip.unreadDocuments?.includes("UserItem")), JSON.stringify(skips));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("user collector (hostile Linux files): a uid far past lastlog's end, control characters and a FIFO for shadow", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "etc"));
    await Deno.mkdir(join(root, "var/log"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "etc/passwd"),
      "nobody:x:4294967294:4294967294:\x1b[31mred\x07:/nonexistent:/usr/sbin/nologin\n",
    );
    await Deno.writeFile(join(root, "var/log/lastlog"), new Uint8Array(292 * 2));
    new Deno.Command("mkfifo", { args: [join(root, "etc/shadow")] }).outputSync();
    const warnings: string[] = [];
    const items: ObservedItem[] = [];
    const collector = createUserCollector({ source: linuxUserSource({ root }) });
    for await (
      const item of collector.collect({ needs: new Map(), reporter: reporterFor(warnings) })
    ) {
      items.push(item);
    }
    strictEqual(items.length, 1);
    // Kept exactly as written: human output escapes it, NDJSON carries it as JSON.
    strictEqual(items[0]!.fields.fullname, "\x1b[31mred\x07");
    strictEqual(items[0]!.fields.LastLogin, undefined);
    ok(
      items[0]!.unevaluated?.disabled?.includes("etc/shadow not read"),
      items[0]!.unevaluated?.disabled,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("user decoders: seeded random bytes never throw", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let round = 0; round < 2000; round++) {
    const bytes = new Uint8Array(next() % 1200);
    for (let index = 0; index < bytes.length; index++) bytes[index] = next() & 0xff;
    decodeSamFixed(bytes);
    decodeSamVariable(bytes);
    machineSidOf(bytes);
    decodeLastlogEntry(bytes);
    latestLogins(bytes);
    const text = new TextDecoder().decode(bytes);
    parsePasswd(text);
    parseGroup(text);
    parseShadow(text);
  }
});

Deno.test("user collector (hostile SAM): a SAM without its Users key, or a second SAM that cannot be opened, leaves UserItem unread", async () => {
  const bin = (name: string, data: Uint8Array) => ({ name, type: ValueType.REG_BINARY, data });
  const folder = await Deno.makeTempDir();
  try {
    const empty = join(folder, "SAM");
    await Deno.writeFile(
      empty,
      buildHive({
        name: "ROOT",
        subkeys: [{
          name: "SAM",
          subkeys: [{
            name: "Domains",
            subkeys: [{ name: "Account", values: [bin("V", accountDomainV(fixtureMachineSid))] }],
          }],
        }],
      }).bytes,
    );
    await Deno.mkdir(join(folder, "other"));
    const broken = join(folder, "other", "SAM");
    await Deno.writeFile(broken, new Uint8Array(4096));
    for (const hives of [[empty], [empty, broken]]) {
      const warnings: string[] = [];
      const skips: SkippedObject[] = [];
      const collector = createUserCollector({ hives });
      for await (
        const _ of collector.collect({ needs: new Map(), reporter: reporterFor(warnings, skips) })
      ) {
        // no account can be read
      }
      ok(
        skips.some((skip) => skip.unreadDocuments?.includes("UserItem")),
        `${hives.join(", ")}: ${JSON.stringify({ warnings, skips })}`,
      );
      if (hives.length === 2) {
        ok(skips.some((skip) => skip.object === broken), JSON.stringify(skips));
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("user collector (hostile SAM): a V whose full name, comment, home or script entry points past the value leaves that fact unevaluated, not empty", async () => {
  const bin = (name: string, data: Uint8Array) => ({ name, type: ValueType.REG_BINARY, data });
  const account = { rid: 1001, name: "shady", flags: 0x10 };
  const lying = samVariable(account);
  // Entries 2, 3, 6 and 8 (full name, comment, home directory, script path): 12 bytes each.
  for (const entry of [2, 3, 6, 8]) {
    new DataView(lying.buffer).setUint32(entry * 12, 0x7fff_fff0, true);
    new DataView(lying.buffer).setUint32(entry * 12 + 4, 16, true);
  }
  const folder = await Deno.makeTempDir();
  try {
    const sam = join(folder, "SAM");
    await Deno.writeFile(
      sam,
      buildHive({
        name: "ROOT",
        subkeys: [{
          name: "SAM",
          subkeys: [{
            name: "Domains",
            subkeys: [{
              name: "Account",
              values: [bin("V", accountDomainV(fixtureMachineSid))],
              subkeys: [{
                name: "Users",
                subkeys: [{
                  name: "000003E9",
                  values: [bin("F", samFixed(account)), bin("V", lying)],
                }],
              }],
            }],
          }],
        }],
      }).bytes,
    );
    const items: ObservedItem[] = [];
    const collector = createUserCollector({ hives: [sam] });
    for await (const item of collector.collect({ needs: new Map(), reporter: reporterFor([]) })) {
      items.push(item);
    }
    deepStrictEqual(items.map((item) => item.fields.Username), ["shady"]);
    for (const field of ["fullname", "description", "homedirectory", "scriptpath"]) {
      strictEqual(items[0]!.fields[field], undefined, field);
      ok(
        (items[0]!.unevaluated as Record<string, string> | undefined)?.[field]?.includes("V"),
        `${field}: ${JSON.stringify(items[0]!.unevaluated)}`,
      );
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("user collector (mounted image): a SOFTWARE hive that cannot be opened leaves UserItem unread (the accounts known only from ProfileList are not listed)", async () => {
  const root = await Deno.makeTempDir();
  try {
    const config = join(root, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    await Deno.writeFile(join(config, "SAM"), buildSam());
    await Deno.writeFile(join(config, "SOFTWARE"), new Uint8Array(4096));
    const skips: SkippedObject[] = [];
    const items: ObservedItem[] = [];
    const collector = createUserCollector({ roots: [root] });
    for await (
      const item of collector.collect({ needs: new Map(), reporter: reporterFor([], skips) })
    ) {
      items.push(item);
    }
    ok(items.length > 0, "the SAM's accounts are read");
    ok(
      skips.some((skip) =>
        skip.object === join(config, "SOFTWARE") && skip.unreadDocuments?.includes("UserItem")
      ),
      JSON.stringify(skips),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("parsePasswd: lines glibc reads as accounts are accounts (a colon in the shell, home and shell left off), not left out", () => {
  // glibc's parser (nss_files) takes name, password, uid and gid, then gecos and home up to the
  // next colon, and the rest of the line as the shell: these are accounts getpwnam() returns.
  const passwd = parsePasswd("evil:x:0:0::/root:/bin/bash:extra\nshort:x:1001:1001\n");
  deepStrictEqual(passwd.entries.map((entry) => [entry.name, entry.uid, entry.home, entry.shell]), [
    ["evil", 0, "/root", "/bin/bash:extra"],
    ["short", 1001, "", ""],
  ]);
  strictEqual(passwd.malformed, 0);
});

Deno.test("user collector (Linux): without lastlog, a user with no login in the part of wtmp read (its last 64 MiB) has LastLogin unevaluated, not 'never'", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "etc"));
    await Deno.mkdir(join(root, "var/log"), { recursive: true });
    await Deno.writeTextFile(join(root, "etc/passwd"), "old:x:1000:1000::/home/old:/bin/sh\n");
    // A login of `old` at the start, then more than 64 MiB of other records (sparse: zeros).
    const wtmp = join(root, "var/log/wtmp");
    await Deno.writeFile(wtmp, utmpRecord(7, "old", 1_700_000_000));
    await Deno.truncate(wtmp, 384 * 180_000);
    const warnings: string[] = [];
    const items: ObservedItem[] = [];
    const collector = createUserCollector({ source: linuxUserSource({ root }) });
    for await (
      const item of collector.collect({ needs: new Map(), reporter: reporterFor(warnings) })
    ) {
      items.push(item);
    }
    strictEqual(items.length, 1);
    strictEqual(items[0]!.fields.LastLogin, undefined);
    ok(
      (items[0]!.unevaluated as Record<string, string> | undefined)?.LastLogin?.includes("wtmp"),
      JSON.stringify(items[0]!.unevaluated),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
