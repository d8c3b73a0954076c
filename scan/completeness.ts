/**
 * Whether a scan is complete, and if not, why: the rule behind exit code 3
 * and the summary's `complete` and `incomplete` fields (docs/events.md,
 * "Complete and incomplete runs").
 *
 * A run is incomplete when
 *
 * - an **input** named on the command line or in the task (`--scope`,
 *   `--evtx`, `--hive`, `--root`, `--evidence`, their task-file fields) could not
 *   be read: it does not exist, cannot be opened, or its collector skipped it
 *   as a whole (an `.xz`-compressed hive, a file that is no EVTX log);
 * - an **IOC** did not fire and was not ruled out either: none of its ways to
 *   fire can be evaluated (`cannot fire`), or it could have fired only through
 *   items that are not evaluated or documents that were not read, or through
 *   objects on which some of its items could not be evaluated (a signature
 *   not checked, a value too long to search, an owner not known: see
 *   `ObservedItem.unevaluated`) (engine/session.ts, `undecided`).
 *
 * - an **area** a finding of severity `incomplete` names was not covered: the antivirus
 *   hand-off with no antivirus to hand off to, or files the antivirus could not scan
 *   (docs/critical-scan.md);
 * - an **object the evidence's owner hid by its name**: a file whose name is
 *   not UTF-8 (`invalid-name`) or whose path is past PATH_MAX
 *   (`path-too-long`) cannot be opened by the scan at all, so naming malware
 *   that way would otherwise pass as clean.
 *
 * A skip that names `documents` (a source a collector could not read at all,
 * such as an unavailable resolver cache) leaves those documents unread:
 * run_scan.ts counts their groups as unknown, so IOCs on them are undecided.
 *
 * Any other object skipped inside an input (an unreadable file among a
 * folder's 10,000) is a skip, reported as such, and does not make the run
 * incomplete by itself; its unread fields are unknown, so an IOC that could
 * have fired on it but for them is undecided.
 *
 * @module
 */
import { resolve } from "node:path";
import type { NotEvaluatedEvent, SkippedEvent, WarningEvent } from "../contracts/events.ts";
import type { UndecidedIoc, UnevaluatedOn } from "../engine/session.ts";
import type { ScanTask } from "./task_file.ts";

/** What an entry of `incomplete` is about. */
export type IncompleteKind = "input" | "object" | "ioc" | "area";

/**
 * Skip reasons that the owner of the evidence chooses by naming a file, and
 * that leave its content unread whatever it holds: the run is incomplete.
 */
const HIDDEN_BY_NAME: ReadonlySet<string> = new Set(["invalid-name", "path-too-long"]);

/**
 * Warnings that say a file's reading stopped before its end (an I/O error
 * mid-file): when the file is an input the user named, that input was read
 * only in part.
 */
const READ_IN_PART: ReadonlySet<string> = new Set(["evtx-read-error"]);

/** One reason a run is incomplete (an element of the summary's `incomplete`). */
export interface IncompleteEntry {
  kind: IncompleteKind;
  /** The input's path as given, the first hidden object's, or the IOC as `<id> (<file>)`. */
  what: string;
  /** Why, in words. */
  why: string;
  /**
   * For an IOC left undecided by objects on which some of its items could not
   * be evaluated: each such item, reason and number of objects.
   */
  unevaluated?: UnevaluatedOn[];
}

/** The most item/reason pairs an IOC's `why` spells out (all are in `unevaluated`). */
const MAX_REASONS_IN_WHY = 4;

/** One input the user named, with the option or task field that named it. */
export interface NamedInput {
  path: string;
  /** `--scope`, `--evtx`, `--hive`, `--root` or `--evidence`. */
  option: string;
}

/** The task's fields that name inputs, with the option each corresponds to. */
const inputFields: readonly { option: string; paths: (task: ScanTask) => readonly string[] }[] = [
  { option: "--scope", paths: (task) => (task.scopes ?? []).map((scope) => scope.path) },
  { option: "--evtx", paths: (task) => task.evtx ?? [] },
  { option: "--hive", paths: (task) => task.hives ?? [] },
  { option: "--root", paths: (task) => task.roots ?? [] },
  { option: "--evidence", paths: (task) => task.evidence ?? [] },
];

/** Every input a task names, in option order. */
export function namedInputs(task: ScanTask): NamedInput[] {
  return inputFields.flatMap(({ option, paths }) => paths(task).map((path) => ({ path, option })));
}

/**
 * Collects the reasons a run is incomplete as the scan goes: unreadable named
 * inputs first (checked before collecting, then from collectors' skips), then
 * the IOCs left undecided when the session finishes.
 */
export class CompletenessTracker {
  readonly #inputs = new Map<string, NamedInput>();
  readonly #unread = new Map<string, IncompleteEntry>();
  readonly #iocs: IncompleteEntry[] = [];
  /** Areas a finding said were not covered (no antivirus verdict), by what. */
  readonly #areas = new Map<string, IncompleteEntry>();
  /** Objects hidden by their names, by collector and reason: the first one and how many. */
  readonly #hidden = new Map<string, { first: SkippedEvent; count: number }>();

  /** @param inputs The inputs the task names. */
  constructor(inputs: readonly NamedInput[]) {
    for (const input of inputs) this.#inputs.set(inputKey(input.path), input);
  }

  /**
   * Checks that each named input exists and can be opened. Collectors that do
   * not run (no IOC needs them) never try their inputs: a mistyped path is
   * reported all the same.
   */
  async checkInputs(): Promise<void> {
    for (const input of this.#inputs.values()) {
      const problem = await unreadable(input.path);
      if (problem !== undefined) this.#markUnread(input, problem);
    }
  }

  /** Marks an input as not read for a reason found outside this tracker (unrecognised evidence). */
  inputNotRead(path: string, why: string): void {
    const input = this.#inputs.get(inputKey(path)) ?? { path, option: "--evidence" };
    this.#markUnread(input, why);
  }

  /**
   * Records an area of a scan that was not covered, as a finding of severity `incomplete` says
   * (the antivirus hand-off without an antivirus, files it could not scan): docs/critical-scan.md.
   */
  areaNotCovered(what: string, why: string): void {
    if (!this.#areas.has(what)) this.#areas.set(what, { kind: "area", what, why });
  }

  /**
   * Looks at one skip: a skip of a named input as a whole means the input was
   * not read. Returns whether it was one.
   */
  noteSkipped(skipped: SkippedEvent): boolean {
    // A named input the user's own `exclude` leaves out was not asked for: not a blind spot.
    if (skipped.reason === "excluded") return false;
    const input = this.#inputs.get(inputKey(skipped.object));
    if (input === undefined) {
      if (HIDDEN_BY_NAME.has(skipped.reason)) this.#noteHidden(skipped);
      return false;
    }
    this.#markUnread(
      input,
      `skipped by the ${skipped.collector} collector (${skipped.reason}${
        skipped.detail ? `: ${skipped.detail}` : ""
      })`,
    );
    return true;
  }

  /**
   * Looks at one warning: a named input whose reading stopped before its end
   * (`evtx-read-error` on a file given to `--evtx` or `--evidence`) was read
   * only in part. Returns whether it was one.
   */
  noteWarning(warning: WarningEvent): boolean {
    if (!READ_IN_PART.has(warning.code) || warning.file === undefined) return false;
    const input = this.#inputs.get(inputKey(warning.file));
    if (input === undefined) return false;
    this.#markUnread(input, `read only in part: ${warning.message}`);
    return true;
  }

  /** Records the IOCs the session left undecided, with the reasons their items were not evaluated. */
  noteUndecided(
    undecided: readonly UndecidedIoc[],
    notEvaluated: readonly NotEvaluatedEvent[],
  ): void {
    const reasons = new Map<string, Set<string>>();
    for (const event of notEvaluated) {
      const key = iocKey(event.ioc);
      let set = reasons.get(key);
      if (set === undefined) reasons.set(key, set = new Set());
      // A source's own words say more than `no-source`: `no-source: … opt-in: --endpoint-network`.
      set.add(event.detail === undefined ? event.reason : `${event.reason}: ${event.detail}`);
    }
    for (const { ioc, canFire, unevaluated } of undecided) {
      const why = [...reasons.get(iocKey(ioc)) ?? []].sort().join(", ");
      const what = `${ioc.id} (${ioc.file})`;
      if (unevaluated.length > 0) {
        this.#iocs.push({
          kind: "ioc",
          what,
          why: unevaluatedWhy(unevaluated) + (why ? `; also items not evaluated (${why})` : ""),
          unevaluated,
        });
        continue;
      }
      this.#iocs.push({
        kind: "ioc",
        what,
        why: canFire
          ? `could have fired only through items not evaluated (${why || "documents not read"})`
          : `cannot fire: every way to fire goes through items not evaluated (${why})`,
      });
    }
  }

  /** Whether nothing made the run incomplete. */
  get complete(): boolean {
    return this.#unread.size === 0 && this.#hidden.size === 0 && this.#iocs.length === 0 &&
      this.#areas.size === 0;
  }

  /**
   * The reasons, inputs first, each input once, then objects hidden by their
   * names (one entry per collector and reason, naming the first), then areas not covered, then
   * IOCs.
   */
  entries(): IncompleteEntry[] {
    const hidden = [...this.#hidden.values()].map(({ first, count }): IncompleteEntry => ({
      kind: "object",
      what: first.object,
      why: `${first.collector}: ${first.reason}${first.detail ? ` (${first.detail})` : ""}: ` +
        `cannot be opened by its name, so its content was not read` +
        (count > 1 ? `; ${count} such objects, the first named here` : ""),
    }));
    return [...this.#unread.values(), ...hidden, ...this.#areas.values(), ...this.#iocs];
  }

  #noteHidden(skipped: SkippedEvent): void {
    const key = `${skipped.collector}\n${skipped.reason}`;
    const seen = this.#hidden.get(key);
    if (seen === undefined) this.#hidden.set(key, { first: skipped, count: 1 });
    else seen.count++;
  }

  #markUnread(input: NamedInput, why: string): void {
    const key = inputKey(input.path);
    if (this.#unread.has(key)) return;
    this.#unread.set(key, { kind: "input", what: input.path, why: `${input.option}: ${why}` });
  }
}

/**
 * `items not evaluated on objects where it could have fired: item a (FileItem/Username) on 3
 * object(s): reason; …`, the first {@linkcode MAX_REASONS_IN_WHY} item/reason pairs spelt out.
 */
function unevaluatedWhy(unevaluated: readonly UnevaluatedOn[]): string {
  const shown = unevaluated.slice(0, MAX_REASONS_IN_WHY)
    .map(({ itemId, search, reason, objects }) =>
      `item ${itemId} (${search}) on ${objects} object(s): ${reason}`
    );
  const more = unevaluated.length - shown.length;
  if (more > 0) shown.push(`${more} more`);
  return `items not evaluated on objects where it could have fired: ${shown.join("; ")}`;
}

/** Why a path cannot be read, or undefined when it can be opened. */
async function unreadable(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      // Listing the first entry is what walking it needs first.
      for await (const _ of Deno.readDir(path)) break;
    } else if (info.isFile) {
      (await Deno.open(path, { read: true })).close();
    }
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "not found";
    if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
    return error instanceof Error ? error.message : String(error);
  }
}

function inputKey(path: string): string {
  try {
    return resolve(path);
  } catch {
    return path;
  }
}

function iocKey(ioc: { id: string; file: string }): string {
  return `${ioc.file}\n${ioc.id}`;
}
