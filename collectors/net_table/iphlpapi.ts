/**
 * The IP Helper calls the Windows neighbour and route sources make, over
 * FFI: `GetIpNetTable2`, `GetIpForwardTable2` (both copied out of the
 * table the system allocates, then freed with `FreeMibTable`) and
 * `ConvertInterfaceLuidToAlias`. The bytes are decoded by
 * windows/layouts/ip_helper_rows.ts, which is tested on bytes built by code.
 *
 * **Not yet run on Windows**: this file was written against the documented
 * signatures and the x64 layouts in windows/layouts/ip_helper.ts, and is
 * only type-checked here; the collectors fall back on CIM when it fails.
 *
 * @module
 */
import { AddressFamily, errorNotFound, MibTable2 } from "../../windows/layouts/ip_helper.ts";
import type { TableRows, TableSource } from "./table_source.ts";

const symbols = {
  GetIpNetTable2: { parameters: ["u16", "buffer"], result: "u32" },
  GetIpForwardTable2: { parameters: ["u16", "buffer"], result: "u32" },
  FreeMibTable: { parameters: ["pointer"], result: "void" },
  ConvertInterfaceLuidToAlias: { parameters: ["buffer", "buffer", "usize"], result: "u32" },
} as const;

/** `NDIS_IF_MAX_STRING_SIZE + 1`: the longest alias, in UTF-16 units. */
const aliasChars = 257;

let library: Deno.DynamicLibrary<typeof symbols>["symbols"] | undefined;

function iphlpapi(): Deno.DynamicLibrary<typeof symbols>["symbols"] {
  library ??= Deno.dlopen("iphlpapi.dll", symbols).symbols;
  return library;
}

/** The table a `Get…Table2` call gives, as bytes, or the Win32 error code. */
export type MibTableBytes = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };

/** Which table to read. */
export type MibTableKind = "GetIpNetTable2" | "GetIpForwardTable2";

/** The most rows copied out of one IP Helper table (a full BGP table is ~1M routes). */
export const maxMibRows = 2_000_000;

/** Reads one whole table (both address families) and frees it, at most `maxMibRows` rows. */
export function readMibTable2(kind: MibTableKind, rowSize: number): MibTableBytes {
  let api;
  try {
    api = iphlpapi();
  } catch (error) {
    return { ok: false, detail: `iphlpapi.dll could not be loaded: ${(error as Error).message}` };
  }
  const out = new BigUint64Array(1);
  const status = api[kind](AddressFamily.unspec, out);
  if (status === errorNotFound) return { ok: true, bytes: new Uint8Array(MibTable2.rows) };
  if (status !== 0) return { ok: false, detail: `${kind} failed with Win32 error ${status}` };
  const table = Deno.UnsafePointer.create(out[0]!);
  if (table === null) return { ok: false, detail: `${kind} returned no table` };
  try {
    const count = new Deno.UnsafePointerView(table).getUint32(MibTable2.numEntries);
    // Bounded: past the cap the rows are not copied, and the decoder counts them as missing
    // (NumEntries promises more than the bytes hold), so the table is read only in part.
    const size = MibTable2.rows + Math.min(count, maxMibRows) * rowSize;
    return {
      ok: true,
      bytes: new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(table, size)).slice(),
    };
  } finally {
    api.FreeMibTable(table);
  }
}

/** The alias of an interface (`Ethernet 2`), or undefined when Windows does not give one. */
export function interfaceAlias(luid: bigint): string | undefined {
  try {
    const buffer = new Uint16Array(aliasChars);
    const status = iphlpapi().ConvertInterfaceLuidToAlias(
      new BigUint64Array([luid]),
      buffer,
      BigInt(aliasChars),
    );
    if (status !== 0) return undefined;
    const end = buffer.indexOf(0);
    return String.fromCharCode(...buffer.subarray(0, end < 0 ? buffer.length : end));
  } catch {
    return undefined;
  }
}

/**
 * An IP Helper table as a table source: `GetIpNetTable2`/`GetIpForwardTable2`
 * read over FFI, then `read` turns its bytes into entries, given each
 * interface's alias (looked up once per interface LUID). The arp and route
 * collectors differ only in the table and its rows.
 */
export function mibTableSource<Row>(table: {
  readonly kind: MibTableKind;
  readonly rowSize: number;
  readonly read: (
    bytes: Uint8Array,
    alias: (luid: bigint) => string | undefined,
  ) => TableRows<Row>;
}): TableSource<Row> {
  return {
    name: table.kind,
    read() {
      const bytes = readMibTable2(table.kind, table.rowSize);
      if (!bytes.ok) {
        return Promise.resolve({ ok: false, object: table.kind, detail: bytes.detail });
      }
      const aliases = new Map<bigint, string | undefined>();
      const alias = (luid: bigint) => {
        if (!aliases.has(luid)) aliases.set(luid, interfaceAlias(luid));
        return aliases.get(luid);
      };
      return Promise.resolve(table.read(bytes.bytes, alias));
    },
  };
}
