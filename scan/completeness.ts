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
 *   items that are not evaluated or documents that were not read
 *   (engine/session.ts, `undecided`).
 *
 * One object skipped inside an input (an unreadable file among a folder's
 * 10,000) is a skip, reported as such, and does not make the run incomplete.
 *
 * @module
 */
import { resolve } from "node:path";
import type { NotEvaluatedEvent, SkippedEvent } from "../engine/events.ts";
import type { UndecidedIoc } from "../engine/session.ts";
import type { ScanTask } from "./task_file.ts";

/** What an entry of `incomplete` is about. */
export type IncompleteKind = "input" | "ioc";

/** One reason a run is incomplete (an element of the summary's `incomplete`). */
export interface IncompleteEntry {
  kind: IncompleteKind;
  /** The input's path as given, or the IOC as `<id> (<file>)`. */
  what: string;
  /** Why, in words. */
  why: string;
}

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
   * Looks at one skip: a skip of a named input as a whole means the input was
   * not read. Returns whether it was one.
   */
  noteSkipped(skipped: SkippedEvent): boolean {
    // A named input the user's own `exclude` leaves out was not asked for: not a blind spot.
    if (skipped.reason === "excluded") return false;
    const input = this.#inputs.get(inputKey(skipped.object));
    if (input === undefined) return false;
    this.#markUnread(
      input,
      `skipped by the ${skipped.collector} collector (${skipped.reason}${
        skipped.detail ? `: ${skipped.detail}` : ""
      })`,
    );
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
      set.add(event.reason);
    }
    for (const { ioc, canFire } of undecided) {
      const why = [...reasons.get(iocKey(ioc)) ?? []].sort().join(", ");
      this.#iocs.push({
        kind: "ioc",
        what: `${ioc.id} (${ioc.file})`,
        why: canFire
          ? `could have fired only through items not evaluated (${why || "documents not read"})`
          : `cannot fire: every way to fire goes through items not evaluated (${why})`,
      });
    }
  }

  /** Whether nothing made the run incomplete. */
  get complete(): boolean {
    return this.#unread.size === 0 && this.#iocs.length === 0;
  }

  /** The reasons, inputs first, each input once. */
  entries(): IncompleteEntry[] {
    return [...this.#unread.values(), ...this.#iocs];
  }

  #markUnread(input: NamedInput, why: string): void {
    const key = inputKey(input.path);
    if (this.#unread.has(key)) return;
    this.#unread.set(key, { kind: "input", what: input.path, why: `${input.option}: ${why}` });
  }
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
