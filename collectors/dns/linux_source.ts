/**
 * The Linux resolver cache: systemd-resolved's, through `resolvectl
 * show-cache` (systemd 254 and later), read as JSON (`--json=short`) or,
 * when this resolvectl has no JSON output, as text. No resolver call is
 * made: `show-cache` dumps what resolved already holds and sends nothing on
 * the wire.
 *
 * There is no universal Linux DNS cache: without resolvectl, without
 * `show-cache` (systemd before 254) or without a running systemd-resolved,
 * the source is unavailable as a whole (`dns-cache:systemd-resolved`), so a
 * scan that needs DnsEntryItem is incomplete, never clean. nscd, dnsmasq and
 * unbound caches are not read.
 *
 * resolvectl gives neither the remaining TTL nor flags: `TimeToLive` and
 * `Flags` are unevaluated on these objects; `DataLength` is read from the
 * record's wire form when the JSON carries it, else unevaluated too.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";
import type { TableRead, TableSource } from "../net_table/mod.ts";
import { dnsTypeName } from "../../windows/layouts/dns_cache_records.ts";
import { formatIpv6 } from "../../windows/layouts/ip_helper_rows.ts";
import { dnsName, type DnsRecord } from "./dns_record.ts";

/** The source as skips name it. */
export const linuxDnsSourceObject = "dns-cache:systemd-resolved";
/** The most bytes `resolvectl show-cache` may print (resolved keeps at most 4096 entries by default). */
export const resolvectlOutputCap = 32 * 1024 * 1024;
/** How long it may take. */
export const resolvectlTimeoutMs = 10_000;

/** Why TTL and flags are unevaluated on these objects. */
const noTtl = "resolvectl show-cache does not give the remaining TTL";
const noFlags = "resolvectl show-cache does not give cache flags";
const noLength = "resolvectl show-cache gave no wire form of the record";

/** Cached negative answers as resolvectl writes them in place of data. */
const negativeWords = new Set(["NXDOMAIN", "NODATA", "SERVFAIL", "REFUSED", "RCODE"]);

/** systemd-resolved's cache through resolvectl. */
export function linuxDnsSource(
  options: { readonly runner?: CommandRunner } = {},
): TableSource<DnsRecord> {
  return {
    name: "resolvectl show-cache",
    read: (signal) => readResolvedCache({ ...options, ...(signal ? { signal } : {}) }),
  };
}

async function readResolvedCache(
  options: { readonly runner?: CommandRunner; readonly signal?: AbortSignal },
): Promise<TableRead<DnsRecord>> {
  const limits = {
    maxBytes: resolvectlOutputCap,
    timeoutMs: resolvectlTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.runner ? { runner: options.runner } : {}),
  };
  const json = await readCommandOutput("resolvectl", ["--json=short", "show-cache"], limits);
  const parsed = json.ok ? parseResolvedJson(json.text) : undefined;
  if (parsed?.ok) return parsed;
  if (!json.ok && json.missing) {
    return unavailable(
      "resolvectl is not installed (systemd-resolved's cache cannot be read; " +
        "nscd, dnsmasq and unbound caches are not read)",
    );
  }
  // No JSON output in this resolvectl, or JSON of a shape iocscan does not know: the text form.
  const text = await readCommandOutput("resolvectl", ["show-cache"], limits);
  if (text.ok) {
    const { records: rows, unrecognized } = readResolvedText(text.text);
    const notRead = unrecognized.length === 0 ? undefined : `resolvectl show-cache printed ` +
      `${unrecognized.length} line(s) iocscan does not read, the first: ` +
      JSON.stringify(unrecognized[0]!.slice(0, maxQuotedLine));
    // Nothing read but lines iocscan does not know: a format it cannot read, never an empty cache.
    if (notRead !== undefined && rows.length === 0) return unavailable(notRead);
    const warnings = parsed === undefined
      ? []
      : [{ code: "dns-cache-json-unknown", message: `${parsed.detail}; read its text` }];
    return {
      ok: true,
      rows,
      ...(warnings.length > 0 ? { warnings } : {}),
      // A line not read may be the record an IOC names: the rest of the cache is unread.
      ...(notRead === undefined
        ? {}
        : { unread: [{ object: linuxDnsSourceObject, detail: notRead }] }),
    };
  }
  const jsonFailure = json.ok ? (parsed?.ok === false ? parsed.detail : "") : json.reason;
  const said = `${jsonFailure}; ${text.reason}`;
  if (/unknown (command )?verb|unknown operation/i.test(text.reason)) {
    return unavailable(`this resolvectl has no show-cache (systemd 254 or later): ${said}`);
  }
  return unavailable(`systemd-resolved's cache could not be read: ${said}`);
}

function unavailable(detail: string): TableRead<DnsRecord> {
  return { ok: false, object: linuxDnsSourceObject, detail };
}

/**
 * Parses `resolvectl show-cache` text: a `Scope …` line per scope, then one
 * record per line in presentation form, `name IN TYPE data`
 * (`example.com IN A 93.184.216.34`, `x.test IN ANY NXDOMAIN`).
 */
export function parseResolvedText(text: string): DnsRecord[] {
  return readResolvedText(text).records;
}

/** How much of a line resolvectl printed that iocscan cannot read is quoted in the skip. */
const maxQuotedLine = 120;
/** SGR colour sequences (`SYSTEMD_COLORS` may force them even into a pipe). */
// deno-lint-ignore no-control-regex
const colourSequence = /\x1b\[[0-9;]*m/g;
/** What resolvectl prints for a scope with nothing cached. */
const noEntries = "No entries.";

/**
 * {@linkcode parseResolvedText}, with the lines it could not read (neither
 * a scope header, nor systemd's `No entries.`, nor a record): the caller
 * never takes text it does not know for an empty cache.
 */
export function readResolvedText(text: string): { records: DnsRecord[]; unrecognized: string[] } {
  const records: DnsRecord[] = [];
  const unrecognized: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(colourSequence, "").trim();
    if (line === "" || line === noEntries) continue;
    const words = line.split(/\s+/);
    if (words[0] === "Scope") continue;
    if (words.length < 3 || words[1] !== "IN") {
      unrecognized.push(line);
      continue;
    }
    const name = dnsName(words[0]!);
    const type = words[2]!;
    const data = words.slice(3).join(" ");
    records.push(recordOf(name, type, data, undefined));
  }
  return { records, unrecognized };
}

function recordOf(
  name: string,
  type: string,
  data: string,
  dataLength: number | undefined,
): DnsRecord {
  const upper = type.toUpperCase();
  const negative = negativeWords.has(data.toUpperCase()) ? data.toUpperCase() : undefined;
  const common = {
    host: name,
    recordName: name,
    recordType: upper,
    unread: {
      TimeToLive: noTtl,
      Flags: noFlags,
      ...(dataLength === undefined ? { DataLength: noLength } : {}),
    },
    ...(dataLength === undefined ? {} : { dataLength }),
  };
  if (negative) return { ...common, negative, data: {} };
  if (data === "") return { ...common, data: {} };
  if (upper === "A") return { ...common, data: { ipv4Address: data } };
  if (upper === "AAAA") return { ...common, data: { ipv6Address: data.toLowerCase() } };
  if (["CNAME", "PTR", "NS", "DNAME"].includes(upper)) {
    return { ...common, data: { host: dnsName(data) } };
  }
  // MX `10 mail.example.com`, SRV `0 5 443 target`: the host is the last word.
  if (upper === "MX" || upper === "SRV") {
    return { ...common, data: { host: dnsName(data.split(" ").at(-1)!) } };
  }
  return { ...common, data: { strings: [data] } };
}

/**
 * Parses `resolvectl --json=short show-cache`: an array of scopes, each
 * with a `cache` array of items `{ key: { name, type }, rrs: [{ rr, raw }] }`
 * (a negative item has a `type` such as `NXDOMAIN` instead of `rrs`). A
 * record's data comes from `rr` (`address` as bytes, `name` for CNAME,
 * PTR, NS) and its length from the wire form in `raw` (Base64).
 */
export function parseResolvedJson(text: string): TableRead<DnsRecord> {
  let parsed: unknown;
  try {
    parsed = text.trim() === "" ? [] : JSON.parse(text);
  } catch (error) {
    return unavailable(
      `resolvectl --json=short show-cache printed no JSON: ${(error as Error).message}`,
    );
  }
  const scopes = Array.isArray(parsed) ? parsed : [parsed];
  const records: DnsRecord[] = [];
  // A shape iocscan does not know is no cache read: never an empty cache, so never clean.
  const unknown = (what: string): TableRead<DnsRecord> =>
    unavailable(`resolvectl --json=short show-cache printed JSON of an unknown shape (${what})`);
  for (const scope of scopes) {
    const cache = objectOf(scope)?.cache;
    if (!Array.isArray(cache)) return unknown("a scope without a cache list");
    for (const item of cache) {
      const entry = objectOf(item);
      const key = objectOf(entry?.key);
      const name = typeof key?.name === "string" ? dnsName(key.name) : undefined;
      if (entry === undefined || key === undefined || name === undefined) {
        return unknown("a cache entry without a key name");
      }
      const keyType = typeText(key.type);
      const rrs = Array.isArray(entry.rrs) ? entry.rrs : undefined;
      if (rrs === undefined) {
        const negative = typeof entry.type === "string" ? entry.type : "NXDOMAIN";
        records.push(recordOf(name, keyType, negative.toUpperCase(), undefined));
        continue;
      }
      for (const rrEntry of rrs) {
        const holder = objectOf(rrEntry);
        const rr = objectOf(holder?.rr);
        const rrKey = objectOf(rr?.key);
        const rrName = typeof rrKey?.name === "string" ? dnsName(rrKey.name) : name;
        const rrType = rrKey?.type === undefined ? keyType : typeText(rrKey.type);
        const wire = typeof holder?.raw === "string" ? rdataOfRaw(holder.raw) : undefined;
        const data = rr ? dataOfJsonRr(rr) : "";
        const record = recordOf(rrName, rrType, data, wire?.length);
        records.push({
          ...record,
          host: name,
          // Data iocscan cannot read from the JSON is unknown on the record, not absent.
          ...(data === ""
            ? {
              unread: {
                ...record.unread,
                RecordData: "resolvectl's JSON gave no data iocscan reads",
              },
            }
            : {}),
        });
      }
    }
  }
  return { ok: true, rows: records };
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function typeText(type: unknown): string {
  if (typeof type === "number") return dnsTypeName(type);
  return typeof type === "string" ? type.toUpperCase() : "";
}

/** The data of an `rr` object in presentation form. */
function dataOfJsonRr(rr: Record<string, unknown>): string {
  const address = rr.address;
  if (Array.isArray(address) && address.every((byte) => typeof byte === "number")) {
    const bytes = address as number[];
    if (bytes.length === 4) return bytes.join(".");
    if (bytes.length === 16) {
      const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
      return formatIpv6(groups);
    }
  }
  if (typeof address === "string") return address;
  for (const field of ["name", "exchange", "target"]) {
    if (typeof rr[field] === "string") return rr[field] as string;
  }
  if (Array.isArray(rr.items)) return rr.items.filter((s) => typeof s === "string").join(" ");
  return "";
}

/** The RDATA of a resource record in wire form (owner name, type, class, TTL, length, data). */
export function rdataOfRaw(raw: string): Uint8Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(raw), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
  // The owner name: labels up to the root (a dump is never compressed; a pointer ends it).
  let at = 0;
  for (let labels = 0; at < bytes.length && labels < 128; labels++) {
    const length = bytes[at]!;
    if (length === 0) {
      at += 1;
      break;
    }
    if ((length & 0xc0) === 0xc0) {
      at += 2;
      break;
    }
    at += 1 + length;
  }
  // TYPE (2), CLASS (2), TTL (4), RDLENGTH (2).
  if (at + 10 > bytes.length) return undefined;
  const length = (bytes[at + 8]! << 8) | bytes[at + 9]!;
  const start = at + 10;
  return start + length > bytes.length ? undefined : bytes.subarray(start, start + length);
}
