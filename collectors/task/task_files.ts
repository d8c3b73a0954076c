/**
 * Reading the files tasks live in, below a root folder (`/` live, a mounted
 * image offline): bounded (a size cap per file, a count cap per folder),
 * regular files only (a FIFO or device is refused unread), and below a root
 * other than `/`, no link that leads out of it. Every refusal, and a folder
 * past its cap, is a skip that names TaskItem as unread.
 *
 * @module
 */
import { join } from "node:path";
import { readEvidenceFile } from "../evidence_file.ts";
import { linkOutOfRoot } from "../evidence_root.ts";
import { maxTaskFileBytes, maxTaskFiles, type TaskSourceEvent } from "./task_source.ts";
import { taskDocument } from "./task_record.ts";

/**
 * A task file or folder that cannot be read may hold a task that runs (cron
 * reads a crontab of any size; a FIFO or a link may be the attacker's): the
 * source is read in part, and an IOC on TaskItem that did not fire is
 * undecided, not clean.
 */
const unreadTasks: readonly string[] = [taskDocument];

/** A file read below a root: its bytes, or the skip saying why not. */
export type ReadOutcome =
  | { readonly bytes: Uint8Array }
  | { readonly skip: Extract<TaskSourceEvent, { skip: unknown }>["skip"] };

/** A root folder tasks are read below. */
export class TaskRoot {
  /** The folder as given (`/` for the live system). */
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Whether this root is the live system's own. */
  get live(): boolean {
    return this.path === "/";
  }

  /** The file below the root (`etc/crontab` → `/mnt/image/etc/crontab`). */
  open(relative: string): string {
    return join(this.path, relative);
  }

  /** The path as the system the root holds names it: `/etc/crontab`. */
  display(relative: string): string {
    return `/${relative.replace(/^\/+/, "")}`;
  }

  /** Whether `relative` exists (any kind of entry). */
  exists(relative: string): boolean {
    try {
      Deno.lstatSync(this.open(relative));
      return true;
    } catch {
      return false;
    }
  }

  /** Reads a file, at most `maxTaskFileBytes`. */
  read(relative: string): ReadOutcome {
    const path = this.open(relative);
    if (!this.live) {
      const refusal = linkOutOfRoot(path, this.path);
      if (refusal) {
        return {
          skip: {
            object: path,
            reason: refusal.reason,
            detail: refusal.detail,
            unreadDocuments: unreadTasks,
          },
        };
      }
    }
    const bytes = readEvidenceFile(path, { maxSize: maxTaskFileBytes, kind: "task file" });
    if (bytes instanceof Uint8Array) return { bytes };
    return {
      skip: {
        object: path,
        reason: bytes.reason,
        detail: bytes.detail,
        unreadDocuments: unreadTasks,
      },
    };
  }

  /**
   * The entries of a folder below the root, sorted by name, at most
   * `maxTaskFiles` (a skip says when more were left); an empty list when
   * the folder does not exist.
   */
  list(
    relative: string,
  ): { entries: Deno.DirEntry[]; events: TaskSourceEvent[] } {
    const path = this.open(relative);
    const events: TaskSourceEvent[] = [];
    if (!this.live) {
      const refusal = linkOutOfRoot(path, this.path);
      if (refusal) {
        events.push({
          skip: {
            object: path,
            reason: refusal.reason,
            detail: refusal.detail,
            unreadDocuments: unreadTasks,
          },
        });
        return { entries: [], events };
      }
    }
    const entries: Deno.DirEntry[] = [];
    try {
      for (const entry of Deno.readDirSync(path)) {
        if (entries.length >= maxTaskFiles) {
          events.push({
            skip: {
              object: path,
              reason: "source-unavailable",
              detail: `more than ${maxTaskFiles} entries; the rest were not read`,
              unreadDocuments: unreadTasks,
            },
          });
          break;
        }
        entries.push(entry);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        events.push({
          skip: {
            object: path,
            reason: error instanceof Deno.errors.PermissionDenied ? "unreadable" : "error",
            detail: error instanceof Error ? error.message : String(error),
            unreadDocuments: unreadTasks,
          },
        });
      }
    }
    entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return { entries, events };
  }
}

/** Decodes a text file (UTF-8; invalid sequences become U+FFFD). */
export function textOf(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}
