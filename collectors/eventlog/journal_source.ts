/**
 * Live Linux source: the systemd journal through `journalctl --output=json`,
 * time-filtered, each entry mapped to an EventLogItem.
 *
 * @module
 */
import type { ObservedFields, ObservedItem, Provenance } from "../../contracts/observed_item.ts";
import { type CommandRunner, spawnCommand } from "../live/command_runner.ts";
import type { EventLogSource, SourceContext } from "./source.ts";
import { eventLogCollectorName } from "./collector_name.ts";

const collector = eventLogCollectorName;

/** Options of {@linkcode journalSource}. */
export interface JournalSourceOptions {
  /** The journalctl executable. Default `journalctl`. */
  command?: string;
  /** How to run it (tests pass recorded output). */
  run?: CommandRunner;
}

/** The journalctl arguments for a window (`@<unix seconds>` is journalctl's exact time form). */
export function journalctlArgs(since?: Date, until?: Date): string[] {
  const args = ["--output=json", "--no-pager", "--quiet"];
  if (since) args.push(`--since=@${Math.floor(since.getTime() / 1000)}`);
  if (until) args.push(`--until=@${Math.ceil(until.getTime() / 1000)}`);
  return args;
}

/** journald PRIORITY (syslog severity) as an event type name. */
function priorityName(priority: string | undefined): string {
  switch (priority) {
    case "0":
    case "1":
    case "2":
      return "Critical";
    case "3":
      return "Error";
    case "4":
      return "Warning";
    case "7":
      return "Verbose";
    default:
      return "Information";
  }
}

/** A journal field as text: journald writes binary fields as byte arrays. */
function fieldText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "number")) {
      return new TextDecoder().decode(new Uint8Array(value as number[]));
    }
    const first = value.find((v) => typeof v === "string");
    return typeof first === "string" ? first : undefined;
  }
  return undefined;
}

function microsToIso(text: string | undefined): string | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  const micros = BigInt(text);
  const date = new Date(Number(micros / 1000n));
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, -1)}${String(micros % 1000n).padStart(3, "0")}0Z`;
}

/**
 * Maps one journal entry (a parsed `journalctl --output=json` line) to an
 * EventLogItem: log = systemd unit or syslog identifier, source = syslog
 * identifier or command name, message, pid, uid, timestamps.
 *
 * @example
 * ```ts
 * import { journalEntryToItem } from "./journal_source.ts";
 * const item = journalEntryToItem({ _SYSTEMD_UNIT: "ssh.service", SYSLOG_IDENTIFIER: "sshd",
 *   MESSAGE: "Accepted publickey", _PID: "42", __REALTIME_TIMESTAMP: "1700000000000000" });
 * // item.fields.log === "ssh.service", item.fields.ExecutionProcessId === 42
 * ```
 */
export function journalEntryToItem(entry: Record<string, unknown>): ObservedItem {
  const text = (name: string) => fieldText(entry[name]);
  const identifier = text("SYSLOG_IDENTIFIER");
  const log = text("_SYSTEMD_UNIT") ?? identifier ?? text("_COMM") ?? "journal";
  const message = text("MESSAGE") ?? "";
  const seqnum = Number(text("__SEQNUM") ?? NaN);
  const fields: ObservedFields = {
    log,
    source: identifier ?? text("_COMM") ?? "",
    type: priorityName(text("PRIORITY")),
    category: text("SYSLOG_FACILITY") ?? "",
    machine: text("_HOSTNAME") ?? "",
    user: text("_UID") ?? "",
    message,
    unformattedMessage: { string: [message] },
  };
  if (Number.isFinite(seqnum)) fields.index = seqnum;
  const written = microsToIso(text("__REALTIME_TIMESTAMP"));
  const generated = microsToIso(text("_SOURCE_REALTIME_TIMESTAMP")) ?? written;
  if (generated) fields.genTime = generated;
  if (written) fields.writeTime = written;
  const pid = Number(text("_PID") ?? NaN);
  if (Number.isFinite(pid)) fields.ExecutionProcessId = pid;
  const cursor = text("__CURSOR");
  const key = `journal:${log}#${Number.isFinite(seqnum) ? seqnum : cursor ?? written ?? ""}`;
  const provenance: Provenance = {};
  if (generated) provenance.time = generated;
  const host = text("_HOSTNAME");
  if (host) provenance.computer = host;
  return { document: "EventLogItem", key, fields, provenance };
}

/** Reads the systemd journal. */
export function journalSource(options: JournalSourceOptions = {}): EventLogSource {
  const run = options.run ?? spawnCommand;
  const command = options.command ?? "journalctl";
  return {
    name: "journal",
    async *events(context: SourceContext): AsyncGenerator<ObservedItem> {
      let running;
      try {
        running = run(command, journalctlArgs(context.since, context.until), context.signal);
      } catch (error) {
        context.reporter.skipped({
          collector,
          object: "live:journal",
          reason: "unsupported",
          detail: `cannot run ${command}: ${error}`,
        });
        return;
      }
      context.stats.files++;
      const decoder = new TextDecoder();
      let buffer = "";
      let line = 0;
      const parse = function* (text: string): Generator<ObservedItem> {
        line++;
        if (text.trim() === "") return;
        let entry: unknown;
        try {
          entry = JSON.parse(text);
        } catch {
          context.stats.warnings++;
          context.reporter.warning({
            collector,
            code: "journal-bad-json",
            message: "live:journal: a journal line is not JSON",
            place: `line ${line}`,
          });
          return;
        }
        if (entry && typeof entry === "object") {
          context.stats.records++;
          yield journalEntryToItem(entry as Record<string, unknown>);
        }
      };
      for await (const bytes of running.stdout) {
        buffer += decoder.decode(bytes, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          yield* parse(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      }
      yield* parse(buffer + decoder.decode());
      const { code, stderr } = await running.finished;
      if (code !== 0) {
        context.reporter.skipped({
          collector,
          object: "live:journal",
          reason: "unreadable",
          detail: `journalctl exited with ${code}: ${stderr.trim()}`,
        });
      }
    },
  };
}
