/**
 * The live registry on Windows through advapi32 (Deno FFI): a thin layer of
 * RegOpenKeyExW, RegQueryInfoKeyW, RegEnumKeyExW and RegEnumValueW behind
 * {@linkcode RegistryMount}, with the 64- or 32-bit view. It cannot run on
 * Linux; everything above it is tested through hive files, and the
 * `reg query` fallback (reg_query.ts) is tested on recorded output.
 *
 * @module
 */
import type { RootName } from "./hive_names.ts";
import { regQueryMounts } from "./reg_query.ts";
import type {
  HiveRole,
  KeyVisit,
  RegistryKeyRecord,
  RegistryMount,
  RegistryValueRecord,
  SourceWarning,
} from "./source.ts";

const KEY_READ = 0x20019;
const KEY_WOW64_64KEY = 0x0100;
const KEY_WOW64_32KEY = 0x0200;
const ERROR_SUCCESS = 0;
const ERROR_NO_MORE_ITEMS = 259;
const ERROR_MORE_DATA = 234;
const MAX_DEPTH = 512;

const symbols = {
  RegOpenKeyExW: { parameters: ["pointer", "buffer", "u32", "u32", "buffer"], result: "i32" },
  RegCloseKey: { parameters: ["pointer"], result: "i32" },
  RegQueryInfoKeyW: {
    parameters: [
      "pointer",
      "pointer",
      "pointer",
      "pointer",
      "buffer",
      "buffer",
      "pointer",
      "buffer",
      "buffer",
      "buffer",
      "pointer",
      "buffer",
    ],
    result: "i32",
  },
  RegEnumKeyExW: {
    parameters: ["pointer", "u32", "buffer", "buffer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  RegEnumValueW: {
    parameters: ["pointer", "u32", "buffer", "buffer", "pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
} as const;

type Advapi = Deno.DynamicLibrary<typeof symbols>["symbols"];

/** Predefined root handles (sign-extended, as in winreg.h on 64-bit). */
const rootHandles: Record<RootName, bigint> = {
  HKEY_LOCAL_MACHINE: 0xffffffff80000002n,
  HKEY_USERS: 0xffffffff80000003n,
};

function wide(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[i * 2] = code & 0xff;
    out[i * 2 + 1] = code >> 8;
  }
  return out;
}

function readWide(buffer: Uint8Array, chars: number): string {
  let text = "";
  for (let i = 0; i < chars; i++) {
    text += String.fromCharCode(buffer[i * 2]! | (buffer[i * 2 + 1]! << 8));
  }
  return text;
}

/** An open key handle with its facts. */
interface OpenKey {
  handle: Deno.PointerValue;
  info: RegistryKeyRecord;
  maxSubKeyChars: number;
  maxValueNameChars: number;
  maxValueBytes: number;
}

/** A live hive under HKLM or HKU, read through advapi32. */
class LiveMount implements RegistryMount {
  readonly root: RootName;
  readonly mountPath: string;
  readonly role: HiveRole;
  readonly sid?: string;
  readonly #api: Advapi;
  readonly #sam: number;
  #warnings: SourceWarning[] = [];

  constructor(api: Advapi, root: RootName, mountPath: string, role: HiveRole, view: 64 | 32) {
    this.#api = api;
    this.root = root;
    this.mountPath = mountPath;
    this.role = role;
    if (root === "HKEY_USERS" && /^S-1-/i.test(mountPath)) {
      this.sid = mountPath.replace(/_Classes$/i, "");
    }
    this.#sam = KEY_READ | (view === 64 ? KEY_WOW64_64KEY : KEY_WOW64_32KEY);
  }

  #open(path: readonly string[]): OpenKey | undefined {
    const out = new Uint8Array(8);
    const full = [this.mountPath, ...path].join("\\");
    const rc = this.#api.RegOpenKeyExW(
      Deno.UnsafePointer.create(rootHandles[this.root]),
      wide(full),
      0,
      this.#sam,
      out,
    );
    if (rc !== ERROR_SUCCESS) {
      if (rc !== 2) {
        this.#warnings.push({
          code: "live-open",
          message: `cannot open ${this.root}\\${full}: error ${rc}`,
        });
      }
      return undefined;
    }
    const handle = Deno.UnsafePointer.create(new BigUint64Array(out.buffer)[0]!);
    const u32 = () => new Uint8Array(4);
    const [subKeys, maxSub, values, maxName, maxData, time] = [
      u32(),
      u32(),
      u32(),
      u32(),
      u32(),
      new Uint8Array(8),
    ];
    const info = this.#api.RegQueryInfoKeyW(
      handle,
      null,
      null,
      null,
      subKeys,
      maxSub,
      null,
      values,
      maxName,
      maxData,
      null,
      time,
    );
    const read = (b: Uint8Array) => new DataView(b.buffer).getUint32(0, true);
    const ticks = new DataView(time.buffer).getUint32(4, true) * 4294967296 +
      new DataView(time.buffer).getUint32(0, true);
    const record: RegistryKeyRecord = {
      name: path.length > 0 ? path[path.length - 1]! : this.mountPath,
      numSubKeys: info === ERROR_SUCCESS ? read(subKeys) : 0,
      numValues: info === ERROR_SUCCESS ? read(values) : 0,
    };
    if (info === ERROR_SUCCESS && ticks > 0) {
      record.modified = new Date(ticks / 10000 - 11644473600000);
    }
    return {
      handle,
      info: record,
      maxSubKeyChars: read(maxSub) + 1,
      maxValueNameChars: read(maxName) + 1,
      maxValueBytes: Math.max(read(maxData), 16),
    };
  }

  #subkeys(key: OpenKey): string[] {
    const names: string[] = [];
    const buffer = new Uint8Array(Math.max(key.maxSubKeyChars, 256) * 2);
    const length = new Uint8Array(4);
    for (let index = 0; index < 1_000_000; index++) {
      new DataView(length.buffer).setUint32(0, buffer.length / 2, true);
      const rc = this.#api.RegEnumKeyExW(key.handle, index, buffer, length, null, null, null, null);
      if (rc === ERROR_NO_MORE_ITEMS) break;
      if (rc !== ERROR_SUCCESS) break;
      names.push(readWide(buffer, new DataView(length.buffer).getUint32(0, true)));
    }
    return names;
  }

  #values(key: OpenKey): RegistryValueRecord[] {
    const out: RegistryValueRecord[] = [];
    let nameBuffer = new Uint8Array(Math.max(key.maxValueNameChars, 256) * 2);
    let dataBuffer = new Uint8Array(key.maxValueBytes);
    const nameLength = new Uint8Array(4);
    const type = new Uint8Array(4);
    const dataLength = new Uint8Array(4);
    const view = (b: Uint8Array) => new DataView(b.buffer);
    for (let index = 0; index < 1_000_000; index++) {
      view(nameLength).setUint32(0, nameBuffer.length / 2, true);
      view(dataLength).setUint32(0, dataBuffer.length, true);
      const rc = this.#api.RegEnumValueW(
        key.handle,
        index,
        nameBuffer,
        nameLength,
        null,
        type,
        dataBuffer,
        dataLength,
      );
      if (rc === ERROR_NO_MORE_ITEMS) break;
      if (rc === ERROR_MORE_DATA) {
        // A value grew while we read: retry this index with bigger buffers.
        nameBuffer = new Uint8Array(nameBuffer.length * 2);
        dataBuffer = new Uint8Array(
          Math.max(dataBuffer.length * 2, view(dataLength).getUint32(0, true)),
        );
        if (dataBuffer.length > 64 * 1024 * 1024) break;
        index--;
        continue;
      }
      if (rc !== ERROR_SUCCESS) break;
      const size = view(dataLength).getUint32(0, true);
      out.push({
        name: readWide(nameBuffer, view(nameLength).getUint32(0, true)),
        type: view(type).getUint32(0, true),
        reportedLength: size,
        data: dataBuffer.slice(0, size),
      });
    }
    return out;
  }

  walk(path: readonly string[], recursive: boolean): Iterable<KeyVisit> | undefined {
    const start = this.#open(path);
    if (!start) return undefined;
    this.#api.RegCloseKey(start.handle);
    return this.#visits(path, recursive);
  }

  *#visits(start: readonly string[], recursive: boolean): Generator<KeyVisit> {
    const stack: string[][] = [[...start]];
    while (stack.length > 0) {
      const path = stack.pop()!;
      const key = this.#open(path);
      if (!key) continue;
      try {
        const values = this.#values(key);
        const subkeys = recursive && path.length - start.length < MAX_DEPTH
          ? this.#subkeys(key)
          : [];
        yield { key: key.info, path: path.join("\\"), values: () => values };
        for (let i = subkeys.length - 1; i >= 0; i--) {
          // SYSTEM\CurrentControlSet is a link to a ControlSet00N that the walk reaches anyway.
          if (
            this.role === "SYSTEM" && path.length === 0 && /^CurrentControlSet$/i.test(subkeys[i]!)
          ) continue;
          stack.push([...path, subkeys[i]!]);
        }
      } finally {
        this.#api.RegCloseKey(key.handle);
      }
    }
  }

  readValue(path: readonly string[], name: string): RegistryValueRecord | undefined {
    const key = this.#open(path);
    if (!key) return undefined;
    try {
      return this.#values(key).find((v) => v.name.toUpperCase() === name.toUpperCase());
    } finally {
      this.#api.RegCloseKey(key.handle);
    }
  }

  subkeyNames(path: readonly string[]): string[] | undefined {
    const key = this.#open(path);
    if (!key) return undefined;
    try {
      return this.#subkeys(key);
    } finally {
      this.#api.RegCloseKey(key.handle);
    }
  }

  takeWarnings(): SourceWarning[] {
    const out = this.#warnings;
    this.#warnings = [];
    return out;
  }
}

function machineRole(name: string): HiveRole {
  const upper = name.toUpperCase();
  return upper === "SYSTEM" || upper === "SOFTWARE" || upper === "SAM" || upper === "SECURITY"
    ? upper
    : "OTHER";
}

/**
 * The live hives (HKLM\SYSTEM, SOFTWARE, SAM, SECURITY and every loaded
 * HKU\<SID>, HKU\<SID>_Classes) through advapi32; when FFI is unavailable,
 * through `reg query`. Returns a reason string when neither works (not on
 * Windows).
 */
export function liveMounts(view: 64 | 32): RegistryMount[] | string {
  if (Deno.build.os !== "windows") return "the live registry exists only on Windows";
  let api: Advapi;
  try {
    api = Deno.dlopen("advapi32.dll", symbols).symbols;
  } catch (error) {
    const fallback = regQueryMounts(view);
    if (fallback.length > 0) return fallback;
    return `advapi32 unavailable (${error instanceof Error ? error.message : String(error)})`;
  }
  const mounts: RegistryMount[] = [];
  for (const name of ["SYSTEM", "SOFTWARE", "SAM", "SECURITY"]) {
    mounts.push(new LiveMount(api, "HKEY_LOCAL_MACHINE", name, machineRole(name), view));
  }
  const users = new LiveMount(api, "HKEY_USERS", "", "OTHER", view);
  for (const sid of users.subkeyNames([]) ?? []) {
    const role: HiveRole = /_Classes$/i.test(sid)
      ? "USRCLASS"
      : sid === ".DEFAULT"
      ? "DEFAULT"
      : "NTUSER";
    mounts.push(new LiveMount(api, "HKEY_USERS", sid, role, view));
  }
  return mounts;
}
