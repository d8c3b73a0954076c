/**
 * The store's append-only journal (`<store>/journal.ndjson`): one JSON object a line, each
 * appended and synced before the step it records is relied on. After a crash it is the truth:
 * opening the store reads it to finish or roll back what was interrupted. A crash while a line
 * was being written leaves a torn last line: it is tolerated (the step it began was never
 * relied on), reported, and cut off before the next line is appended.
 *
 * @module
 */
import { join } from "node:path";
import { ENTRY_ID } from "./entry_record.ts";

/** The journal's file name in the store. */
export const JOURNAL_FILE = "journal.ndjson";

/** One journal line: what happened to which entry, when. */
export interface JournalRecord {
  /** The entry the line is about. */
  readonly id: string;
  /** The step or state change (docs/quarantine.md, "The sequence"). */
  readonly op: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  /** Facts of the step (the original's identity, the copy's hash, a temporary path…). */
  readonly [fact: string]: unknown;
}

/** The journal as read: its records, and what could not be read. */
export interface JournalContents {
  readonly records: JournalRecord[];
  /** A torn last line (the crash was while it was written), when there is one. */
  readonly tornLine?: string;
  /**
   * Lines before the last that are not records (never written by iocscan, or about an id that is
   * not an entry id: recovery acts on none of them), by line number.
   */
  readonly unreadable: readonly number[];
  /** Byte length of the whole, complete lines (where the next line starts). */
  readonly completeBytes: number;
}

/** Reads the journal; a missing journal is empty. */
export async function readJournal(dir: string): Promise<JournalContents> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(join(dir, JOURNAL_FILE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { records: [], unreadable: [], completeBytes: 0 };
    }
    throw error;
  }
  return parseJournal(bytes);
}

/** Parses journal bytes (exported for tests). */
export function parseJournal(bytes: Uint8Array): JournalContents {
  const lastNewline = bytes.lastIndexOf(0x0a);
  const completeBytes = lastNewline + 1;
  const decoder = new TextDecoder();
  const text = decoder.decode(bytes.subarray(0, completeBytes));
  const records: JournalRecord[] = [];
  const unreadable: number[] = [];
  const lines = text.split("\n");
  lines.pop();
  lines.forEach((line, index) => {
    const record = parseLine(line);
    if (record === undefined) unreadable.push(index + 1);
    else records.push(record);
  });
  const tail = decoder.decode(bytes.subarray(completeBytes));
  return {
    records,
    ...(tail.length > 0 ? { tornLine: tail } : {}),
    unreadable,
    completeBytes,
  };
}

function parseLine(line: string): JournalRecord | undefined {
  try {
    const value = JSON.parse(line);
    if (
      typeof value === "object" && value !== null && typeof value.id === "string" &&
      ENTRY_ID.test(value.id) && typeof value.op === "string" && typeof value.at === "string"
    ) return value as JournalRecord;
  } catch {
    // Reported by the caller through its line number.
  }
  return undefined;
}

/** What the writer needs of the journal's file: a `Deno.FsFile` opened to append (tests fake it). */
export interface JournalFile {
  write(p: Uint8Array): Promise<number>;
  syncData(): Promise<void>;
  truncate(length?: number): Promise<void>;
  stat(): Promise<{ readonly size: number }>;
  close(): void;
}

/** The journal open for appending. */
export class JournalWriter {
  /** Why the writer refuses to append (a partial line it could not cut off). */
  private broken: string | undefined;

  private constructor(private readonly file: JournalFile) {}

  /** A writer over an open file (the store opens it with {@linkcode JournalWriter.open}). */
  static over(file: JournalFile): JournalWriter {
    return new JournalWriter(file);
  }

  /**
   * Opens the journal for appending, first cutting off a torn last line (`completeBytes` from
   * {@linkcode readJournal}, read under the store's lock), so that the next line starts on a
   * line of its own.
   */
  static async open(dir: string, completeBytes: number): Promise<JournalWriter> {
    // O_APPEND: every line lands at the end, whoever else appended since this was opened.
    const file = await Deno.open(join(dir, JOURNAL_FILE), {
      append: true,
      create: true,
      mode: 0o600,
    });
    const info = await file.stat();
    if (info.size > completeBytes) {
      await file.truncate(completeBytes);
      await file.sync();
    }
    return new JournalWriter(file);
  }

  /**
   * Appends one record and syncs it to disk before returning. A line that cannot be written
   * whole (a full disk, an I/O error) is cut off again before the error is thrown, so that the
   * next line (a rollback's, once it freed space) starts on a line of its own instead of being
   * glued to the fragment and lost with it. When even the cut fails, the writer refuses every
   * further line: no later step may rely on a journal that can no longer be read back.
   */
  async append(record: JournalRecord): Promise<void> {
    if (this.broken !== undefined) {
      throw new Error(`the journal is not written any more: ${this.broken}`);
    }
    const bytes = new TextEncoder().encode(JSON.stringify(record) + "\n");
    // Every append holds the store's lock: nobody else appends between this stat and the write.
    const start = (await this.file.stat()).size;
    try {
      let written = 0;
      while (written < bytes.length) written += await this.file.write(bytes.subarray(written));
      await this.file.syncData();
    } catch (error) {
      try {
        await this.file.truncate(start);
        await this.file.syncData();
      } catch (cut) {
        this.broken = `a line could not be written (${message(error)}) nor cut off (${
          message(cut)
        })`;
      }
      throw error;
    }
  }

  close(): void {
    this.file.close();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
