/**
 * `iocscan quarantine list | show ID | restore ID | purge`: the quarantine store (docs/actions.md,
 * docs/quarantine.md) without the results database. `--json` writes `quarantine-entry` events
 * (the store's records) and, for restore and purge, `action` events; every command ends with a
 * summary event. Opening the store first finishes or rolls back what a crash left.
 *
 * Exit codes: 0 done (an empty store too); 2 a usage error, a store that cannot be opened, an
 * unknown id, or a restore that was refused or failed (its `action` event says why).
 *
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { QuarantineEntry, QuarantineStore } from "../../actions/quarantine/contract.ts";
import type { OpenedQuarantineStore } from "../../actions/quarantine/mod.ts";
import type { ActionEvent, QuarantineEntryEvent } from "../../contracts/events.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import {
  escapeTerminalText as safe,
  formatActionEvents,
  formatQuarantineEntry,
  formatQuarantineTable,
} from "../../report/mod.ts";
import { faultAfterStepOf, quarantineDirOf } from "../../scan/actions/quarantine.ts";
import { setExitCode } from "../command_exit_code.ts";
import { toByteSize, toDays, toEntryId } from "../option_parsers.ts";
import { OutputWriter } from "../output/output_writer.ts";
import type { CommandRegistrar } from "./registrar.ts";

/** The flags every quarantine sub-command takes. */
interface StoreFlags {
  quarantineDir?: string;
  json?: true;
}

const dirHelp = "the quarantine store (default: IOCSCAN_QUARANTINE_DIR, else the OS's)";

/** Registers `iocscan quarantine` and its sub-commands. */
export const registerQuarantine: CommandRegistrar = (program) => {
  const group = new Command("quarantine")
    .description("List, show, restore or purge the files response actions quarantined")
    .enablePositionalOptions();
  // deno-lint-ignore no-explicit-any
  const withStoreFlags = <C extends { addOption(option: Option): any }>(command: C): C => {
    command.addOption(new Option("--quarantine-dir <dir>", dirHelp));
    command.addOption(new Option("--json", "write NDJSON events to stdout"));
    return command;
  };

  const list = withStoreFlags(
    new Command("list").description("List the entries of the quarantine store, oldest first"),
  );
  list.action(async () => {
    setExitCode(list, await withStore(list.opts() as StoreFlags, "list", listEntries));
  });

  const show = withStoreFlags(
    new Command("show").description("Show one entry: path, hashes, metadata, IOCs, history")
      .argument("<id>", "the entry's id (quarantine list)", toEntryId),
  );
  show.action(async (id) => {
    setExitCode(
      show,
      await withStore(
        show.opts() as StoreFlags,
        "show",
        (store, out, flags) => showEntry(store, out, flags, id),
      ),
    );
  });

  const restore = withStoreFlags(
    new Command("restore")
      .description("Bring an entry's file back, verified, with its metadata")
      .argument("<id>", "the entry's id (quarantine list)", toEntryId)
      .option("--to <path>", "restore to this path instead of the original one")
      .option("--force", "replace a file that exists at the destination"),
  );
  restore.action(async (id) => {
    const flags = restore.opts() as StoreFlags & { to?: string; force?: true };
    setExitCode(
      restore,
      await withStore(flags, "restore", (store, out) => restoreEntry(store, out, flags, id)),
    );
  });

  const purge = withStoreFlags(
    new Command("purge")
      .description("Remove copies (their records stay as the audit): by id, age or size")
      .option("--id <id>", "purge this entry", toEntryId)
      .option(
        "--older-than <days>",
        "purge entries quarantined more than this many days ago",
        toDays,
      )
      .option(
        "--max-bytes <size>",
        "purge the oldest until the store holds at most this",
        toByteSize,
      ),
  );
  purge.action(async () => {
    const flags = purge.opts() as StoreFlags & {
      id?: string;
      olderThan?: number;
      maxBytes?: number;
    };
    if (flags.id === undefined && flags.olderThan === undefined && flags.maxBytes === undefined) {
      console.error("iocscan quarantine purge: give --id, --older-than or --max-bytes");
      setExitCode(purge, ExitCode.Error);
      return;
    }
    setExitCode(
      purge,
      await withStore(flags, "purge", (store, out) => purgeEntries(store, out, flags)),
    );
  });

  for (const command of [list, show, restore, purge]) group.addCommand(command);
  program.addCommand(group);
};

type StoreAction = (
  store: QuarantineStore,
  out: OutputWriter,
  flags: StoreFlags,
) => Promise<number>;

/** What a sub-command does when the store's folder does not exist (nothing to open). */
const missingStoreCodes: Readonly<Record<string, number>> = {
  list: ExitCode.Clean,
  show: ExitCode.Error,
  restore: ExitCode.Error,
  purge: ExitCode.Clean,
};

/** Opens the store (recovering what a crash left), runs `action`, closes the store. */
async function withStore(flags: StoreFlags, name: string, action: StoreAction): Promise<number> {
  const out = new OutputWriter();
  const prefix = `iocscan quarantine ${name}`;
  let dir: string;
  let store: OpenedQuarantineStore;
  try {
    dir = quarantineDirOf(flags.quarantineDir);
    if (!await exists(dir)) {
      console.error(safe(`${prefix}: there is no quarantine store at ${dir}`));
      if (flags.json) out.event({ type: "summary", entries: 0, quarantineDir: dir });
      else if (name === "list") out.text(formatQuarantineTable([], dir));
      out.flush();
      return missingStoreCodes[name] ?? ExitCode.Error;
    }
    const { openQuarantineStore } = await import("../../actions/quarantine/mod.ts");
    const faultAfterStep = faultAfterStepOf();
    store = await openQuarantineStore({
      dir,
      ...(faultAfterStep === undefined ? {} : { faultAfterStep }),
    });
  } catch (error) {
    console.error(safe(`${prefix}: cannot open the quarantine store: ${messageOf(error)}`));
    return ExitCode.Error;
  }
  try {
    const recovered = store.recovery;
    for (const id of recovered.finished) {
      console.error(safe(`${prefix}: finished the quarantine of entry ${id} a crash interrupted`));
    }
    for (const id of recovered.rolledBack) {
      console.error(safe(`${prefix}: rolled back ${id}, interrupted by a crash (original kept)`));
    }
    return await action(store, out, flags);
  } catch (error) {
    console.error(safe(`${prefix}: ${dir}: ${messageOf(error)}`));
    return ExitCode.Error;
  } finally {
    out.flush();
    await store.close().catch(() => {});
  }
}

async function listEntries(
  store: QuarantineStore,
  out: OutputWriter,
  flags: StoreFlags,
): Promise<number> {
  const entries = await store.list();
  if (flags.json) {
    for (const entry of entries) out.event(entryEvent(entry));
    out.event({ type: "summary", entries: entries.length, quarantineDir: store.dir });
  } else {
    out.text(formatQuarantineTable(entries, store.dir));
  }
  return ExitCode.Clean;
}

async function showEntry(
  store: QuarantineStore,
  out: OutputWriter,
  flags: StoreFlags,
  id: string,
): Promise<number> {
  const entry = await store.show(id);
  if (entry === undefined) {
    console.error(safe(`iocscan quarantine show: there is no entry ${id} in ${store.dir}`));
    return ExitCode.Error;
  }
  if (flags.json) {
    out.event(entryEvent(entry));
    out.event({ type: "summary", entries: 1, quarantineDir: store.dir });
  } else {
    out.text(formatQuarantineEntry(entry));
  }
  return ExitCode.Clean;
}

async function restoreEntry(
  store: QuarantineStore,
  out: OutputWriter,
  flags: StoreFlags & { to?: string; force?: true },
  id: string,
): Promise<number> {
  const entry = await store.show(id);
  if (entry === undefined) {
    console.error(safe(`iocscan quarantine restore: there is no entry ${id} in ${store.dir}`));
    return ExitCode.Error;
  }
  const restored = await store.restore(id, {
    ...(flags.to === undefined ? {} : { to: flags.to }),
    force: flags.force === true,
  });
  const event: ActionEvent = {
    type: "action",
    action: "quarantine",
    object: restored.path,
    outcome: restored.outcome,
    ...(restored.reason === undefined ? {} : { reason: restored.reason }),
    ...(detailOf(restored.detail, restored.notes) ?? {}),
    iocs: entry.iocs.map(({ id, sha256 }) => ({ id, sha256 })),
    entry: id,
    sha256: entry.sha256,
    time: new Date().toISOString(),
  };
  writeActions(out, flags, [event], store.dir);
  return restored.outcome === "restored" ? ExitCode.Clean : ExitCode.Error;
}

async function purgeEntries(
  store: QuarantineStore,
  out: OutputWriter,
  flags: StoreFlags & { id?: string; olderThan?: number; maxBytes?: number },
): Promise<number> {
  if (flags.id !== undefined && await store.show(flags.id) === undefined) {
    console.error(safe(`iocscan quarantine purge: there is no entry ${flags.id} in ${store.dir}`));
    return ExitCode.Error;
  }
  const { purged } = await store.purge({
    ...(flags.id === undefined ? {} : { id: flags.id }),
    ...(flags.olderThan === undefined ? {} : { olderThanDays: flags.olderThan }),
    ...(flags.maxBytes === undefined ? {} : { maxBytes: flags.maxBytes }),
  });
  const events = purged.map((entry): ActionEvent => ({
    type: "action",
    action: "quarantine",
    object: entry.originalPath,
    outcome: "purged",
    detail: "copy removed by quarantine purge (its record stays)",
    iocs: entry.iocs.map(({ id, sha256 }) => ({ id, sha256 })),
    entry: entry.id,
    sha256: entry.sha256,
    time: new Date().toISOString(),
  }));
  writeActions(out, flags, events, store.dir);
  return ExitCode.Clean;
}

function writeActions(
  out: OutputWriter,
  flags: StoreFlags,
  events: readonly ActionEvent[],
  dir: string,
): void {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.outcome] = (counts[event.outcome] ?? 0) + 1;
  if (flags.json) {
    for (const event of events) out.event(event);
    out.event({ type: "summary", actions: counts, quarantineDir: dir });
  } else if (events.length === 0) {
    out.line("Nothing to purge.");
  } else {
    out.text(formatActionEvents(events));
  }
}

function detailOf(detail: string | undefined, notes: readonly string[]) {
  const words = [...(detail === undefined ? [] : [detail]), ...notes];
  return words.length === 0 ? undefined : { detail: words.join("; ") };
}

/** A store record as its `quarantine-entry` event. */
function entryEvent(entry: QuarantineEntry): QuarantineEntryEvent {
  return { type: "quarantine-entry", ...entry } as QuarantineEntryEvent;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
