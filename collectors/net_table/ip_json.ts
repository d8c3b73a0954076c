/**
 * `ip -j …` (iproute2's JSON output) read bounded: a byte cap and a
 * deadline (collectors/live), then parsed as the array of objects it prints.
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../live/mod.ts";

/** The most bytes one `ip -j` call may print (a full BGP table is ~100 MiB: capped below). */
export const ipOutputCap = 64 * 1024 * 1024;
/** How long one `ip -j` call may take. */
export const ipTimeoutMs = 10_000;

/** One object of `ip -j` output, as printed (fields vary by kind). */
export type IpJsonObject = Readonly<Record<string, unknown>>;

/** The objects printed, or why there are none. */
export type IpJsonRead =
  | {
    readonly ok: true;
    readonly objects: readonly IpJsonObject[];
    /** Entries of the array that were no object (a number, a string, null): not read. */
    readonly notObjects: number;
  }
  | { readonly ok: false; readonly detail: string };

/** Runs `ip -j <args…>` and parses its output. */
export async function readIpJson(
  args: readonly string[],
  options: { readonly signal?: AbortSignal; readonly runner?: CommandRunner } = {},
): Promise<IpJsonRead> {
  const output = await readCommandOutput("ip", ["-j", ...args], {
    maxBytes: ipOutputCap,
    timeoutMs: ipTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.runner ? { runner: options.runner } : {}),
  });
  if (!output.ok) {
    return {
      ok: false,
      detail: output.missing ? `ip (iproute2) is not installed: ${output.reason}` : output.reason,
    };
  }
  return parseIpJson(output.text, `ip -j ${args.join(" ")}`);
}

/** Parses `ip -j` output: an array of objects (an empty table may print nothing at all). */
export function parseIpJson(text: string, described: string): IpJsonRead {
  if (text.trim() === "") return { ok: true, objects: [], notObjects: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `${described} printed no JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(parsed)) return { ok: false, detail: `${described} printed no JSON array` };
  const objects = parsed.filter((entry): entry is IpJsonObject =>
    entry !== null && typeof entry === "object" && !Array.isArray(entry)
  );
  return { ok: true, objects, notObjects: parsed.length - objects.length };
}

/** A string field of an `ip -j` object, or undefined. */
export function stringField(object: IpJsonObject, name: string): string | undefined {
  const value = object[name];
  return typeof value === "string" ? value : undefined;
}

/** A number field of an `ip -j` object, or undefined. */
export function numberField(object: IpJsonObject, name: string): number | undefined {
  const value = object[name];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A list of strings (`state: ["REACHABLE"]`, `flags: ["onlink"]`), empty when absent. */
export function stringsField(object: IpJsonObject, name: string): string[] {
  const value = object[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The link type of each interface (`ip -j link show`: `link_type`, e.g.
 * `ether`, `loopback`, `none`), by name.
 */
export async function readLinkTypes(
  options: { readonly signal?: AbortSignal; readonly runner?: CommandRunner } = {},
): Promise<Map<string, string> | string> {
  const read = await readIpJson(["link", "show"], options);
  if (!read.ok) return read.detail;
  const types = new Map<string, string>();
  for (const link of read.objects) {
    const name = stringField(link, "ifname");
    const type = stringField(link, "link_type");
    if (name !== undefined && type !== undefined) types.set(name, type);
  }
  return types;
}
