import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { corpusDir } from "../../tests/corpus.ts";
import { FakeMemory } from "../../windows/layouts/_dns_cache_memory.ts";
import {
  decodeLocalGroupNames,
  decodeSid,
  decodeUserInfo3Array,
  UserInfo3,
  UserInfo4,
  userSidPointer,
} from "../../windows/layouts/net_user.ts";
import type { Collector } from "../collector.ts";
import {
  buildLinuxRoot,
  buildSam,
  buildSoftwareWithProfiles,
  fixtureDomainUserSid,
  fixtureMachineSid,
  fixtureNow,
  lastlogSlot,
  utmpRecord,
} from "./_user_fixtures.ts";
import { createUserCollector } from "./collector.ts";
import { parsePasswd, parseShadow, passwordState } from "./etc_files.ts";
import { linuxUserSource } from "./linux_source.ts";
import { decodeLastlogEntry, latestLogins } from "./login_records.ts";
import { decodeSamFixed, decodeSamVariable, machineSidOf } from "./sam_records.ts";
import { accountOfUserInfo } from "./windows_source.ts";
import { mergeProfiles, profileListOf } from "./profile_list.ts";
import type { RegistryMount } from "../registry/mod.ts";

const observation = { time: "2026-12-01T00:00:00.000Z", computer: "host1" };

interface Report {
  skips: { object: string; reason: string; unreadDocuments?: readonly string[] }[];
  warnings: { code: string; message: string }[];
}

async function collect(collector: Collector): Promise<{ items: ObservedItem[] } & Report> {
  const items: ObservedItem[] = [];
  const skips: Report["skips"] = [];
  const warnings: Report["warnings"] = [];
  const reporter = {
    skipped: (skip: Report["skips"][number]) => skips.push(skip),
    warning: (warning: Report["warnings"][number]) => warnings.push(warning),
    progress() {},
  };
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skips, warnings };
}

Deno.test("parsePasswd, parseShadow: entries, and lines that are not entries counted", () => {
  const passwd = parsePasswd(
    "a:x:1:2:Full,Room:/h:/s\n+@nis::::::\nno\nb:x:9999999999999:1::/:/\n",
  );
  strictEqual(passwd.entries.length, 1);
  strictEqual(passwd.malformed, 3);
  deepStrictEqual(passwd.entries[0], {
    name: "a",
    uid: 1,
    gid: 2,
    fullName: "Full",
    gecosRest: "Room",
    home: "/h",
    shell: "/s",
  });
  const shadow = parseShadow("a:!$6$x:20000:0:99999:7:::\nb:*::::::\nc:only\n");
  deepStrictEqual(shadow.entries, [
    { name: "a", password: "!$6$x", lastChange: 20000 },
    { name: "b", password: "*" },
  ]);
  strictEqual(shadow.malformed, 1);
});

Deno.test("passwordState: locked hash, no password login, no password at all", () => {
  deepStrictEqual(passwordState("!$6$salt$hash"), {
    locked: true,
    noPasswordLogin: true,
    passwordRequired: true,
  });
  deepStrictEqual(passwordState("*"), {
    locked: false,
    noPasswordLogin: true,
    passwordRequired: true,
  });
  deepStrictEqual(passwordState("!"), {
    locked: false,
    noPasswordLogin: true,
    passwordRequired: true,
  });
  deepStrictEqual(passwordState("$y$j9T$s$h"), {
    locked: false,
    noPasswordLogin: false,
    passwordRequired: true,
  });
  deepStrictEqual(passwordState(""), {
    locked: false,
    noPasswordLogin: false,
    passwordRequired: false,
  });
});

Deno.test("decodeLastlogEntry and latestLogins: struct lastlog and utmp built by code", () => {
  deepStrictEqual(decodeLastlogEntry(lastlogSlot(1_700_000_000, "tty1", "evil.example")), {
    time: 1_700_000_000,
    line: "tty1",
    host: "evil.example",
  });
  strictEqual(decodeLastlogEntry(new Uint8Array(291)), undefined);
  const records = [utmpRecord(7, "bob", 100), utmpRecord(7, "bob", 300), utmpRecord(8, "eve", 500)];
  const bytes = new Uint8Array(384 * 3 + 100);
  records.forEach((record, index) => bytes.set(record, index * 384));
  deepStrictEqual([...latestLogins(bytes)], [["bob", 300]]);
});

Deno.test("user collector (Linux files): accounts with groups, shadow state and last logins", async () => {
  const root = await buildLinuxRoot();
  try {
    const { items, skips, warnings } = await collect(
      createUserCollector({
        source: linuxUserSource({ root, now: () => fixtureNow }),
        observe: () => observation,
      }),
    );
    deepStrictEqual(skips, []);
    deepStrictEqual(warnings.map((w) => w.code), ["user-malformed-line"]);
    deepStrictEqual(items.map((item) => item.key), [
      "root (0)",
      "alice (1000)",
      "bob (1001)",
      "svc (998)",
      "carol (1002)",
    ]);
    const [, alice, bob, svc, carol] = items;
    deepStrictEqual(alice!.fields, {
      Username: "alice",
      SecurityID: "1000",
      fullname: "Alice Liddell",
      description: "Room 1,555-1",
      homedirectory: "/home/alice",
      LastLogin: "2026-11-20T08:00:00.000Z",
      disabled: false,
      lockedout: true,
      passwordrequired: true,
      userpasswordage: 10 * 86400,
      grouplist: { groupname: ["alice", "sudo"] },
    });
    deepStrictEqual(alice!.unevaluated, {
      SecurityType: "a Linux account has a uid, not a SID with a type",
      scriptpath: "Linux accounts have no logon script",
    });
    deepStrictEqual(alice!.provenance, observation);
    // bob: no lastlog slot, so the latest wtmp login (a logout record is not one).
    strictEqual(bob!.fields.LastLogin, "2026-11-28T10:00:00.000Z");
    strictEqual(bob!.fields.passwordrequired, false);
    deepStrictEqual(bob!.fields.grouplist, { groupname: ["bob", "sudo", "docker"] });
    strictEqual(svc!.fields.disabled, true);
    strictEqual(svc!.fields.lockedout, false);
    strictEqual(svc!.fields.LastLogin, undefined);
    // carol: expired on 2026-06-01, and must change her password (lastchg 0).
    strictEqual(carol!.fields.disabled, true);
    strictEqual(carol!.fields.userpasswordage, undefined);
    strictEqual(
      carol!.unevaluated?.userpasswordage,
      "the password must be changed at next login (lastchg 0)",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("user collector (Linux files): without /etc/shadow the shadow facts are unevaluated, not false", async () => {
  const root = await buildLinuxRoot({ shadow: false });
  try {
    const { items } = await collect(
      createUserCollector({ source: linuxUserSource({ root }), observe: () => observation }),
    );
    const alice = items[1]!;
    strictEqual(alice.fields.disabled, undefined);
    for (const field of ["disabled", "lockedout", "passwordrequired", "userpasswordage"]) {
      ok(alice.unevaluated?.[field]?.includes("etc/shadow not read"), field);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("user collector: an unreadable /etc/passwd is a source-unavailable skip naming UserItem", async () => {
  const root = await Deno.makeTempDir();
  try {
    const { items, skips } = await collect(
      createUserCollector({ source: linuxUserSource({ root }), observe: () => observation }),
    );
    deepStrictEqual(items, []);
    strictEqual(skips.length, 1);
    strictEqual(skips[0]!.reason, "source-unavailable");
    deepStrictEqual(skips[0]!.unreadDocuments, ["UserItem"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("user collector: past the cap a warning names it and the document counts as unread", async () => {
  const root = await buildLinuxRoot();
  try {
    const { items, skips, warnings } = await collect(
      createUserCollector({
        source: linuxUserSource({ root }),
        observe: () => observation,
        maxObjects: 2,
      }),
    );
    strictEqual(items.length, 2);
    ok(warnings.some((w) => w.code === "object-cap"));
    deepStrictEqual(skips.map((s) => s.unreadDocuments), [["UserItem"]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("user collector (SAM hive built by code): F and V values, machine SID, ProfileList", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const sam = join(folder, "SAM");
    const software = join(folder, "SOFTWARE");
    await Deno.writeFile(sam, buildSam());
    await Deno.writeFile(software, buildSoftwareWithProfiles());
    const { items, skips } = await collect(
      createUserCollector({ hives: [sam, software], observe: () => observation }),
    );
    deepStrictEqual(skips, []);
    deepStrictEqual(items.map((item) => item.key), [
      `Administrator (${fixtureMachineSid}-500)`,
      `evil_admin (${fixtureMachineSid}-1001)`,
      `dom_user (${fixtureDomainUserSid})`,
    ]);
    deepStrictEqual(items[2]!.fields, {
      Username: "dom_user",
      SecurityID: fixtureDomainUserSid,
      SecurityType: "SidTypeUser",
      homedirectory: "C:\\Users\\dom_user",
    });
    ok(items[2]!.unevaluated?.LastLogin?.includes("known only from ProfileList"));
    deepStrictEqual(items[0]!.fields, {
      Username: "Administrator",
      SecurityID: `${fixtureMachineSid}-500`,
      SecurityType: "SidTypeUser",
      fullname: "",
      description: "Built-in account for administering the computer/domain",
      homedirectory: "",
      scriptpath: "",
      LastLogin: "2026-11-02T03:04:05.000Z",
      disabled: true,
      passwordrequired: true,
    });
    deepStrictEqual(items[1]!.fields, {
      Username: "evil_admin",
      SecurityID: `${fixtureMachineSid}-1001`,
      SecurityType: "SidTypeUser",
      fullname: "Evil Admin",
      description: "",
      homedirectory: "C:\\Users\\evil_admin",
      scriptpath: "logon.bat",
      disabled: false,
      passwordrequired: false,
    });
    strictEqual(items[1]!.provenance?.source, sam);
    ok(items[1]!.unevaluated?.lockedout);
    ok(items[1]!.unevaluated?.userpasswordage);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("user collector: a scan of evidence without a SAM hive is a skip naming UserItem", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const software = join(folder, "SOFTWARE");
    await Deno.writeFile(software, buildSoftwareWithProfiles());
    const { items, skips } = await collect(
      createUserCollector({ hives: [software], observe: () => observation }),
    );
    deepStrictEqual(items, []);
    deepStrictEqual(skips.map((s) => [s.reason, s.unreadDocuments]), [[
      "source-unavailable",
      ["UserItem"],
    ]]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

function reglookupLines(hive: string, path: string): string[] {
  const output = new Deno.Command("reglookup", { args: ["-p", path, "-t", "KEY", hive] })
    .outputSync();
  ok(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).split("\n").slice(1).filter((l) => l !== "");
}

Deno.test("user collector (corpus SAM): as many accounts as reglookup lists RID keys, names as Names lists", async () => {
  const dir = corpusDir("registry");
  if (dir === undefined) return;
  const sam = join(dir, "dfwinreg", "SAM");
  const users = "/SAM/Domains/Account/Users";
  const ridKeys = reglookupLines(sam, users).map((line) => line.split(",")[0]!)
    .filter((path) => /\/[0-9A-F]{8}$/i.test(path));
  const names = reglookupLines(sam, `${users}/Names`).map((line) => line.split(",")[0]!)
    .filter((path) => path !== `${users}/Names`).map((path) => path.split("/").pop()!);
  const { items, warnings } = await collect(
    createUserCollector({ hives: [sam], observe: () => observation }),
  );
  deepStrictEqual(warnings, []);
  strictEqual(items.length, ridKeys.length);
  ok(items.length >= 3, `${items.length} accounts`);
  deepStrictEqual(
    items.map((item) => item.fields.Username as string).sort(),
    names.sort(),
  );
  const admin = items.find((item) => item.fields.Username === "Administrator")!;
  strictEqual(admin.fields.SecurityID, "S-1-5-21-4070822719-3404542230-2541167049-500");
  strictEqual(admin.fields.disabled, true);
  const gold = items.find((item) => item.fields.Username === "gold_administrator")!;
  strictEqual(gold.fields.disabled, false);
  ok(typeof gold.fields.LastLogin === "string");
});

Deno.test("decodeSamFixed, decodeSamVariable, machineSidOf: short or out-of-range values are refused", () => {
  strictEqual(decodeSamFixed(new Uint8Array(0x4f)), undefined);
  strictEqual(decodeSamVariable(new Uint8Array(0xcb)), undefined);
  const v = new Uint8Array(0xcc);
  new DataView(v.buffer).setUint32(12, 0x1000, true);
  new DataView(v.buffer).setUint32(16, 8, true);
  strictEqual(decodeSamVariable(v), undefined);
  strictEqual(machineSidOf(new Uint8Array(10)), undefined);
});

Deno.test("Windows users: USER_INFO_3, USER_INFO_4's SID and local groups decoded from native memory built by code", () => {
  const memory = new FakeMemory();
  const info = new Uint8Array(2 * UserInfo3.size);
  const view = new DataView(info.buffer);
  const put = (index: number, offset: number, value: bigint) =>
    view.setBigUint64(index * UserInfo3.size + offset, value, true);
  put(0, UserInfo3.name, memory.wide("Administrator"));
  put(0, UserInfo3.comment, memory.wide("Built-in account"));
  put(0, UserInfo3.fullName, memory.wide(""));
  put(0, UserInfo3.homeDir, 0n);
  put(0, UserInfo3.scriptPath, 0n);
  put(0, UserInfo3.profile, memory.wide("C:\\Users\\Administrator"));
  view.setUint32(UserInfo3.passwordAge, 86400, true);
  view.setUint32(UserInfo3.flags, 0x0002 | 0x0010, true);
  view.setUint32(UserInfo3.lastLogon, Date.parse("2026-11-02T03:04:05Z") / 1000, true);
  view.setUint32(UserInfo3.userId, 500, true);
  put(1, UserInfo3.name, memory.wide("helpdesk"));
  view.setUint32(UserInfo3.size + UserInfo3.flags, 0x0020, true);
  const records = decodeUserInfo3Array(memory, memory.place(info), 2);
  strictEqual(records.length, 2);
  strictEqual(records[0]!.rid, 500);

  const sid = new Uint8Array(8 + 4 * 5);
  sid.set([1, 5, 0, 0, 0, 0, 0, 5]);
  const sidView = new DataView(sid.buffer);
  [21, 111, 222, 333, 500].forEach((sub, index) => sidView.setUint32(8 + 4 * index, sub, true));
  const info4 = new Uint8Array(UserInfo4.size);
  new DataView(info4.buffer).setBigUint64(UserInfo4.userSid, memory.place(sid), true);
  const sidText = decodeSid(memory, userSidPointer(memory, memory.place(info4))!);
  strictEqual(sidText, "S-1-5-21-111-222-333-500");

  const groups = new Uint8Array(16);
  new DataView(groups.buffer).setBigUint64(0, memory.wide("Administrators"), true);
  new DataView(groups.buffer).setBigUint64(8, memory.wide("Users"), true);
  const names = decodeLocalGroupNames(memory, memory.place(groups), 2);

  const account = accountOfUserInfo(records[0]!, sidText, names);
  deepStrictEqual(account, {
    username: "Administrator",
    securityId: "S-1-5-21-111-222-333-500",
    securityType: "SidTypeUser",
    fullName: "",
    description: "Built-in account",
    homeDirectory: "C:\\Users\\Administrator",
    scriptPath: "",
    lastLogin: "2026-11-02T03:04:05.000Z",
    disabled: true,
    lockedOut: true,
    passwordRequired: true,
    passwordAgeSeconds: 86400,
    groups: ["Administrators", "Users"],
    missing: {},
  });
  const helpdesk = accountOfUserInfo(
    records[1]!,
    undefined,
    "NetUserGetLocalGroups failed with error 5",
  );
  strictEqual(helpdesk.passwordRequired, false);
  deepStrictEqual(helpdesk.missing, {
    SecurityID: "NetUserGetInfo gave no SID",
    "grouplist/groupname": "NetUserGetLocalGroups failed with error 5",
  });
});

Deno.test("profileListOf and mergeProfiles: the live registry's ProfileList adds domain accounts that logged on", () => {
  const profiles: Record<string, string> = {
    "S-1-5-21-1-2-3-500": "C:\\Users\\Administrator",
    "S-1-5-21-9-8-7-1105": "C:\\Users\\dom_user",
    "S-1-5-19": "C:\\Windows\\ServiceProfiles\\LocalService",
  };
  const mount: RegistryMount = {
    root: "HKEY_LOCAL_MACHINE",
    mountPath: "SOFTWARE",
    role: "SOFTWARE",
    walk: () => undefined,
    subkeyNames: (path) => path.length === 4 ? Object.keys(profiles) : undefined,
    readValue: (path, name) =>
      name === "ProfileImagePath" && profiles[path[4]!] !== undefined
        ? { name, type: 2, reportedLength: 0, decoded: profiles[path[4]!]! }
        : undefined,
    takeWarnings: () => [],
  };
  const paths = profileListOf(mount);
  deepStrictEqual([...paths.keys()], ["S-1-5-21-1-2-3-500", "S-1-5-21-9-8-7-1105"]);
  const merged = mergeProfiles(
    [{
      username: "Administrator",
      securityId: "S-1-5-21-1-2-3-500",
      homeDirectory: "",
      missing: {},
    }],
    paths,
    "NetUserEnum",
  );
  deepStrictEqual(merged.map((account) => [account.username, account.homeDirectory]), [
    ["Administrator", "C:\\Users\\Administrator"],
    ["dom_user", "C:\\Users\\dom_user"],
  ]);
  ok(merged[1]!.missing.disabled?.includes("NetUserEnum does not describe it"));
});
