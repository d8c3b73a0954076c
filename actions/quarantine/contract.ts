/**
 * The shapes the quarantine's parts agree on: an entry record, the metadata captured for restore,
 * the platform interface (what differs between Linux and Windows), the store's API and the
 * outcomes of its operations. docs/quarantine.md describes the store format and its guarantees.
 *
 * @module
 */

/** Where an entry is in its life (the journal's last word on it). */
export type QuarantineEntryState =
  /** Copy verified and recorded; the original is being deleted (a crash here: the next command finishes or rolls back). */
  | "deleting"
  /** The copy is verified and the original is gone. */
  | "quarantined"
  /** The copy is verified; the original is scheduled for deletion at the next reboot (Windows). */
  | "pending-reboot"
  /** The copy is verified; the original could not be deleted (`failed: permission`…). */
  | "kept-original"
  /** Brought back to its place (or `--to`); the copy is still kept until purged. */
  | "restored"
  /** Removed by `purge` or by retention; the record stays as the audit of it. */
  | "purged";

/** Metadata of a file on Linux, captured before the copy and re-applied on restore. */
export interface LinuxFileMetadata {
  readonly kind: "linux";
  readonly uid: number;
  readonly gid: number;
  /** Permission bits with set-id and sticky bits (`st_mode & 0o7777`). */
  readonly mode: number;
  /** ISO 8601 with nanoseconds kept apart: restore sets them with `utimensat`-like precision. */
  readonly accessed: string;
  readonly modified: string;
  /** Recorded, not re-applied (the kernel sets it). */
  readonly changed: string;
  readonly born?: string;
  /** Every extended attribute (`user.*`, `security.*`, `system.posix_acl_*`, `trusted.*`), base64. */
  readonly xattrs: readonly { readonly name: string; readonly value: string }[];
  /** `chattr` flags that stop a delete: immutable (`i`), append-only (`a`). */
  readonly flags: { readonly immutable: boolean; readonly appendOnly: boolean };
}

/** Metadata of a file on Windows, captured before the copy and re-applied on restore. */
export interface WindowsFileMetadata {
  readonly kind: "windows";
  /** Owner, group and DACL (and SACL when readable) as SDDL. */
  readonly sddl: string;
  /** `FILE_ATTRIBUTE_*` bits. */
  readonly attributes: number;
  /** The three FILETIMEs as decimal 100-ns counts since 1601 (exact, unlike a Date). */
  readonly created: string;
  readonly written: string;
  readonly accessed: string;
}

/** What restore re-applies: one of the two platforms' records. */
export type FileMetadata = LinuxFileMetadata | WindowsFileMetadata;

/** One alternate data stream of a Windows file (`Zone.Identifier`…), copied with the file. */
export interface AlternateStream {
  /** The stream's name without the `:$DATA` suffix. */
  readonly name: string;
  readonly size: number;
  /** Reads the stream's bytes (bounded by the platform's cap). */
  read(): Promise<Uint8Array>;
}

/** What a platform captured of one opened file. */
export interface CapturedMetadata {
  readonly metadata: FileMetadata;
  /** Alternate data streams (none on Linux). */
  readonly streams: readonly AlternateStream[];
  /** What could not be captured, in words (recorded with the entry, never silent). */
  readonly notes: readonly string[];
  /**
   * Data of the file that the copy would not hold (alternate data streams over the caps, or not
   * listed), in words: deleting the original would lose it, so the store refuses the file
   * (`refused: uncopied-streams`).
   */
  readonly uncopied?: readonly string[];
}

/** What deleting the original did. */
export type DeleteOutcome =
  | { readonly outcome: "deleted" }
  | { readonly outcome: "pending-reboot"; readonly detail: string }
  | { readonly outcome: "failed"; readonly reason: string; readonly detail: string };

/** What differs between Linux and Windows: metadata, deletion, the critical-file rule. */
export interface QuarantinePlatform {
  /** Captures what restore re-applies, from the file opened without following links. */
  captureMetadata(path: string, file: Deno.FsFile, info: Deno.FileInfo): Promise<CapturedMetadata>;
  /**
   * Re-applies metadata and streams to a restored file (before it is renamed into place);
   * returns what could not be re-applied, in words.
   */
  applyMetadata(
    path: string,
    metadata: FileMetadata,
    streams: readonly { name: string; bytes: Uint8Array }[],
  ): Promise<string[]>;
  /**
   * Deletes the original and checks that it is gone. A running image on Windows is scheduled
   * for deletion at reboot, or its processes stopped first with `terminate`.
   */
  deleteOriginal(
    path: string,
    options: {
      readonly terminate: boolean;
      readonly pids: readonly number[];
      /**
       * The device and inode the name must still lead to when it is deleted (the copied file);
       * a platform that can check it at the delete itself (Linux: `fstatat` then `unlinkat` in
       * the opened folder) fails with reason `changed` otherwise.
       */
      readonly expected?: { readonly dev: number; readonly ino: number };
    },
  ): Promise<DeleteOutcome>;
  /** Why a file is system-critical (refused unless forced), or undefined. */
  criticalReason(path: string, info: Deno.FileInfo): Promise<string | undefined>;
  /**
   * Opens `path` for reading without following a link in its last component and without
   * blocking on a FIFO (Linux: `O_NOFOLLOW | O_NONBLOCK`); the store opens with `Deno.open`
   * when absent. Throws `Deno.errors.FilesystemLoop` (or an error whose `code` is `ELOOP`) for
   * a link.
   */
  openNoFollow?(path: string): Promise<Deno.FsFile>;
  /**
   * Re-applies what must wait until the restored file has its name (Linux: the immutable and
   * append-only flags, which forbid the rename); returns what could not be re-applied.
   */
  finishRestore?(path: string, metadata: FileMetadata): Promise<string[]>;
}

/** One quarantined object, as its record in the store says (`quarantine list --json`). */
export interface QuarantineEntry {
  /** The entry's id: stable, unique in the store. */
  readonly id: string;
  readonly originalPath: string;
  readonly sha256: string;
  readonly md5: string;
  readonly sha1: string;
  readonly size: number;
  readonly state: QuarantineEntryState;
  readonly metadata: FileMetadata;
  /** Alternate data streams copied with the file (names and sizes). */
  readonly streams: readonly { readonly name: string; readonly size: number }[];
  /** Names the file had besides this one when it was quarantined (`nlink > 1`). */
  readonly hardLinks: number;
  /** The IOCs whose detections named the file. */
  readonly iocs: readonly { readonly id: string; readonly sha256: string; readonly name: string }[];
  readonly runId?: number;
  readonly host: string;
  /** When it was quarantined, ISO 8601 UTC. */
  readonly quarantinedAt: string;
  /** Each state change with its time and words (the audit of the entry). */
  readonly history: readonly {
    readonly state: QuarantineEntryState;
    readonly at: string;
    readonly detail?: string;
  }[];
  /** What metadata could not be captured or re-applied. */
  readonly notes: readonly string[];
}

/** One file a detection names, to be quarantined. */
export interface QuarantineTarget {
  readonly path: string;
  readonly iocs: readonly { readonly id: string; readonly sha256: string; readonly name: string }[];
  /** Processes running it (ProcessItem evidence), for `terminate`. */
  readonly pids: readonly number[];
  readonly runId?: number;
}

/** The safety rules of one quarantine operation (docs/quarantine.md, "Safety limits"). */
export interface QuarantinePolicy {
  /** Files larger than this are `refused: too-large` (default 100 MB). */
  readonly maxFileBytes: number;
  /** Quarantine system-critical files too. */
  readonly force: boolean;
  /** Stop processes running an image before deleting it. */
  readonly terminate: boolean;
  /** Paths never acted on: the results database, the store itself (added by the store). */
  readonly protectedPaths: readonly string[];
}

/** What quarantining one target did (becomes one `action` event). */
export interface QuarantineOutcome {
  readonly path: string;
  readonly outcome: "quarantined" | "pending-reboot" | "refused" | "failed";
  readonly reason?: string;
  readonly detail?: string;
  readonly entryId?: string;
  readonly sha256?: string;
  readonly hardLinks?: number;
}

/** What restoring an entry did. */
export interface RestoreOutcome {
  readonly id: string;
  readonly path: string;
  readonly outcome: "restored" | "refused" | "failed";
  readonly reason?: string;
  readonly detail?: string;
  /** Metadata that could not be re-applied, in words. */
  readonly notes: readonly string[];
}

/** What opening the store finished or rolled back of operations a crash interrupted. */
export interface RecoveryReport {
  /** Entries whose delete step was finished (copy verified and recorded before the crash). */
  readonly finished: readonly string[];
  /** Operations rolled back: a partial copy removed, the original untouched. */
  readonly rolledBack: readonly string[];
}

/** Options of `purge`: by age, by id, or down to the size limit (oldest first). */
export interface PurgeOptions {
  readonly id?: string;
  readonly olderThanDays?: number;
  readonly maxBytes?: number;
}

/**
 * The quarantine store (docs/quarantine.md): self-contained (its journal, records, key and copies
 * live in its folder), so it can be listed and restored without the results database. Opening
 * it recovers what a crash left.
 */
export interface QuarantineStore {
  readonly dir: string;
  /** Runs the sequence of docs/quarantine.md on one file; never throws for the file's fault. */
  quarantine(target: QuarantineTarget, policy: QuarantinePolicy): Promise<QuarantineOutcome>;
  list(): Promise<QuarantineEntry[]>;
  show(id: string): Promise<QuarantineEntry | undefined>;
  restore(
    id: string,
    options: { readonly to?: string; readonly force?: boolean },
  ): Promise<RestoreOutcome>;
  /** Removes copies (keeping their records as the audit); eviction is recorded, never silent. */
  purge(options: PurgeOptions): Promise<{ readonly purged: readonly QuarantineEntry[] }>;
  /** Finishes or rolls back what a crash left; opening the store runs it. */
  recover(): Promise<RecoveryReport>;
  close(): Promise<void>;
}
