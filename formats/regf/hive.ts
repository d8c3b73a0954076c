/**
 * A registry hive opened from bytes: base block, hive bins, cells and the
 * records in them (nk, vk, li/lf/lh/ri, db, sk), with damage reported as
 * warnings instead of exceptions.
 *
 * Cells are read by offset. Bins are checked once on open; a cell counts only
 * when it lies inside a valid bin, is allocated and does not cross the bin's
 * end, so that no reference into garbage, free space or beyond the file is
 * followed.
 *
 * @example Count the keys and values of a hive
 * ```ts ignore
 * import { RegistryHive } from "./hive.ts";
 * const hive = RegistryHive.open(await Deno.readFile("NTUSER.DAT"));
 * const counts = hive.countTree();
 * ```
 *
 * @module
 */
import {
  BASE_BLOCK_SIZE,
  FileType,
  hasRegfSignature,
  parseBaseBlock,
  readFiletime,
} from "./base_block.ts";
import type { BaseBlock } from "./base_block.ts";
import { RegfError } from "./errors.ts";
import type { RegfWarning } from "./errors.ts";
import { decodeLatin1, decodeUtf16 } from "./strings.ts";
import { describeReplays, recoverHive } from "./transaction_log.ts";
import type { RecoveryResult, TransactionLog } from "./transaction_log.ts";

/** A key node (nk record). */
export interface KeyNode {
  /** Cell offset, relative to the start of hive bins data. */
  offset: number;
  /** The name. */
  name: string;
  /** Flags. */
  flags: number;
  /** Last written time, FILETIME ticks. */
  lastWritten: number;
  /** Number of subkeys. */
  numSubKeys: number;
  /** Number of values. */
  numValues: number;
  /** Cell offset of the subkey list (li/lf/lh/ri). */
  subkeyListOffset: number;
  /** Cell offset of the value list. */
  valueListOffset: number;
  /** Cell offset of the sk record. */
  securityOffset: number;
  /** Cell offset of the class name. */
  classOffset: number;
  /** Class name length in bytes. */
  classLength: number;
}

/** A key value (vk record). */
export interface ValueNode {
  /** Cell offset, relative to the start of hive bins data. */
  offset: number;
  /** The value name; empty for the default value. */
  name: string;
  /** The value type number (REG_SZ = 1…). */
  type: number;
  /** The data size the record reports (without the inline flag). */
  dataSize: number;
  /** True when the data (at most 4 bytes) sits in the record's data-offset field. */
  inline: boolean;
  /** The data-offset field (a cell offset, or the data itself when inline). */
  dataOffset: number;
}

/** Options of {@linkcode RegistryHive.open}. */
export interface HiveOpenOptions {
  /** Transaction logs found next to the hive; used only when the hive is dirty. */
  logs?: readonly TransactionLog[];
  /** Stop storing warnings after this many (they are still counted). Default 1000. */
  maxWarnings?: number;
}

/** Key and value counts of the allocated tree. */
export interface TreeCounts {
  /** Keys, the root key included. */
  keys: number;
  /** Values, default values included. */
  values: number;
}

/** What {@linkcode RegistryHive.walk} passes for each key. */
export type KeyVisitor = (key: KeyNode, path: readonly string[], depth: number) => boolean | void;

/** Largest data that fits in one cell before hives 1.4+ use a db record. */
const BIG_DATA_SEGMENT = 16344;
/** Deepest key nesting followed (Windows allows 512 levels). */
const MAX_DEPTH = 512;
const NIL = 0xffffffff;

/**
 * Whether bytes start like a dirty primary hive (bad base-block checksum or
 * unequal sequence numbers), i.e. whether its transaction logs are worth
 * reading. False for anything that is not a REGF primary.
 */
export function isDirtyHive(bytes: Uint8Array): boolean {
  if (!hasRegfSignature(bytes) || bytes.length < 512) return false;
  const base = parseBaseBlock(bytes, 0);
  return base.fileType === FileType.Primary &&
    (!base.checksumValid || base.primarySequence !== base.secondarySequence);
}

/** The REGF parser for one hive. */
export class RegistryHive {
  /** The hive bytes in use: the primary file, or its recovered copy. */
  readonly bytes: Uint8Array;
  /** The base block as read from the bytes in use. */
  readonly baseBlock: BaseBlock;
  /** True when the primary was dirty (bad checksum or sequence numbers differ). */
  readonly dirty: boolean;
  /** What log recovery did (undefined when the hive was clean). */
  readonly recovery: RecoveryResult | undefined;
  /** Warnings about damage, in the order found (capped, see `warningCount`). */
  readonly warnings: RegfWarning[] = [];
  /** All warnings, including those not stored. */
  warningCount = 0;

  readonly #view: DataView;
  readonly #maxWarnings: number;
  readonly #warned = new Set<string>();
  /** Per 4 KiB page of hive bins data: end offset of the valid bin holding it, or 0. */
  #binEnd: Int32Array;
  /** Per 4 KiB page: start offset of that bin. */
  #binStart: Int32Array;
  #cellLength = 0;
  readonly #rootOffset: number;
  /** Cell header size: 4 bytes, or 8 in the NT 3.x format (version 1.1) with its `last` link. */
  readonly #cellHeader: number;
  /** Cell alignment mask: 8-byte cells, 16 in version 1.1. */
  readonly #cellAlignment: number;

  private constructor(
    bytes: Uint8Array,
    base: BaseBlock,
    dirty: boolean,
    recovery: RecoveryResult | undefined,
    maxWarnings: number,
    earlyWarnings: RegfWarning[],
  ) {
    this.bytes = bytes;
    this.baseBlock = base;
    this.dirty = dirty;
    this.recovery = recovery;
    this.#maxWarnings = maxWarnings;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#rootOffset = base.rootCellOffset;
    this.#cellHeader = base.minorVersion === 1 ? 8 : 4;
    this.#cellAlignment = base.minorVersion === 1 ? 15 : 7;
    for (const warning of earlyWarnings) this.#warn(warning.code, warning.message, warning.offset);
    const available = Math.max(0, bytes.length - BASE_BLOCK_SIZE);
    let declared = base.hiveBinsSize;
    if (!base.checksumValid) {
      // The size field cannot be trusted: use what the file holds (4 KiB aligned).
      declared = available - (available % 4096);
    } else if (declared > available) {
      this.#warn(
        "truncated",
        `hive bins data declared as ${declared} bytes but the file holds ${available}`,
        BASE_BLOCK_SIZE + available,
      );
    }
    const size = Math.min(declared, available);
    const pages = Math.ceil(size / 4096);
    this.#binEnd = new Int32Array(pages);
    this.#binStart = new Int32Array(pages);
    this.#scanBins(size);
  }

  /**
   * Opens a hive from its bytes. Dirty hives are recovered in memory from
   * `options.logs` when they allow it; otherwise the primary is used as is
   * and a warning says why.
   *
   * @throws {RegfError} when the bytes are not a primary REGF hive.
   */
  static open(bytes: Uint8Array, options: HiveOpenOptions = {}): RegistryHive {
    if (
      bytes.length >= 4 && bytes[0] === 0x43 && bytes[1] === 0x52 && bytes[2] === 0x45 &&
      bytes[3] === 0x47
    ) {
      throw new RegfError("creg", "a Windows 9x/Me registry file (CREG), not a REGF hive");
    }
    if (!hasRegfSignature(bytes)) {
      throw new RegfError("not-regf", "not a registry hive: no regf signature at offset 0");
    }
    if (bytes.length < BASE_BLOCK_SIZE + 32) {
      throw new RegfError("too-short", `only ${bytes.length} bytes: no room for a hive bin`);
    }
    const maxWarnings = options.maxWarnings ?? 1000;
    const primaryBase = parseBaseBlock(bytes, 0);
    if (primaryBase.fileType !== FileType.Primary) {
      throw new RegfError(
        "not-primary",
        `file type ${primaryBase.fileType}: a transaction log, not a primary hive`,
      );
    }
    const early: RegfWarning[] = [];
    if (!primaryBase.checksumValid) {
      early.push({
        code: "bad-checksum",
        message: `base block checksum 0x${primaryBase.checksum.toString(16)} does not match`,
        offset: 508,
      });
    }
    const dirty = !primaryBase.checksumValid ||
      primaryBase.primarySequence !== primaryBase.secondarySequence;
    if (!dirty) return new RegistryHive(bytes, primaryBase, false, undefined, maxWarnings, early);

    let recovery: RecoveryResult;
    try {
      recovery = recoverHive(bytes, primaryBase, options.logs ?? []);
    } catch (error) {
      // Out of memory for a huge rebuilt hive, or anything unforeseen: use the primary.
      recovery = {
        recovered: false,
        applied: [],
        units: 0,
        replays: [],
        problems: [],
        failure: `recovery stopped: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (recovery.recovered && recovery.bytes) {
      const base = parseBaseBlock(recovery.bytes, 0);
      // What was replayed, then every log rejected or cut short: a partial replay is never silent.
      early.push({
        code: "recovered",
        message:
          `dirty hive (sequence ${primaryBase.primarySequence}/${primaryBase.secondarySequence}` +
          `${primaryBase.checksumValid ? "" : ", bad checksum"}) recovered in memory from ` +
          describeReplays(recovery.replays),
      });
      for (const problem of recovery.problems) {
        early.push({ code: `log-${problem.kind}`, message: problem.message });
      }
      return new RegistryHive(recovery.bytes, base, true, recovery, maxWarnings, early);
    }
    early.push({
      code: "not-recovered",
      message:
        `dirty hive (sequence ${primaryBase.primarySequence}/${primaryBase.secondarySequence}` +
        `${primaryBase.checksumValid ? "" : ", bad checksum"}) parsed as is: ${recovery.failure}`,
    });
    return new RegistryHive(bytes, primaryBase, true, recovery, maxWarnings, early);
  }

  #warn(code: string, message: string, offset?: number): void {
    // The same damage is met again when a key is read twice (role detection, walks).
    if (offset !== undefined) {
      const id = `${code}@${offset}`;
      if (this.#warned.has(id)) return;
      this.#warned.add(id);
    }
    this.warningCount++;
    if (this.warnings.length >= this.#maxWarnings) return;
    const warning: RegfWarning = { code, message };
    if (offset !== undefined) warning.offset = offset;
    this.warnings.push(warning);
  }

  /**
   * Walks the bins by their size fields. The first invalid bin ends the hive
   * bins data, as for Windows and the reference tools: cells from there on
   * are unreachable, and a warning names the offset.
   */
  #scanBins(size: number): void {
    const bytes = this.bytes;
    const view = this.#view;
    let pos = 0;
    while (pos < size) {
      const at = BASE_BLOCK_SIZE + pos;
      // A file cut within the last bin's header (not 4 KiB aligned) has no room for its fields.
      const valid = at + 12 <= bytes.length && bytes[at] === 0x68 && bytes[at + 1] === 0x62 &&
        bytes[at + 2] === 0x69 && bytes[at + 3] === 0x6e && view.getUint32(at + 4, true) === pos;
      const binSize = valid ? view.getUint32(at + 8, true) : 0;
      if (!valid || binSize < 4096 || binSize % 4096 !== 0 || pos + binSize > size) {
        this.#warn(
          "bad-bin",
          `invalid hive bin at offset 0x${at.toString(16)}` +
            (valid ? ` (size ${binSize})` : " (bad signature or offset)") +
            `: the ${size - pos} bytes of hive bins data from there are ignored`,
          at,
        );
        return;
      }
      const end = pos + binSize;
      for (let page = pos >>> 12; page < end >>> 12; page++) {
        this.#binEnd[page] = end;
        this.#binStart[page] = pos;
      }
      pos = end;
    }
  }

  /**
   * The file position of an allocated cell's data, or -1. Sets the cell data
   * length for the caller to read through {@linkcode cellLength}.
   */
  cellDataPosition(offset: number): number {
    if (offset === NIL || (offset & this.#cellAlignment) !== 0) return -1;
    const page = offset >>> 12;
    if (page >= this.#binEnd.length) return -1;
    const end = this.#binEnd[page]!;
    if (end === 0 || offset - this.#binStart[page]! < 32) return -1;
    const pos = BASE_BLOCK_SIZE + offset;
    const size = this.#view.getInt32(pos, true);
    if (size >= 0) return -1; // free cell
    const length = -size;
    const header = this.#cellHeader;
    if (length < 2 * header || offset + length > end) return -1;
    this.#cellLength = length - header;
    return pos + header;
  }

  /** The data length of the cell last found by {@linkcode cellDataPosition}. */
  get cellLength(): number {
    return this.#cellLength;
  }

  #signature(pos: number, a: number, b: number): boolean {
    return this.bytes[pos] === a && this.bytes[pos + 1] === b;
  }

  /** The root key, or undefined (with a warning) when its cell is unusable. */
  rootKey(): KeyNode | undefined {
    const key = this.key(this.#rootOffset);
    if (!key) {
      this.#warn(
        "bad-root",
        `root cell at offset 0x${
          (BASE_BLOCK_SIZE + this.#rootOffset).toString(16)
        } is not a key node`,
        BASE_BLOCK_SIZE + this.#rootOffset,
      );
    }
    return key;
  }

  /** Reads the key node at a cell offset, or undefined when it is not one. */
  key(offset: number): KeyNode | undefined {
    const pos = this.cellDataPosition(offset);
    if (pos < 0) return undefined;
    const length = this.#cellLength;
    if (length < 76 || !this.#signature(pos, 0x6e, 0x6b)) return undefined;
    const view = this.#view;
    const flags = view.getUint16(pos + 2, true);
    const nameLength = view.getUint16(pos + 72, true);
    if (76 + nameLength > length) {
      this.#warn(
        "bad-key",
        `key name at 0x${pos.toString(16)} runs past its cell`,
        pos,
      );
      return undefined;
    }
    const name = (flags & 0x20) !== 0
      ? decodeLatin1(this.bytes, pos + 76, pos + 76 + nameLength)
      : decodeUtf16(this.bytes, pos + 76, pos + 76 + nameLength);
    return {
      offset,
      name,
      flags,
      lastWritten: readFiletime(view, pos + 4),
      numSubKeys: view.getUint32(pos + 20, true),
      numValues: view.getUint32(pos + 36, true),
      subkeyListOffset: view.getUint32(pos + 28, true),
      valueListOffset: view.getUint32(pos + 40, true),
      securityOffset: view.getUint32(pos + 44, true),
      classOffset: view.getUint32(pos + 48, true),
      classLength: view.getUint16(pos + 74, true),
    };
  }

  /** The cell offsets of a key's subkeys, in list order. */
  subkeyOffsets(key: KeyNode): number[] {
    const out: number[] = [];
    if (key.numSubKeys === 0) return out;
    this.#readList(key.subkeyListOffset, out, 0, key);
    if (out.length !== key.numSubKeys) {
      this.#warn(
        "subkey-count",
        `key "${key.name}" declares ${key.numSubKeys} subkeys, its lists hold ${out.length}`,
        BASE_BLOCK_SIZE + key.offset,
      );
    }
    return out;
  }

  #readList(offset: number, out: number[], depth: number, owner: KeyNode): void {
    const pos = this.cellDataPosition(offset);
    if (pos < 0 || this.#cellLength < 4) {
      this.#warn(
        "bad-subkey-list",
        `subkey list of key "${owner.name}" at offset 0x${
          (BASE_BLOCK_SIZE + offset).toString(16)
        } is not an allocated cell`,
        BASE_BLOCK_SIZE + offset,
      );
      return;
    }
    const length = this.#cellLength;
    const view = this.#view;
    const a = this.bytes[pos]!;
    const b = this.bytes[pos + 1]!;
    const count = view.getUint16(pos + 2, true);
    let stride: number;
    if (b === 0x69 && (a === 0x6c || a === 0x72)) stride = 4; // li, ri
    else if (a === 0x6c && (b === 0x66 || b === 0x68)) stride = 8; // lf, lh
    else {
      this.#warn(
        "bad-subkey-list",
        `subkey list of key "${owner.name}" at offset 0x${
          (BASE_BLOCK_SIZE + offset).toString(16)
        } has an unknown signature`,
        BASE_BLOCK_SIZE + offset,
      );
      return;
    }
    let usable = count;
    if (4 + count * stride > length) {
      usable = Math.floor((length - 4) / stride);
      this.#warn(
        "bad-subkey-list",
        `subkey list at offset 0x${
          (BASE_BLOCK_SIZE + offset).toString(16)
        } declares ${count} entries, its cell holds ${usable}`,
        BASE_BLOCK_SIZE + offset,
      );
    }
    if (a === 0x72) {
      if (depth >= 2) {
        this.#warn(
          "bad-subkey-list",
          `nested ri list at offset 0x${(BASE_BLOCK_SIZE + offset).toString(16)}`,
          BASE_BLOCK_SIZE + offset,
        );
        return;
      }
      for (let i = 0; i < usable; i++) {
        this.#readList(view.getUint32(pos + 4 + i * 4, true), out, depth + 1, owner);
      }
      return;
    }
    for (let i = 0; i < usable; i++) out.push(view.getUint32(pos + 4 + i * stride, true));
  }

  /** A subkey list entry that is not a key node: the rest of the list is not trusted. */
  #badSubkey(key: KeyNode, offset: number): void {
    this.#warn(
      "bad-key",
      `subkey of "${key.name}" at offset 0x${(BASE_BLOCK_SIZE + offset).toString(16)} ` +
        `is not a key node: the rest of its subkey list is skipped`,
      BASE_BLOCK_SIZE + offset,
    );
  }

  /**
   * The subkeys of a key, in list order. A list entry that is not a key node
   * ends the list (with a warning), as in libregf and reglookup.
   */
  subkeys(key: KeyNode): KeyNode[] {
    const keys: KeyNode[] = [];
    for (const offset of this.subkeyOffsets(key)) {
      const subkey = this.key(offset);
      if (subkey) keys.push(subkey);
      else {
        this.#badSubkey(key, offset);
        break;
      }
    }
    return keys;
  }

  /** The values of a key that are readable value records; others become warnings. */
  values(key: KeyNode): ValueNode[] {
    const values: ValueNode[] = [];
    const count = key.numValues;
    if (count === 0) return values;
    const pos = this.cellDataPosition(key.valueListOffset);
    if (pos < 0) {
      this.#warn(
        "bad-value-list",
        `value list of key "${key.name}" at offset 0x${
          (BASE_BLOCK_SIZE + key.valueListOffset).toString(16)
        } is not an allocated cell`,
        BASE_BLOCK_SIZE + key.valueListOffset,
      );
      return values;
    }
    let usable = count;
    if (count * 4 > this.#cellLength) {
      usable = this.#cellLength >>> 2;
      this.#warn(
        "bad-value-list",
        `key "${key.name}" declares ${count} values, its value list holds ${usable}`,
        pos,
      );
    }
    const view = this.#view;
    for (let i = 0; i < usable; i++) {
      const offset = view.getUint32(pos + i * 4, true);
      const value = this.value(offset);
      if (value) values.push(value);
      else {
        this.#warn(
          "bad-value",
          `value ${i} of key "${key.name}" at offset 0x${
            (BASE_BLOCK_SIZE + offset).toString(16)
          } is not a value record`,
          BASE_BLOCK_SIZE + offset,
        );
      }
    }
    return values;
  }

  /** Reads the value record at a cell offset, or undefined when it is not one. */
  value(offset: number): ValueNode | undefined {
    const pos = this.cellDataPosition(offset);
    if (pos < 0) return undefined;
    const length = this.#cellLength;
    if (length < 20 || !this.#signature(pos, 0x76, 0x6b)) return undefined;
    const view = this.#view;
    const nameLength = view.getUint16(pos + 2, true);
    if (20 + nameLength > length) return undefined;
    const flags = view.getUint16(pos + 16, true);
    const rawSize = view.getUint32(pos + 4, true);
    const name = nameLength === 0
      ? ""
      : (flags & 1) !== 0
      ? decodeLatin1(this.bytes, pos + 20, pos + 20 + nameLength)
      : decodeUtf16(this.bytes, pos + 20, pos + 20 + nameLength);
    return {
      offset,
      name,
      type: view.getUint32(pos + 12, true),
      dataSize: rawSize & 0x7fffffff,
      inline: rawSize >= 0x80000000,
      dataOffset: view.getUint32(pos + 8, true),
    };
  }

  /**
   * The data of a value: inline bytes from the start of the data-offset field
   * (msuhanov), one cell, or the segments of a db record. Missing or short
   * data gives what is there, with a warning.
   */
  valueData(value: ValueNode): Uint8Array {
    const size = value.dataSize;
    if (size === 0) return this.bytes.subarray(0, 0);
    if (value.inline) {
      const pos = BASE_BLOCK_SIZE + value.offset + this.#cellHeader + 8;
      return this.bytes.subarray(pos, pos + Math.min(size, 4));
    }
    const pos = this.cellDataPosition(value.dataOffset);
    if (pos < 0) {
      this.#warn(
        "bad-value-data",
        `data of value "${value.name}" at offset 0x${
          (BASE_BLOCK_SIZE + value.dataOffset).toString(16)
        } is not an allocated cell`,
        BASE_BLOCK_SIZE + value.dataOffset,
      );
      return this.bytes.subarray(0, 0);
    }
    const length = this.#cellLength;
    // A db record (versions 1.4+ write them) is a small cell that cannot hold the data
    // itself; a 1.3 hive's single big cell may start with "db" by chance but is large.
    if (
      size > BIG_DATA_SEGMENT && length >= 8 && length < size && this.#signature(pos, 0x64, 0x62)
    ) {
      return this.#bigData(value, pos);
    }
    if (size > length) {
      this.#warn(
        "bad-value-data",
        `value "${value.name}" reports ${size} bytes, its cell holds ${length}`,
        pos,
      );
      return this.bytes.subarray(pos, pos + length);
    }
    return this.bytes.subarray(pos, pos + size);
  }

  #bigData(value: ValueNode, pos: number): Uint8Array {
    const view = this.#view;
    const count = view.getUint16(pos + 2, true);
    const listPos = this.cellDataPosition(view.getUint32(pos + 4, true));
    // Every segment is a cell of this hive: data larger than the hive is a damaged (or
    // hostile) size, and is not allocated (a 100 KB file could otherwise ask for 2 GB).
    const out = new Uint8Array(Math.min(value.dataSize, this.bytes.length));
    let filled = 0;
    if (listPos >= 0) {
      const usable = Math.min(count, this.#cellLength >>> 2);
      for (let i = 0; i < usable && filled < out.length; i++) {
        const segment = this.cellDataPosition(view.getUint32(listPos + i * 4, true));
        if (segment < 0) break;
        const take = Math.min(this.#cellLength, BIG_DATA_SEGMENT, out.length - filled);
        out.set(this.bytes.subarray(segment, segment + take), filled);
        filled += take;
      }
    }
    if (filled < value.dataSize) {
      this.#warn(
        "bad-value-data",
        `big data of value "${value.name}" at 0x${
          pos.toString(16)
        } holds ${filled} of ${value.dataSize} bytes`,
        pos,
      );
      return out.subarray(0, filled);
    }
    return out;
  }

  /** The class name of a key, when it has one. */
  className(key: KeyNode): string | undefined {
    if (key.classLength === 0 || key.classOffset === NIL) return undefined;
    const pos = this.cellDataPosition(key.classOffset);
    if (pos < 0) return undefined;
    return decodeUtf16(this.bytes, pos, pos + Math.min(key.classLength, this.#cellLength));
  }

  /** The self-relative security descriptor of a key (from its sk record). */
  securityDescriptor(key: KeyNode): Uint8Array | undefined {
    const pos = this.cellDataPosition(key.securityOffset);
    if (pos < 0 || this.#cellLength < 20 || !this.#signature(pos, 0x73, 0x6b)) return undefined;
    const size = this.#view.getUint32(pos + 16, true);
    if (20 + size > this.#cellLength) return undefined;
    return this.bytes.subarray(pos + 20, pos + 20 + size);
  }

  /**
   * Finds a key by its path below the root (`Microsoft\Windows`, any case);
   * an empty path is the root.
   */
  findKey(path: string | readonly string[], from?: KeyNode): KeyNode | undefined {
    const parts = typeof path === "string" ? path.split("\\").filter((p) => p !== "") : path;
    let key = from ?? this.rootKey();
    for (const part of parts) {
      if (!key) return undefined;
      const wanted = part.toUpperCase();
      let next: KeyNode | undefined;
      for (const offset of this.subkeyOffsets(key)) {
        const candidate = this.key(offset);
        if (candidate && candidate.name.toUpperCase() === wanted) {
          next = candidate;
          break;
        }
      }
      key = next;
    }
    return key;
  }

  /**
   * A set of cell offsets: the returned function adds an offset and says
   * whether it was there before. Cells are 8-byte aligned, so offsets inside
   * the hive bins take one bit per 8-byte slot (hive bins size / 64 bytes),
   * cheaper than a Set of numbers for every key of a hive; any other offset
   * (misaligned, or past the bins) goes to a Set.
   */
  #visitedSet(): (offset: number) => boolean {
    const visited = new Uint8Array(this.#binEnd.length * 64 + 1);
    let others: Set<number> | undefined;
    return (offset: number): boolean => {
      const index = offset >>> 3;
      const byte = (offset & 7) === 0 ? visited[index >>> 3] : undefined;
      if (byte === undefined) {
        others ??= new Set();
        if (others.has(offset)) return true;
        others.add(offset);
        return false;
      }
      const bit = 1 << (index & 7);
      if (byte & bit) return true;
      visited[index >>> 3] = byte | bit;
      return false;
    };
  }

  /**
   * Visits `start` (default: the root) and every key below it, depth first,
   * parents before children. The visitor gets the key's path relative to
   * `start` (empty for `start` itself); returning `false` skips its subtree.
   * Keys already visited (cycles, keys listed twice) are not visited again.
   */
  walk(visitor: KeyVisitor, start?: KeyNode): void {
    const root = start ?? this.rootKey();
    if (!root) return;
    const seen = this.#visitedSet();
    seen(root.offset);
    const path: string[] = [];
    const visit = (key: KeyNode, depth: number): void => {
      if (visitor(key, path, depth) === false) return;
      if (depth >= MAX_DEPTH) {
        this.#warn("too-deep", `key "${key.name}" is nested deeper than ${MAX_DEPTH} levels`);
        return;
      }
      for (const offset of this.subkeyOffsets(key)) {
        if (seen(offset)) {
          this.#warnKeyLoop(offset);
          continue;
        }
        const subkey = this.key(offset);
        if (!subkey) {
          this.#badSubkey(key, offset);
          break;
        }
        path.push(subkey.name);
        visit(subkey, depth + 1);
        path.pop();
      }
    };
    visit(root, 0);
  }

  /** A key listed a second time: a subkey-list loop or a duplicate entry, which is skipped. */
  #warnKeyLoop(offset: number): void {
    this.#warn(
      "key-loop",
      `key at offset 0x${
        (BASE_BLOCK_SIZE + offset).toString(16)
      } is listed twice (loop or duplicate)`,
      BASE_BLOCK_SIZE + offset,
    );
  }

  /**
   * Iterates over `start` (default: the root) and every key below it, depth
   * first, parents before children, like {@linkcode walk} but pull-based so
   * that a caller can stream huge hives. Each step gives the key and its
   * depth below `start` (0 for `start`); a key at depth d is a child of the
   * last key yielded at depth d - 1, which is how callers build paths.
   */
  *iterateKeys(start?: KeyNode): Generator<{ key: KeyNode; depth: number }> {
    const root = start ?? this.rootKey();
    if (!root) return;
    const seen = this.#visitedSet();
    seen(root.offset);
    yield { key: root, depth: 0 };
    const stack: { offsets: number[]; index: number; key: KeyNode }[] = [
      { offsets: this.subkeyOffsets(root), index: 0, key: root },
    ];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.index >= top.offsets.length) {
        stack.pop();
        continue;
      }
      const offset = top.offsets[top.index++]!;
      if (seen(offset)) {
        this.#warnKeyLoop(offset);
        continue;
      }
      const key = this.key(offset);
      if (!key) {
        this.#badSubkey(top.key, offset);
        top.index = top.offsets.length;
        continue;
      }
      yield { key, depth: stack.length };
      if (stack.length >= MAX_DEPTH) {
        this.#warn("too-deep", `key "${key.name}" is nested deeper than ${MAX_DEPTH} levels`);
        continue;
      }
      stack.push({ offsets: this.subkeyOffsets(key), index: 0, key });
    }
  }

  /** Counts the keys (root included) and values (default values included) of the tree. */
  countTree(): TreeCounts {
    let keys = 0;
    let values = 0;
    this.walk((key) => {
      keys++;
      values += this.values(key).length;
    });
    return { keys, values };
  }
}
