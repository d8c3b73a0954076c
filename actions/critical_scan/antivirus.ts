/**
 * The antivirus hand-off's contract: an engine (ClamAV, Microsoft Defender)
 * scans the critical set and says what it found, what it could not scan, or
 * that it could not scan at all. Never "clean" by default: an engine that
 * is absent, inactive or failed says `available: false`, and a file it did
 * not scan is listed as such (docs/critical-scan.md).
 *
 * @module
 */
import type { SkipReason } from "../../contracts/skip_reason.ts";

/** One file the engine flagged. */
export interface AntivirusDetection {
  /** The file as handed over (the engine's own path for Defender's history). */
  file: string;
  /** The engine's name of what it found (`Win32/EICAR`, `Iocscan.Test.Planted.UNOFFICIAL`). */
  signature: string;
}

/** One file the engine did not scan, and why. */
export interface AntivirusSkip {
  file: string;
  reason: SkipReason;
  detail: string;
}

/** What one engine's run gave. */
export type AntivirusReport =
  | {
    readonly available: true;
    readonly detections: readonly AntivirusDetection[];
    readonly skipped: readonly AntivirusSkip[];
    /** How many files it was given (Defender's own scan: its scope, not a list). */
    readonly scanned: number;
    /** Things worth saying that change no verdict (an exit code not trusted, a file list cut). */
    readonly notes: readonly string[];
  }
  | {
    readonly available: false;
    /** Why there is no verdict: not installed, no signature database, passive mode… */
    readonly why: string;
  };

/** An antivirus engine the hand-off can run. */
export interface AntivirusEngine {
  /** `clamav`, `defender`: the findings' source. */
  readonly name: string;
  /** Scans `files` (the critical set); Defender runs its own quick scan of the same areas. */
  scan(files: readonly string[], signal?: AbortSignal): Promise<AntivirusReport>;
}

/** The `--antivirus` choices. */
export const antivirusChoices = ["auto", "clamav", "defender", "none"] as const;

/** One `--antivirus` choice. */
export type AntivirusChoice = typeof antivirusChoices[number];
