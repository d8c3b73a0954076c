/**
 * Bounded, cached access to a PE image through a {@linkcode ByteSource}:
 * file-offset reads, RVA-to-offset mapping through the section table, and
 * NUL-terminated strings. Every read counts against a byte budget so that a
 * hostile file cannot make the parser read (or loop) without end.
 *
 * @module
 */
import type { ByteSource } from "../byte_source.ts";

/** A structural problem in the image: the part being parsed is abandoned with a warning. */
export class PeFormatError extends Error {
  /** Creates the error with a message that names the place. */
  constructor(message: string) {
    super(message);
    this.name = "PeFormatError";
  }
}

/** The byte source itself failed (an I/O error): the whole parse stops as "unreadable". */
export class PeReadError extends Error {
  /** Wraps the source's error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PeReadError";
  }
}

/** The read budget ran out: every later read would fail too. */
export class PeBudgetError extends PeFormatError {
  /** Creates the error naming what was being read. */
  constructor(what: string) {
    super(`${what}: read budget exhausted (the image asks for too much data)`);
    this.name = "PeBudgetError";
  }
}

/** The parts of a section header that address mapping needs. */
export type SectionMapping = {
  virtualAddress: number;
  virtualSize: number;
  rawPointer: number;
  rawSize: number;
};

const pageSize = 64 * 1024;
const maxCachedPages = 64;

/** Formats a number as `0x…` hex for messages. */
export function hex(value: number): string {
  return value < 0 ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`;
}

/**
 * Reads an image. Call {@linkcode ImageReader.setSections} once the section
 * table is known so that RVAs can be mapped.
 */
export class ImageReader {
  readonly #source: ByteSource;
  readonly #pages = new Map<number, Uint8Array>();
  #budget: number;
  #sections: SectionMapping[] = [];
  #lastSection = -1;
  #sizeOfHeaders = 0;

  /** Wraps `source`, allowing at most `budget` bytes of reads. */
  constructor(source: ByteSource, budget: number) {
    this.#source = source;
    this.#budget = budget;
  }

  /** The file size. */
  get size(): number {
    return this.#source.size;
  }

  /** Installs the section table used by {@linkcode rvaToOffset}. */
  setSections(sections: SectionMapping[], sizeOfHeaders: number, fileAlignment: number): void {
    // The Windows loader rounds raw pointers down to 512 bytes when the file
    // alignment is at least that; mapping must do the same to read what it reads.
    const roundDown = fileAlignment >= 0x200;
    this.#sections = sections.map((section) => ({
      ...section,
      rawPointer: roundDown
        ? section.rawPointer - (section.rawPointer % 0x200)
        : section.rawPointer,
    }));
    this.#sizeOfHeaders = sizeOfHeaders;
    this.#lastSection = -1;
  }

  /**
   * Maps an RVA to a file offset, with how many bytes are readable there
   * within the same section, or `undefined` when it maps to nothing in the file.
   */
  rvaToOffset(rva: number): { offset: number; available: number } | undefined {
    if (!Number.isSafeInteger(rva) || rva < 0) return undefined;
    const last = this.#sections[this.#lastSection];
    if (last !== undefined) {
      const hit = this.#mapIn(last, rva);
      if (hit) return hit;
    }
    for (let index = 0; index < this.#sections.length; index++) {
      const section = this.#sections[index]!;
      const hit = this.#mapIn(section, rva);
      if (hit) {
        this.#lastSection = index;
        return hit;
      }
    }
    const firstSectionVa = this.#sections.reduce(
      (lowest, section) => Math.min(lowest, section.virtualAddress),
      Number.MAX_SAFE_INTEGER,
    );
    const headerEnd = Math.min(this.size, Math.max(this.#sizeOfHeaders, 0), firstSectionVa);
    if (rva < headerEnd) return { offset: rva, available: headerEnd - rva };
    return undefined;
  }

  #mapIn(section: SectionMapping, rva: number): { offset: number; available: number } | undefined {
    const span = Math.max(section.virtualSize, section.rawSize);
    if (rva < section.virtualAddress || rva >= section.virtualAddress + span) return undefined;
    const delta = rva - section.virtualAddress;
    const rawEnd = Math.min(section.rawSize, span);
    if (delta >= rawEnd) return undefined;
    const offset = section.rawPointer + delta;
    if (offset >= this.size) return undefined;
    return { offset, available: Math.min(rawEnd - delta, this.size - offset) };
  }

  /** Reads exactly `length` bytes at a file offset or throws {@linkcode PeFormatError}. */
  async readAt(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new PeFormatError(
        `${what}: ${length} bytes at file offset ${hex(offset)} lie beyond the end of the file`,
      );
    }
    return await this.#readCached(offset, length, what);
  }

  /** Reads up to `length` bytes at a file offset (fewer at the end of the file). */
  async readUpTo(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (offset >= this.size) return new Uint8Array(0);
    return await this.readAt(offset, Math.min(length, this.size - offset), what);
  }

  /** Reads exactly `length` bytes at an RVA or throws {@linkcode PeFormatError}. */
  async readRva(rva: number, length: number, what: string): Promise<Uint8Array> {
    const mapped = this.rvaToOffset(rva);
    if (!mapped) throw new PeFormatError(`${what}: RVA ${hex(rva)} is not backed by file data`);
    if (mapped.available < length) {
      throw new PeFormatError(`${what}: ${length} bytes at RVA ${hex(rva)} run past their section`);
    }
    return await this.readAt(mapped.offset, length, what);
  }

  /** Reads up to `length` bytes at an RVA, stopping at the end of the section's file data. */
  async readRvaUpTo(rva: number, length: number, what: string): Promise<Uint8Array> {
    const mapped = this.rvaToOffset(rva);
    if (!mapped) throw new PeFormatError(`${what}: RVA ${hex(rva)} is not backed by file data`);
    return await this.readAt(mapped.offset, Math.min(length, mapped.available), what);
  }

  /** Reads a NUL-terminated single-byte string at an RVA (at most `maxLength` bytes). */
  async readCString(rva: number, maxLength: number, what: string): Promise<string> {
    const bytes = await this.readRvaUpTo(rva, maxLength + 1, what);
    const end = bytes.indexOf(0);
    if (end < 0 && bytes.length > maxLength) {
      throw new PeFormatError(
        `${what}: string at RVA ${hex(rva)} is longer than ${maxLength} bytes`,
      );
    }
    return latin1(bytes.subarray(0, end < 0 ? bytes.length : end));
  }

  async #readCached(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    // Large reads (certificate tables, version resources) go straight through.
    if (length > pageSize) {
      this.#charge(length, what);
      return await this.#fetch(offset, length);
    }
    const firstPage = Math.floor(offset / pageSize);
    const lastPage = Math.floor((offset + length - 1) / pageSize);
    if (firstPage === lastPage) {
      const page = await this.#page(firstPage, what);
      const start = offset - firstPage * pageSize;
      return page.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    for (let pageIndex = firstPage; pageIndex <= lastPage; pageIndex++) {
      const page = await this.#page(pageIndex, what);
      const pageStart = pageIndex * pageSize;
      const from = Math.max(offset, pageStart);
      const to = Math.min(offset + length, pageStart + page.length);
      out.set(page.subarray(from - pageStart, to - pageStart), from - offset);
    }
    return out;
  }

  async #page(index: number, what: string): Promise<Uint8Array> {
    const cached = this.#pages.get(index);
    if (cached) {
      // Refresh its place in the LRU order.
      this.#pages.delete(index);
      this.#pages.set(index, cached);
      return cached;
    }
    const start = index * pageSize;
    const length = Math.min(pageSize, this.size - start);
    this.#charge(length, what);
    const page = await this.#fetch(start, length);
    this.#pages.set(index, page);
    if (this.#pages.size > maxCachedPages) {
      const oldest = this.#pages.keys().next().value;
      if (oldest !== undefined) this.#pages.delete(oldest);
    }
    return page;
  }

  #charge(length: number, what: string): void {
    if (length > this.#budget) {
      throw new PeBudgetError(what);
    }
    this.#budget -= length;
  }

  async #fetch(offset: number, length: number): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#source.read(offset, length);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PeReadError(`read of ${length} bytes at ${hex(offset)} failed: ${reason}`, {
        cause: error,
      });
    }
    if (bytes.length < length) {
      // The source is shorter than it claimed: treat the missing tail as absent.
      throw new PeFormatError(
        `file ends early: read ${bytes.length} of ${length} bytes at ${hex(offset)}`,
      );
    }
    return bytes.length === length ? bytes : bytes.subarray(0, length);
  }
}

/** Decodes bytes as Latin-1 (byte = code point), lossless for any input. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let index = 0; index < bytes.length; index += 4096) {
    text += String.fromCharCode(...bytes.subarray(index, index + 4096));
  }
  return text;
}

/** Little-endian field access on a byte view. */
export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Formats a Unix timestamp (seconds) as ISO 8601 UTC without milliseconds. */
export function unixToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}
