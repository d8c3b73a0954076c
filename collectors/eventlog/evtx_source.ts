/**
 * Offline source: .evtx files given directly, found under directories, or in
 * `Windows/System32/winevt/Logs` below a mounted image root.
 *
 * @module
 */
import { join } from "node:path";
import { type EvtxReadStats, readEvtxChunks } from "../../formats/evtx/mod.ts";
import { EvidenceRefusedError, openFileByteSource } from "./file_byte_source.ts";
import type { EventLogSource, SourceContext } from "./source.ts";
import type { EvidenceRefusal } from "../evidence_file.ts";
import { linkOutOfRoot } from "../evidence_root.ts";
import { eventFromRecord, type WindowsEvent } from "./windows_event.ts";
import { eventLogCollectorName } from "./collector_name.ts";

const collector = eventLogCollectorName;
/** Warnings of one code shown per file before the rest are summed up. */
const warningsPerCode = 20;

/** The reader's warning for a file without the EVTX signature (formats/evtx/warning.ts). */
const notEvtxCode = "evtx-not-evtx";

/** Finds a child entry of `dir` whose name equals `name` case-insensitively. */
async function findChild(dir: string, name: string): Promise<string | undefined> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.toLowerCase() === name.toLowerCase()) return join(dir, entry.name);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The event-log folder below an image root: `Windows/System32/winevt/Logs`,
 * matched case-insensitively (images mounted on Linux keep Windows' mixed
 * case), or undefined.
 */
export async function findLogsFolder(root: string): Promise<string | undefined> {
  let dir = root;
  for (const part of ["Windows", "System32", "winevt", "Logs"]) {
    const next = await findChild(dir, part);
    if (next === undefined) return undefined;
    dir = next;
  }
  return dir;
}

/**
 * The `.evtx` files below `dir`. `root`, for a folder found below an image
 * root, is the root that linked files must stay within (evidence_root.ts).
 */
async function* walkEvtx(
  dir: string,
  context: SourceContext,
  root?: string,
): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    context.reporter.skipped({
      collector,
      object: dir,
      reason: "unreadable",
      detail: String(error),
    });
    return;
  }
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const named = entry.name.toLowerCase().endsWith(".evtx");
    if (entry.isDirectory) yield* walkEvtx(path, context, root);
    else if (entry.isFile) {
      if (named) yield path;
    } else if (entry.isSymlink) {
      // Links to files are followed; links to folders are not (that is how walks loop).
      const target = await Deno.stat(path).catch(() => undefined);
      const outside = target?.isFile && named && root !== undefined
        ? linkOutOfRoot(path, root)
        : undefined;
      if (outside !== undefined) skipRefused(outside, context);
      else if (target?.isFile && named) yield path;
      else if (target?.isDirectory) {
        context.reporter.skipped({
          collector,
          object: path,
          reason: "symlink",
          detail: "symbolic link to a folder (not followed)",
        });
      } else if (named) skipSpecialFile(path, context);
    } else if (named) {
      skipSpecialFile(path, context);
    }
  }
}

/** Reports an evidence file refused before it was opened. */
function skipRefused(refusal: EvidenceRefusal, context: SourceContext): void {
  context.reporter.skipped({
    collector,
    object: refusal.file,
    reason: refusal.reason,
    detail: refusal.detail,
  });
}

/** FIFOs, sockets and devices are never opened: reading a FIFO would block. */
function skipSpecialFile(path: string, context: SourceContext): void {
  context.reporter.skipped({
    collector,
    object: path,
    reason: "special-file",
    detail: "not a regular file (a FIFO, socket or device is never opened)",
  });
}

/** Options of {@linkcode evtxFileSource}. */
export interface EvtxFileSourceOptions {
  /** .evtx files or folders (searched recursively for `*.evtx`). */
  paths?: readonly string[];
  /** Mounted images or triage folders; the `Windows/System32/winevt/Logs` of each is read. */
  roots?: readonly string[];
}

/** Reads .evtx files; every record becomes a {@linkcode WindowsEvent}. */
export function evtxFileSource(options: EvtxFileSourceOptions): EventLogSource {
  return {
    name: "evtx",
    async *events(context: SourceContext): AsyncGenerator<WindowsEvent> {
      for await (const file of evtxFiles(options, context)) {
        if (context.signal?.aborted) return;
        yield* readOneFile(file, context);
      }
    },
  };
}

async function* evtxFiles(
  options: EvtxFileSourceOptions,
  context: SourceContext,
): AsyncGenerator<string> {
  for (const path of options.paths ?? []) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      context.reporter.skipped({
        collector,
        object: path,
        reason: error instanceof Deno.errors.NotFound ? "not-found" : "unreadable",
        detail: String(error),
      });
      continue;
    }
    if (info.isDirectory) yield* walkNamedFolder(path, path, "in this folder", context);
    else if (info.isFile) yield path;
    else skipSpecialFile(path, context);
  }
  for (const root of options.roots ?? []) {
    const logs = await findLogsFolder(root);
    if (logs === undefined) {
      // The root is the input the user named: skipped as a whole, so the scan is incomplete.
      context.reporter.skipped({
        collector,
        object: root,
        reason: "not-found",
        detail: `no event-log folder (${
          join("Windows", "System32", "winevt", "Logs")
        }) below the root`,
      });
    } else {
      const outside = linkOutOfRoot(logs, root);
      if (outside !== undefined) skipRefused(outside, context);
      else yield* walkNamedFolder(logs, root, `in ${logs}`, context, root);
    }
  }
}

/**
 * The .evtx files below a folder an input names; an input that holds none was not read (a
 * skip of `input` as a whole), unless the scan was stopped during the walk. Below a `--root`,
 * links out of the root are not followed (`root`).
 */
async function* walkNamedFolder(
  folder: string,
  input: string,
  where: string,
  context: SourceContext,
  root?: string,
): AsyncGenerator<string> {
  let found = 0;
  for await (const file of walkEvtx(folder, context, root)) {
    found++;
    yield file;
  }
  if (found === 0 && !context.signal?.aborted) {
    context.reporter.skipped({
      collector,
      object: input,
      reason: "not-found",
      detail: `no .evtx file ${where}`,
    });
  }
}

async function* readOneFile(file: string, context: SourceContext): AsyncGenerator<WindowsEvent> {
  let source;
  try {
    source = await openFileByteSource(file);
  } catch (error) {
    context.reporter.skipped({
      collector,
      object: file,
      reason: error instanceof EvidenceRefusedError ? error.refusal.reason : "unreadable",
      detail: error instanceof EvidenceRefusedError ? error.refusal.detail : String(error),
    });
    return;
  }
  context.stats.files++;
  const stats: EvtxReadStats = { chunks: 0, records: 0, outsideWindow: 0, bytesRead: 0 };
  // A large junk or wiped file would otherwise give one warning per 64 KiB:
  // after a few of one kind, the rest are counted and summed up once.
  const perCode = new Map<string, number>();
  const warn = (code: string, message: string, place: string) => {
    const seen = (perCode.get(code) ?? 0) + 1;
    perCode.set(code, seen);
    if (seen > warningsPerCode) return;
    context.stats.warnings++;
    context.reporter.warning({
      collector,
      code,
      message: `${file}: ${message} (${place})`,
      file,
      place,
    });
  };
  try {
    const chunks = readEvtxChunks(source, {
      ...(context.since ? { since: context.since } : {}),
      ...(context.until ? { until: context.until } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
      onWarning: (w) => {
        warn(w.code, w.message, `offset ${w.offset}`);
        // Not an EVTX file at all: nothing of it is read, so the file is skipped as a whole (as the
        // registry collector skips a file that is no hive), and a scan that named it is incomplete.
        if (w.code === notEvtxCode) {
          context.reporter.skipped({
            collector,
            object: file,
            reason: "unsupported",
            detail: w.message,
          });
        }
      },
    }, stats);
    for await (const records of chunks) {
      for (const record of records) {
        let event: WindowsEvent;
        try {
          event = eventFromRecord(record, file);
        } catch (error) {
          context.stats.decodeErrors++;
          warn(
            "evtx-record-decode",
            `record ${record.recordId} could not be decoded: ${
              error instanceof Error ? error.message : error
            }`,
            `offset ${record.fileOffset}`,
          );
          continue;
        }
        context.stats.records++;
        yield event;
      }
    }
  } catch (error) {
    // readEvtx reports damage as warnings; this is an I/O failure mid-file.
    warn("evtx-read-error", `reading stopped: ${error}`, `offset ${stats.bytesRead}`);
  } finally {
    for (const [code, seen] of perCode) {
      if (seen <= warningsPerCode) continue;
      context.stats.warnings++;
      context.reporter.warning({
        collector,
        code,
        message: `${file}: ${seen - warningsPerCode} more ${code} warnings not shown`,
        file,
      });
    }
    context.stats.outsideWindow += stats.outsideWindow;
    context.stats.bytes += stats.bytesRead;
    context.reporter.progress({
      collector,
      objects: context.stats.records,
      bytes: context.stats.bytes,
      current: file,
    });
    source.close();
  }
}
