import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { hasAuditAces, hasLabel, isSddlSid, maxSddlAces, maxSddlChars, parseSddl } from "./sddl.ts";
import { wellKnownSid } from "./layouts/security.ts";

function parsed(text: string) {
  const result = parseSddl(text);
  ok(result.ok, `${text}: ${result.ok ? "" : result.error}`);
  return result.value;
}

function refused(text: string, why: RegExp) {
  const result = parseSddl(text);
  ok(!result.ok, `${text.slice(0, 80)} was accepted`);
  ok(why.test(result.error), `${result.error} does not match ${why}`);
}

Deno.test("parseSddl reads owner, group, DACL flags and ACEs (the docs' example)", () => {
  deepStrictEqual(parsed("O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)"), {
    owner: "BA",
    group: "SY",
    dacl: {
      flags: ["P", "AI"],
      aces: [
        { type: "A", flags: [], rights: "FA", objectGuid: "", inheritObjectGuid: "", sid: "SY" },
        { type: "A", flags: [], rights: "FA", objectGuid: "", inheritObjectGuid: "", sid: "BA" },
      ],
    },
  });
});

Deno.test("parseSddl reads Microsoft's directory-object example with object ACEs and a SACL", () => {
  // "Security Descriptor String Format" (learn.microsoft.com), the example string.
  const text = "O:AOG:DAD:(A;;RPWPCCDCLCSWRCWDWOGA;;;S-1-0-0)";
  deepStrictEqual(parsed(text).dacl?.aces[0]?.sid, "S-1-0-0");
  const full = "O:DAG:DAD:(A;;RPWPCCDCLCRCWOWDSDSW;;;SY)(A;;RPWPCCDCLCRCWOWDSDSW;;;DA)" +
    "(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)" +
    "(OA;;CCDC;bf967a9c-0de6-11d0-a285-00aa003049e2;;AO)" +
    "(OA;;CCDC;6da8a4ff-0e52-11d0-a286-00aa003049e2;;AO)" +
    "(OA;;CCDC;bf967aa8-0de6-11d0-a285-00aa003049e2;;PO)(A;;RPLCRC;;;AU)" +
    "S:(AU;SAFA;WDWOSDWPCCDCSW;;;WD)";
  const value = parsed(full);
  strictEqual(value.dacl?.aces.length, 7);
  strictEqual(value.dacl?.aces[2]?.objectGuid, "bf967aba-0de6-11d0-a285-00aa003049e2");
  deepStrictEqual(value.sacl?.aces[0]?.flags, ["SA", "FA"]);
  ok(hasAuditAces(value));
});

Deno.test("parseSddl reads a system file's descriptor: TrustedInstaller, hex rights, package SIDs", () => {
  const ti = wellKnownSid.trustedInstaller;
  const text = `O:${ti}G:${ti}D:PAI(A;;FA;;;${ti})(A;;0x1200a9;;;BA)(A;;0x1200a9;;;SY)` +
    "(A;;0x1200a9;;;BU)(A;;0x1200a9;;;S-1-15-2-1)(A;;0x1200a9;;;S-1-15-2-2)";
  const value = parsed(text);
  strictEqual(value.owner, ti);
  strictEqual(value.group, ti);
  deepStrictEqual(value.dacl?.aces.map((ace) => ace.rights), [
    "FA",
    "0x1200a9",
    "0x1200a9",
    "0x1200a9",
    "0x1200a9",
    "0x1200a9",
  ]);
  strictEqual(hasAuditAces(value), false);
});

Deno.test("parseSddl reads inheritance flags, a label-only SACL and a null DACL", () => {
  const value = parsed(
    "O:S-1-5-21-1004336348-1177238915-682003330-1001G:S-1-5-21-1004336348-1177238915-682003330-513" +
      "D:AI(A;ID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)S:(ML;;NW;;;LW)",
  );
  deepStrictEqual(value.dacl?.aces.map((ace) => ace.flags), [
    ["ID"],
    ["OI", "CI", "ID"],
    ["OI", "CI", "IO", "ID"],
  ]);
  deepStrictEqual(value.sacl?.aces[0]?.type, "ML");
  strictEqual(hasAuditAces(value), false, "a mandatory label is not an audit ACE");
  strictEqual(hasLabel(value), true);
  strictEqual(hasLabel(parsed("O:SYD:(A;;FA;;;SY)S:(AU;SA;FA;;;WD)")), false);
  deepStrictEqual(parsed("D:NO_ACCESS_CONTROL").dacl, { flags: ["NO_ACCESS_CONTROL"], aces: [] });
  deepStrictEqual(parsed("D:P").dacl, { flags: ["P"], aces: [] });
});

Deno.test("parseSddl keeps a conditional ACE's condition and a resource attribute (docs' examples)", () => {
  const condition =
    '(@User.Title=="PM" && (@User.Division=="Finance" || @User.Division ==" Sales"))';
  const value = parsed(`D:(XA;;FX;;;S-1-1-0;${condition})`);
  strictEqual(value.dacl?.aces[0]?.extra, condition);
  const attribute = parsed('S:(RA;CI;;;;S-1-1-0;("Project",TS,0,"Windows","SQL"))');
  deepStrictEqual(attribute.sacl?.aces[0], {
    type: "RA",
    flags: ["CI"],
    rights: "",
    objectGuid: "",
    inheritObjectGuid: "",
    sid: "S-1-1-0",
    extra: '("Project",TS,0,"Windows","SQL")',
  });
  ok(hasAuditAces(attribute));
  refused("D:(A;;;;;SY)", /access rights ""/);
});

Deno.test("parseSddl refuses what ConvertStringSecurityDescriptorToSecurityDescriptorW would not take", () => {
  refused("O:XXG:SY", /owner "XX"/);
  refused("D:(A;;FA;;;SY", /closing parenthesis/);
  refused("D:(AU;;FA;;;SY)", /AU ACE in the DACL/);
  refused("S:(A;;FA;;;SY)", /A ACE in the SACL/);
  refused("O:SYO:BA", /O: section twice/);
  refused("D:(A;;ZZ;;;SY)", /access rights "ZZ"/);
  refused("D:(A;;0x1FFFFFFFF;;;SY)", /access rights/);
  refused("D:(A;QQ;FA;;;SY)", /ACE flag "QQ"/);
  refused("D:(OA;;CC;not-a-guid;;SY)", /object GUID/);
  refused("D:(A;;FA;;;S-1-5-21-4294967296)", /account SID/);
  refused("D:(A;;FA;;)", /fields/);
  refused("D:(A;;FA;;;SY;(x))", /seventh field on a A ACE/);
  refused("D:PX(A;;FA;;;SY)", /ACL flags/);
  refused("D:NO_ACCESS_CONTROL(A;;FA;;;SY)", /null ACL/);
  refused("X:BA", /where O:, G:, D: or S: should start/);
  refused("", /empty/);
  refused("O:BA\nG:SY", /control character/);
  refused(`D:${"x".repeat(maxSddlChars)}`, /characters/);
  refused(`D:${"(A;;FA;;;SY)".repeat(maxSddlAces + 1)}`, /more than 4096 ACEs/);
});

Deno.test("isSddlSid takes aliases and SID strings in range, nothing else", () => {
  ok(isSddlSid("SY"));
  ok(isSddlSid("S-1-5-18"));
  ok(isSddlSid(wellKnownSid.trustedInstaller));
  ok(isSddlSid("S-1-0x000000000005-18"));
  ok(!isSddlSid("S-1-281474976710656-1"), "an authority of 2^48");
  ok(!isSddlSid("S-2-5-18"));
  ok(!isSddlSid("sy"));
  ok(!isSddlSid(`S-1-5${"-1".repeat(16)}`), "16 sub-authorities");
});

Deno.test("parseSddl never throws on damaged strings, and stays fast on long ones", () => {
  const seeds = [
    "O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)",
    'D:(XA;;FX;;;S-1-1-0;(@User.Title=="PM" && (@User.Division=="Finance")))',
    'S:(RA;CI;;;;S-1-1-0;("Project",TS,0,"Windows","SQL"))(ML;;NW;;;LW)',
  ];
  const alphabet = 'OGDS:();"-0123456789ABCDEFxPAINO_';
  let state = 0x1234_5678;
  const next = (below: number) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % below;
  };
  for (let i = 0; i < 3000; i++) {
    const chars = [...seeds[i % seeds.length]!];
    for (let edits = 1 + next(4); edits > 0; edits--) {
      const at = next(chars.length + 1);
      const kind = next(3);
      if (kind === 0) chars.splice(at, 1);
      else if (kind === 1) chars.splice(at, 0, alphabet[next(alphabet.length)]!);
      else chars[at] = alphabet[next(alphabet.length)]!;
    }
    const result = parseSddl(chars.join(""));
    ok(result.ok || typeof result.error === "string");
  }
  const started = performance.now();
  parseSddl(`D:${"(".repeat(100_000)}`);
  parseSddl(`D:(XA;;FX;;;WD;${"(".repeat(50_000)}${")".repeat(50_000)})`);
  parseSddl(`O:${"S-1-5".repeat(40_000)}`);
  ok(performance.now() - started < 2_000, "bounded work on long input");
});
