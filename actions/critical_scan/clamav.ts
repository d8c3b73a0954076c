/**
 * The ClamAV hand-off: `clamscan` run on the critical set with explicit
 * limits, a file list in a private temporary file (`--file-list`, never a
 * shell), bounded output and a deadline (collectors/live
 * `readCommandOutput`). ClamAV skips files past its size limits and calls
 * them clean unless told otherwise: `--alert-exceeds-max=yes` makes it say
 * `Heuristics.Limits.Exceeded.*`, which is read as a skip (`too-large`),
 * never as a hit. Exit codes: 0 nothing found, 1 found, 2 errors; each file
 * is judged by its own output line, so a file without one (it could not be
 * read) is a skip, never clean; an exit with no file judged at all (no
 * signature database, a bad option) is "antivirus unavailable".
 *
 * @module
 */
import { type CommandRunner, readCommandOutput } from "../../collectors/live/mod.ts";
import type {
  AntivirusDetection,
  AntivirusEngine,
  AntivirusReport,
  AntivirusSkip,
} from "./antivirus.ts";

/** The engine's name (the findings' source). */
export const clamavEngineName = "clamav";
/** Files larger than this are not scanned (reported as `too-large`): 100 MiB, ClamAV's default. */
export const defaultClamavMaxFileSize = 100 * 1024 * 1024;
/** The most data scanned in one file, archives unpacked: 400 MiB, ClamAV's default. */
export const defaultClamavMaxScanSize = 400 * 1024 * 1024;
/** How long one clamscan run may take. */
export const defaultClamavTimeoutMs = 60 * 60 * 1000;
/** The most bytes of clamscan's report read. */
const maxReportBytes = 64 * 1024 * 1024;
/** The signature names with which `--alert-exceeds-max` reports a file past a limit. */
const limitAlert = "Heuristics.Limits.Exceeded.";
/** The line clamscan prints between the files' lines and its summary. */
const summaryMarker = "----------- SCAN SUMMARY -----------";
/** The summary's count of the signatures loaded. */
const knownVirusesLine = /^Known viruses: (\d+)$/;

/** How clamscan is run. */
export interface ClamavOptions {
  /** The program (default `clamscan` on the PATH). */
  readonly clamscan?: string;
  /** A signature database file or folder (`--database`); default: ClamAV's own. */
  readonly database?: string;
  readonly maxFileSize?: number;
  readonly maxScanSize?: number;
  readonly timeoutMs?: number;
  /** Tests replay recorded runs. */
  readonly runner?: CommandRunner;
}

/** The ClamAV engine. */
export function clamavEngine(options: ClamavOptions = {}): AntivirusEngine {
  return {
    name: clamavEngineName,
    async scan(files, signal) {
      const listable = files.filter((file) => !/[\n\r]/.test(file));
      const unlistable: AntivirusSkip[] = files.filter((file) => /[\n\r]/.test(file)).map((
        file,
      ) => ({
        file,
        reason: "invalid-name",
        detail: "a line break in its name: clamscan's file list cannot name it",
      }));
      if (listable.length === 0) {
        return { available: true, detections: [], skipped: unlistable, scanned: 0, notes: [] };
      }
      const dir = await Deno.makeTempDir({ prefix: "iocscan-clamav-" });
      try {
        await Deno.chmod(dir, 0o700).catch(() => {});
        const list = `${dir}/files.txt`;
        await Deno.writeTextFile(list, listable.join("\n") + "\n", { mode: 0o600 });
        const output = await readCommandOutput(
          options.clamscan ?? "clamscan",
          clamscanArguments(list, options),
          {
            maxBytes: maxReportBytes,
            timeoutMs: options.timeoutMs ?? defaultClamavTimeoutMs,
            okExitCodes: [0, 1, 2],
            ...(signal ? { signal } : {}),
            ...(options.runner ? { runner: options.runner } : {}),
          },
        );
        if (!output.ok) {
          return {
            available: false,
            why: output.missing ? `clamscan is not installed: ${output.reason}` : output.reason,
          };
        }
        const report = readClamscanReport(listable, output.text, output.stderr, output.code);
        if (!report.available) return report;
        return { ...report, skipped: [...unlistable, ...report.skipped] };
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  };
}

/**
 * clamscan's arguments: explicit limits, oversize files reported, the list.
 * The summary is kept: its `Known viruses` says whether any signature was
 * loaded (a database folder of only `.ign2`/`.cfg` files loads none, and
 * clamscan then says `OK` of every file and exits 0).
 */
export function clamscanArguments(list: string, options: ClamavOptions = {}): string[] {
  return [
    `--max-filesize=${options.maxFileSize ?? defaultClamavMaxFileSize}`,
    `--max-scansize=${options.maxScanSize ?? defaultClamavMaxScanSize}`,
    "--alert-exceeds-max=yes",
    ...(options.database === undefined ? [] : [`--database=${options.database}`]),
    `--file-list=${list}`,
  ];
}

/**
 * Reads clamscan's report on `files`: each file's line (`path: OK`, `path:
 * Empty file`, `path: NAME FOUND`, `path: Excluded (…)`) before the summary
 * decides it; a file with no line was not scanned (its error from stderr,
 * when there is one). A summary that says 0 signatures were loaded, or no
 * summary at all, makes the run unavailable: an `OK` from an engine without
 * signatures is no verdict.
 */
export function readClamscanReport(
  files: readonly string[],
  stdout: string,
  stderr: string,
  code: number,
): AntivirusReport {
  const wanted = new Set(files);
  const judged = new Map<string, string>();
  const lines = stdout.split("\n");
  const summaryAt = lines.lastIndexOf(summaryMarker);
  for (const line of summaryAt < 0 ? lines : lines.slice(0, summaryAt)) {
    const at = line.lastIndexOf(": ");
    if (at <= 0) continue;
    const file = line.slice(0, at);
    if (wanted.has(file) && !judged.has(file)) judged.set(file, line.slice(at + 2).trimEnd());
  }
  if (judged.size === 0 && code !== 0) {
    const said = stderr.trim().split("\n").find((line) => line.trim() !== "") ?? "";
    return {
      available: false,
      why: `clamscan exited with ${code} without scanning any file` +
        (said ? `: ${said.slice(0, 300)}` : ""),
    };
  }
  const signatures = summaryAt < 0 ? undefined : lines.slice(summaryAt + 1)
    .map((line) => knownVirusesLine.exec(line.trimEnd())?.[1]).find((count) => count !== undefined);
  if (signatures === undefined) {
    return {
      available: false,
      why: `clamscan exited with ${code} without its summary: the signatures it loaded are unknown`,
    };
  }
  if (Number(signatures) === 0) {
    return { available: false, why: "clamscan loaded 0 signatures: its OK says nothing" };
  }
  const errors = new Map<string, string>();
  for (const line of stderr.split("\n")) {
    const text = line.replace(/^(WARNING|ERROR): /, "");
    const at = text.lastIndexOf(": ");
    if (at > 0 && wanted.has(text.slice(0, at)) && !errors.has(text.slice(0, at))) {
      errors.set(text.slice(0, at), text.slice(at + 2).trim());
    }
  }
  const detections: AntivirusDetection[] = [];
  const skipped: AntivirusSkip[] = [];
  for (const file of files) {
    const verdict = judged.get(file);
    if (verdict === undefined) {
      skipped.push({
        file,
        reason: "unreadable",
        detail: `clamscan did not scan it${errors.has(file) ? `: ${errors.get(file)}` : ""}`,
      });
    } else if (verdict.endsWith(" FOUND")) {
      const signature = verdict.slice(0, -" FOUND".length);
      if (signature.startsWith(limitAlert)) {
        skipped.push({
          file,
          reason: "too-large",
          detail: `past clamscan's limits (${signature}): not scanned`,
        });
      } else detections.push({ file, signature });
    } else if (verdict === "OK" || verdict === "Empty file") {
      // Scanned: nothing found.
    } else {
      skipped.push({
        file,
        reason: verdict.startsWith("Excluded") ? "unsupported" : "error",
        detail: `clamscan: ${verdict}`,
      });
    }
  }
  const notes: string[] = [];
  if (code === 1 && detections.length === 0 && !skipped.some((s) => s.reason === "too-large")) {
    notes.push("clamscan exited with 1 (found) but no file's line said FOUND");
  }
  return { available: true, detections, skipped, scanned: files.length, notes };
}
