/**
 * A parser and validator of SDDL, the Security Descriptor Definition
 * Language (`O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)`): owner `O:`, group
 * `G:`, DACL `D:` and SACL `S:` with their flags and ACEs, each ACE's type,
 * flags, rights, object GUIDs, account SID and (conditional and resource
 * attribute ACEs) its seventh field. Pure and bounded: the quarantine checks
 * a stored SDDL with it before it hands it to
 * `ConvertStringSecurityDescriptorToSecurityDescriptorW`, and learns from it
 * which privileges re-applying it needs. The grammar follows Microsoft's
 * "Security Descriptor String Format" and "ACE Strings" pages.
 *
 * @module
 */

/** The longest SDDL read (a 64 KiB ACL written out stays well below it). */
export const maxSddlChars = 256 * 1024;

/** The most ACEs one ACL may hold (a 64 KiB ACL holds about 2,700 of the smallest). */
export const maxSddlAces = 4096;

/** The flags of an ACL (`D:PAI`): protected, auto-inherit required, auto-inherited, null ACL. */
const aclFlags = ["NO_ACCESS_CONTROL", "P", "AR", "AI"] as const;

/** ACE types, and which ACL each belongs in. */
export const aceTypes: ReadonlyMap<string, "dacl" | "sacl"> = new Map([
  ["A", "dacl"],
  ["D", "dacl"],
  ["OA", "dacl"],
  ["OD", "dacl"],
  ["XA", "dacl"],
  ["XD", "dacl"],
  ["ZA", "dacl"],
  ["AU", "sacl"],
  ["AL", "sacl"],
  ["OU", "sacl"],
  ["OL", "sacl"],
  ["XU", "sacl"],
  ["ML", "sacl"],
  ["RA", "sacl"],
  ["SP", "sacl"],
  ["TL", "sacl"],
]);

/** ACE types whose seventh field is a condition or a resource attribute. */
const typesWithExtra: ReadonlySet<string> = new Set(["XA", "XD", "ZA", "XU", "RA"]);

/** The ACE types of a SACL that are not audit ACEs (no SeSecurityPrivilege to read or write). */
const labelTypes: ReadonlySet<string> = new Set(["ML"]);

/** ACE flags (two letters each). */
const aceFlags: ReadonlySet<string> = new Set([
  "CI",
  "OI",
  "NP",
  "IO",
  "ID",
  "SA",
  "FA",
  "TP",
  "CR",
]);

/** Access rights spelt as two letters. */
const rightNames: ReadonlySet<string> = new Set([
  "GA",
  "GR",
  "GW",
  "GX",
  "RC",
  "SD",
  "WD",
  "WO",
  "RP",
  "WP",
  "CC",
  "DC",
  "LC",
  "SW",
  "LO",
  "DT",
  "CR",
  "FA",
  "FR",
  "FW",
  "FX",
  "KA",
  "KR",
  "KW",
  "KX",
  "NR",
  "NW",
  "NX",
]);

/** The two-letter SID aliases (`SY`, `BA`, …). */
export const sidAliases: ReadonlySet<string> = new Set([
  "AA",
  "AC",
  "AN",
  "AO",
  "AP",
  "AS",
  "AU",
  "BA",
  "BG",
  "BO",
  "BU",
  "CA",
  "CD",
  "CG",
  "CN",
  "CO",
  "CY",
  "DA",
  "DC",
  "DD",
  "DG",
  "DU",
  "EA",
  "ED",
  "EK",
  "ER",
  "ES",
  "HA",
  "HI",
  "HO",
  "IS",
  "IU",
  "KA",
  "LA",
  "LG",
  "LS",
  "LU",
  "LW",
  "ME",
  "MP",
  "MS",
  "MU",
  "NO",
  "NS",
  "NU",
  "OW",
  "PA",
  "PO",
  "PS",
  "PU",
  "RA",
  "RC",
  "RD",
  "RE",
  "RM",
  "RO",
  "RS",
  "RU",
  "SA",
  "SI",
  "SO",
  "SS",
  "SU",
  "SY",
  "UD",
  "WD",
  "WR",
]);

/** One ACE. */
export interface SddlAce {
  readonly type: string;
  readonly flags: readonly string[];
  /** As written: two-letter names concatenated, or a number (`0x1200a9`). */
  readonly rights: string;
  readonly objectGuid: string;
  readonly inheritObjectGuid: string;
  /** An alias (`SY`) or a SID string (`S-1-5-18`). */
  readonly sid: string;
  /** A conditional ACE's condition or a resource attribute, as written. */
  readonly extra?: string;
}

/** One ACL: its flags and ACEs. */
export interface SddlAcl {
  readonly flags: readonly string[];
  readonly aces: readonly SddlAce[];
}

/** A parsed security descriptor string. */
export interface ParsedSddl {
  readonly owner?: string;
  readonly group?: string;
  readonly dacl?: SddlAcl;
  readonly sacl?: SddlAcl;
}

/** The outcome of {@linkcode parseSddl}. */
export type SddlResult =
  | { readonly ok: true; readonly value: ParsedSddl }
  | { readonly ok: false; readonly error: string };

const sidPattern = /^S-1-(?:[0-9]{1,15}|0[xX][0-9A-Fa-f]{12})(?:-[0-9]{1,10}){0,15}$/;
const guidPattern = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** Whether `text` is a SID string (`S-1-5-18`) whose parts are in range, or a SID alias. */
export function isSddlSid(text: string): boolean {
  if (sidAliases.has(text)) return true;
  if (!sidPattern.test(text)) return false;
  const parts = text.split("-");
  if (BigInt(parts[2]!) >= 1n << 48n) return false;
  return parts.slice(3).every((part) => BigInt(part) <= 0xffff_ffffn);
}

function validRights(rights: string): boolean {
  if (/^0[xX][0-9A-Fa-f]{1,8}$/.test(rights) || /^[0-9]{1,10}$/.test(rights)) {
    return BigInt(rights) <= 0xffff_ffffn;
  }
  if (rights === "" || rights.length % 2 !== 0) return false;
  for (let at = 0; at < rights.length; at += 2) {
    if (!rightNames.has(rights.slice(at, at + 2))) return false;
  }
  return true;
}

/** The index just past the `)` closing the `(` at `start`, quotes and nesting followed; -1 if none. */
function closingParen(text: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let at = start; at < text.length; at++) {
    const c = text[at];
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) return at + 1;
    }
  }
  return -1;
}

/** Splits an ACE's inside on `;` outside quotes and parentheses (the seventh field may hold both). */
function aceFields(inside: string): string[] {
  const fields: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let at = 0; at < inside.length; at++) {
    const c = inside[at];
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === ";" && depth === 0 && fields.length < 6) {
      fields.push(inside.slice(start, at));
      start = at + 1;
    }
  }
  fields.push(inside.slice(start));
  return fields;
}

function parseAce(inside: string, acl: "dacl" | "sacl"): SddlAce | string {
  const fields = aceFields(inside);
  if (fields.length < 6) return `an ACE with ${fields.length} fields (6 or 7)`;
  const [type, flags, rights, objectGuid, inheritObjectGuid, sid, extra] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const kind = aceTypes.get(type);
  if (kind === undefined) return `an unknown ACE type "${type}"`;
  if (kind !== acl) return `a ${type} ACE in the ${acl === "dacl" ? "DACL" : "SACL"}`;
  if (flags.length % 2 !== 0) return `ACE flags "${flags}"`;
  const flagList: string[] = [];
  for (let at = 0; at < flags.length; at += 2) {
    const flag = flags.slice(at, at + 2);
    if (!aceFlags.has(flag)) return `an unknown ACE flag "${flag}"`;
    flagList.push(flag);
  }
  // A resource attribute ACE grants nothing: its rights may be empty.
  if (!(type === "RA" && rights === "") && !validRights(rights)) {
    return `access rights "${rights}"`;
  }
  for (const guid of [objectGuid, inheritObjectGuid]) {
    if (guid !== "" && !guidPattern.test(guid)) return `an object GUID "${guid}"`;
  }
  if (!isSddlSid(sid)) return `an account SID "${sid}"`;
  if (extra !== undefined && !typesWithExtra.has(type)) {
    return `a seventh field on a ${type} ACE`;
  }
  if (extra !== undefined && !/^\(.*\)$/s.test(extra)) return `a seventh field "${extra}"`;
  return {
    type,
    flags: flagList,
    rights,
    objectGuid,
    inheritObjectGuid,
    sid,
    ...(extra !== undefined ? { extra } : {}),
  };
}

/** The sections' letters. */
const sectionLetters = ["O", "G", "D", "S"] as const;

/** Where the next section starts at or after `from` (`G:`, `D:`, `S:` …), or the end. */
function sectionEnd(text: string, from: number): number {
  for (let at = from; at < text.length - 1; at++) {
    if (text[at + 1] !== ":") continue;
    if ((sectionLetters as readonly string[]).includes(text[at]!)) return at;
  }
  return text.length;
}

function parseAcl(text: string, acl: "dacl" | "sacl"): SddlAcl | string {
  const flags: string[] = [];
  let at = 0;
  while (at < text.length && text[at] !== "(") {
    const flag = aclFlags.find((candidate) => text.startsWith(candidate, at));
    if (flag === undefined) return `ACL flags "${text.slice(at, text.indexOf("(", at) >>> 0)}"`;
    if (flags.includes(flag)) return `the ACL flag ${flag} twice`;
    flags.push(flag);
    at += flag.length;
  }
  const aces: SddlAce[] = [];
  while (at < text.length) {
    if (text[at] !== "(") return `"${text.slice(at, at + 16)}" where an ACE should start`;
    const end = closingParen(text, at);
    if (end < 0) return "an ACE without its closing parenthesis";
    if (aces.length >= maxSddlAces) return `more than ${maxSddlAces} ACEs`;
    const ace = parseAce(text.slice(at + 1, end - 1), acl);
    if (typeof ace === "string") return `${ace} (ACE ${aces.length + 1})`;
    aces.push(ace);
    at = end;
  }
  if (flags.includes("NO_ACCESS_CONTROL") && aces.length > 0) {
    return "NO_ACCESS_CONTROL (a null ACL) with ACEs";
  }
  return { flags, aces };
}

/**
 * Parses and checks an SDDL string. Bounded: at most {@linkcode maxSddlChars}
 * characters and {@linkcode maxSddlAces} ACEs per ACL; never throws.
 *
 * @example
 * ```ts
 * import { parseSddl } from "./sddl.ts";
 * const parsed = parseSddl("O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)");
 * // { ok: true, value: { owner: "BA", group: "SY", dacl: { flags: ["P", "AI"], aces: [...] } } }
 * ```
 */
export function parseSddl(text: string): SddlResult {
  const fail = (error: string): SddlResult => ({ ok: false, error });
  if (text.length > maxSddlChars) {
    return fail(`${text.length} characters (${maxSddlChars} at most)`);
  }
  if (text === "") return fail("an empty security descriptor string");
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return fail("a control character");
  const out: { owner?: string; group?: string; dacl?: SddlAcl; sacl?: SddlAcl } = {};
  const seen = new Set<string>();
  let at = 0;
  while (at < text.length) {
    const letter = text[at]!;
    if (text[at + 1] !== ":" || !(sectionLetters as readonly string[]).includes(letter)) {
      return fail(`"${text.slice(at, at + 16)}" at ${at} where O:, G:, D: or S: should start`);
    }
    if (seen.has(letter)) return fail(`the ${letter}: section twice`);
    seen.add(letter);
    const start = at + 2;
    if (letter === "O" || letter === "G") {
      // A SID string holds "S-", never "S:"; an alias is two letters.
      const end = sectionEnd(text, start);
      const sid = text.slice(start, end);
      if (!isSddlSid(sid)) return fail(`the ${letter === "O" ? "owner" : "group"} "${sid}"`);
      if (letter === "O") out.owner = sid;
      else out.group = sid;
      at = end;
      continue;
    }
    // An ACL runs to the next section letter outside parentheses.
    let end = start;
    while (end < text.length) {
      if (text[end] === "(") {
        const close = closingParen(text, end);
        if (close < 0) return fail("an ACE without its closing parenthesis");
        end = close;
        continue;
      }
      if (
        text[end + 1] === ":" && (sectionLetters as readonly string[]).includes(text[end]!)
      ) break;
      end++;
    }
    const acl = parseAcl(text.slice(start, end), letter === "D" ? "dacl" : "sacl");
    if (typeof acl === "string") return fail(`${letter === "D" ? "DACL" : "SACL"}: ${acl}`);
    if (letter === "D") out.dacl = acl;
    else out.sacl = acl;
    at = end;
  }
  return { ok: true, value: out };
}

/** Whether the SACL holds a mandatory integrity label (`ML`): `LABEL_SECURITY_INFORMATION` sets it. */
export function hasLabel(sddl: ParsedSddl): boolean {
  return (sddl.sacl?.aces ?? []).some((ace) => labelTypes.has(ace.type));
}

/** Whether the SACL holds audit ACEs (not only a mandatory label): SeSecurityPrivilege to write. */
export function hasAuditAces(sddl: ParsedSddl): boolean {
  return (sddl.sacl?.aces ?? []).some((ace) => !labelTypes.has(ace.type));
}
