/**
 * The live-registry fallback: parsing the text that `reg query` prints, and
 * a {@linkcode RegistryMount} that runs it. Used when advapi32 cannot be
 * loaded through FFI; tested on Linux against recorded outputs.
 *
 * @module
 */
import { valueTypeNumber } from "../../formats/regf/mod.ts";
import type { DecodedValue } from "../../formats/regf/mod.ts";
import { splitRegistryPath } from "./hive_names.ts";
import type { RootName } from "./hive_names.ts";
import type {
  HiveRole,
  KeyVisit,
  RegistryMount,
  RegistryValueRecord,
  SourceWarning,
} from "./source.ts";

/** One key block of `reg query` output. */
export interface RegQueryKey {
  /** The full key path as printed (`HKEY_LOCAL_MACHINE\SOFTWARE\…`). */
  path: string;
  /** The key's values as printed. */
  values: RegistryValueRecord[];
}

const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z_]+|REG_0x[0-9A-Fa-f]+)(?: {4}(.*))?$/;

function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/[^0-9A-Fa-f]/g, "");
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Decodes the data column of a value line by its type name. */
export function decodeRegQueryData(type: number, data: string): DecodedValue {
  switch (type) {
    case 1:
    case 2:
    case 6:
      return data;
    case 7:
      return data === ""
        ? []
        : data.split("\\0").filter((s, i, all) => s !== "" || i < all.length - 1);
    case 4:
    case 5:
      return /^0x[0-9a-f]+$/i.test(data) ? Number(data) : hexBytes(data);
    case 11:
      return /^0x[0-9a-f]+$/i.test(data) ? BigInt(data) : hexBytes(data);
    default:
      return hexBytes(data);
  }
}

function reportedLength(type: number, decoded: DecodedValue): number {
  if (typeof decoded === "string") return (decoded.length + 1) * 2;
  if (Array.isArray(decoded)) return decoded.reduce((n, s) => n + (s.length + 1) * 2, 2);
  if (typeof decoded === "number") return 4;
  if (typeof decoded === "bigint") return 8;
  return type === 0 && decoded.length === 0 ? 0 : decoded.length;
}

/**
 * Parses `reg query KEY [/s]` output into key blocks, in output order.
 * `(Default)` becomes the empty value name; a default value shown as
 * `(value not set)` does not exist and is left out.
 *
 * @example
 * ```ts
 * import { parseRegQuery } from "./reg_query.ts";
 * const keys = parseRegQuery(
 *   "\r\nHKEY_CURRENT_USER\\Software\\Run\r\n    x    REG_SZ    c:\\x.exe\r\n",
 * );
 * // keys[0].values[0].decoded === "c:\\x.exe"
 * ```
 */
export function parseRegQuery(output: string): RegQueryKey[] {
  const keys: RegQueryKey[] = [];
  let current: RegQueryKey | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith("HKEY_")) {
      current = { path: line.trimEnd(), values: [] };
      keys.push(current);
      continue;
    }
    const match = VALUE_LINE.exec(line);
    if (!match || !current) continue;
    const rawName = match[1]!;
    const type = valueTypeNumber(match[2]!) ?? 0;
    const data = match[3] ?? "";
    const isDefault = rawName === "(Default)";
    if (isDefault && data === "(value not set)") continue;
    const decoded = decodeRegQueryData(type, data);
    current.values.push({
      name: isDefault ? "" : rawName,
      type,
      reportedLength: reportedLength(type, decoded),
      decoded,
    });
  }
  return keys;
}

/** Runs `reg` with arguments and returns its standard output, or undefined on failure. */
export type RegRunner = (args: string[]) => string | undefined;

/** The default runner: `reg.exe` through Deno.Command. */
export function systemRegRunner(args: string[]): string | undefined {
  try {
    const result = new Deno.Command("reg", { args, stdout: "piped", stderr: "null" }).outputSync();
    if (!result.success) return undefined;
    return new TextDecoder().decode(result.stdout);
  } catch {
    return undefined;
  }
}

/** One live hive read through `reg query`. */
export class RegQueryMount implements RegistryMount {
  /** The root the hive is mounted under. */
  readonly root: RootName;
  readonly mountPath: string;
  /** What the hive holds. */
  readonly role: HiveRole;
  readonly sid?: string;
  readonly #view: 64 | 32;
  readonly #run: RegRunner;
  #warnings: SourceWarning[] = [];

  /** Creates the mount; `run` is replaceable for tests. */
  constructor(
    root: RootName,
    mountPath: string,
    role: HiveRole,
    view: 64 | 32 = 64,
    run: RegRunner = systemRegRunner,
  ) {
    this.root = root;
    this.mountPath = mountPath;
    this.role = role;
    this.#view = view;
    this.#run = run;
    if (root === "HKEY_USERS" && /^S-1-/i.test(mountPath)) {
      this.sid = mountPath.replace(/_Classes$/i, "");
    }
  }

  #keyName(path: readonly string[]): string {
    return [this.root, this.mountPath, ...path].filter((s) => s !== "").join("\\");
  }

  #query(path: readonly string[], extra: string[]): RegQueryKey[] | undefined {
    const output = this.#run(["query", this.#keyName(path), ...extra, `/reg:${this.#view}`]);
    return output === undefined ? undefined : parseRegQuery(output);
  }

  /** Segments below the mount of a printed key path. */
  #segments(printed: string): string[] {
    const { segments } = splitRegistryPath(printed);
    return segments.slice(this.mountPath === "" ? 0 : 1);
  }

  walk(path: readonly string[], recursive: boolean): Iterable<KeyVisit> | undefined {
    const blocks = this.#query(path, recursive ? ["/s"] : []);
    if (!blocks || blocks.length === 0) return undefined;
    const wanted = path.join("\\").toUpperCase();
    const entries = blocks.map((block) => {
      const segments = this.#segments(block.path);
      return { block, segments, id: segments.join("\\").toUpperCase() };
    });
    const children = new Map<string, number>();
    for (const entry of entries) {
      const parent = entry.segments.slice(0, -1).join("\\").toUpperCase();
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
    const visit = (segments: string[], values: RegistryValueRecord[]): KeyVisit => ({
      key: {
        name: segments.at(-1) ?? this.mountPath,
        numSubKeys: children.get(segments.join("\\").toUpperCase()) ?? 0,
        numValues: values.length,
      },
      path: segments.join("\\"),
      values: () => values,
    });
    const self = entries.find((e) => e.id === wanted);
    const visits: KeyVisit[] = [visit(self?.segments ?? [...path], self?.block.values ?? [])];
    if (recursive) {
      for (const entry of entries) {
        if (entry !== self && entry.id.startsWith(wanted === "" ? "" : wanted + "\\")) {
          visits.push(visit(entry.segments, entry.block.values));
        }
      }
    }
    return visits;
  }

  readValue(path: readonly string[], name: string): RegistryValueRecord | undefined {
    const blocks = this.#query(path, name === "" ? ["/ve"] : ["/v", name]);
    return blocks?.[0]?.values.find((v) => v.name.toUpperCase() === name.toUpperCase());
  }

  subkeyNames(path: readonly string[]): string[] | undefined {
    const blocks = this.#query(path, []);
    if (!blocks) return undefined;
    return blocks
      .map((b) => this.#segments(b.path))
      .filter((segments) => segments.length === path.length + 1)
      .map((segments) => segments.at(-1)!);
  }

  takeWarnings(): SourceWarning[] {
    const out = this.#warnings;
    this.#warnings = [];
    return out;
  }
}

/** The live hives through `reg query` (empty when `reg` cannot run). */
export function regQueryMounts(view: 64 | 32, run: RegRunner = systemRegRunner): RegistryMount[] {
  const mounts: RegistryMount[] = [];
  for (const name of ["SYSTEM", "SOFTWARE"] as const) {
    mounts.push(new RegQueryMount("HKEY_LOCAL_MACHINE", name, name, view, run));
  }
  const users = new RegQueryMount("HKEY_USERS", "", "OTHER", view, run);
  const sids = users.subkeyNames([]);
  if (sids === undefined) return [];
  for (const sid of sids) {
    const role: HiveRole = /_Classes$/i.test(sid)
      ? "USRCLASS"
      : sid === ".DEFAULT"
      ? "DEFAULT"
      : "NTUSER";
    mounts.push(new RegQueryMount("HKEY_USERS", sid, role, view, run));
  }
  return mounts;
}
