/**
 * `iocscan match --ioc PATH... --items FILE`: evaluates IOCs against objects
 * collected beforehand, one JSON object a line (`-` reads stdin).
 *
 * Each line is an object with `"document"` (`FileItem`, `processEvent`…), an
 * optional `"key"` (the object's identity in evidence; `<file>:<line>` when
 * absent) and the fields named as in the search path: nested objects for
 * deeper paths and arrays for repeated elements. The `{"type":"item",…}` lines
 * that `iocscan collect --json` writes are accepted as they are. A bad line is
 * a warning naming its line number; the rest is still evaluated.
 *
 * Exit codes follow the rule of every command (cli/exit_rule.ts): 1 when
 * something was detected, 0 when not, 3 when nothing was detected but an IOC
 * file was rejected, the items file could not be read to its end, or an IOC
 * did not fire and was not ruled out either (its items not evaluated, as a
 * `matches` pattern past the regex limits, or values it could not evaluate on
 * some object, as a `matches` value cut at its text limit: docs/matching.md
 * §3a; scan/completeness.ts), 2 when it could not run (no items file, no IOC
 * loaded). The summary then has `complete: false` and `incomplete[]`, as a
 * scan's.
 *
 * @module
 */
import { stampDetections } from "../../scan/detection_record.ts";
import { Command } from "@commander-js/extra-typings";
import type { RejectedEvent, SummaryEvent, WarningEvent } from "../../contracts/events.ts";
import { compilePlan, parseObservedJson } from "../../engine/mod.ts";
import type { ObservedFields, ObservedItem } from "../../contracts/observed_item.ts";
import { defaultMaxFileBytes, loadIocPaths } from "../../openioc/mod.ts";
import { ExitCode } from "../../contracts/exit_codes.ts";
import { OutputWriter } from "../output/output_writer.ts";
import { loadWarningEvent } from "../../openioc/load_warning_event.ts";
import { exitCodeForInputs, iocSetTally } from "../exit_rule.ts";
import { toByteCount } from "../option_parsers.ts";
import { setExitCode } from "../command_exit_code.ts";
import type { CommandRegistrar } from "./registrar.ts";
import { followIocLinksFlag, followIocLinksHelp } from "./follow_ioc_links.ts";
import { openEvidenceFile } from "../../collectors/evidence_file.ts";
import { escapeTerminalText, formatMatchDiagnostics, formatMatchReport } from "../../report/mod.ts";
import { CompletenessTracker, type IncompleteEntry } from "../../scan/completeness.ts";

/** Lines longer than this are refused (a warning), so one runaway line cannot exhaust memory. */
const maxLineChars = 16 * 1024 * 1024;

/** Registers `iocscan match`. */
export const registerMatch: CommandRegistrar = (program) => {
  const command = new Command("match")
    .description("Evaluate IOCs against pre-collected objects (NDJSON, one object a line)")
    .requiredOption("--ioc <paths...>", "IOC files or folders of .ioc/.xml files")
    .requiredOption("--items <file>", "NDJSON file of observed objects (- for stdin)")
    .option("--json", "write NDJSON events (warning, not-evaluated, detection, summary) to stdout")
    .option(
      "--max-file-size <bytes>",
      `reject IOC files larger than this (default ${defaultMaxFileBytes})`,
      toByteCount,
    )
    .option(followIocLinksFlag, followIocLinksHelp);
  command.action(async (flags) => {
    setExitCode(command, await matchAction(flags));
  });
  program.addCommand(command);
};

interface MatchFlags {
  ioc: string[];
  items: string;
  json?: true;
  maxFileSize?: number;
  followIocLinks?: true;
}

async function matchAction(flags: MatchFlags): Promise<number> {
  let lines: AsyncIterable<string>;
  try {
    lines = openLines(flags.items);
  } catch (error) {
    console.error(escapeTerminalText(`iocscan match: ${flags.items}: ${describeError(error)}`));
    return ExitCode.Error;
  }
  const set = await loadIocPaths(flags.ioc, {
    ...(flags.maxFileSize === undefined ? {} : { maxFileBytes: flags.maxFileSize }),
    followIocLinks: flags.followIocLinks === true,
  });
  const warnings: WarningEvent[] = set.warnings.map(loadWarningEvent);
  const rejected: RejectedEvent[] = set.rejected.map((file) => {
    const event: RejectedEvent = { type: "rejected", file: file.file, error: file.error };
    if (file.line !== undefined) event.line = file.line;
    if (file.column !== undefined) event.column = file.column;
    return event;
  });
  if (set.documents.length === 0) {
    for (const event of rejected) {
      console.error(escapeTerminalText(`iocscan match: ${event.file}: ${event.error}`));
    }
    console.error("iocscan match: no IOC could be loaded");
    return ExitCode.Error;
  }

  // The objects come from the caller (a collect command or another tool): every catalogued term
  // is evaluated, including those no collector of this build produces.
  const plan = compilePlan(set.documents, { objects: "given" });
  warnings.push(...plan.warnings);
  const session = plan.createSession();
  let objects = 0;
  let itemsReadInPart = false;
  const label = flags.items === "-" ? "stdin" : flags.items;
  try {
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      const parsed = parseItemLine(line, lineNumber, label);
      if (parsed === undefined) continue;
      if ("warning" in parsed) {
        warnings.push(parsed.warning);
        continue;
      }
      objects++;
      await session.observe(parsed.item);
    }
  } catch (error) {
    itemsReadInPart = true;
    warnings.push({
      type: "warning",
      code: "items-read-error",
      message: `${label}: reading stopped: ${describeError(error)}`,
      file: label,
    });
  }
  const detections = session.finish();
  // The objects came from a file, not necessarily from this host: no host is claimed.
  stampDetections(detections, set.documents, { time: new Date().toISOString() });
  warnings.push(...session.warnings);
  // IOCs left undecided by values that could not be evaluated on some object: not clean.
  const undecidedOnObjects = session.undecided().filter((entry) => entry.unevaluated.length > 0);
  for (const { ioc, unevaluated } of undecidedOnObjects) {
    for (const { itemId, search, reason, objects: count } of unevaluated) {
      warnings.push({
        type: "warning",
        code: "not-evaluated-on-objects",
        message: `${ioc.file}: IOC ${ioc.id}, item ${itemId} (${search}) could not be evaluated ` +
          `on ${count} object(s): ${reason}; the IOC is neither detected nor ruled out`,
        file: ioc.file,
        iocId: ioc.id,
        itemId,
      });
    }
  }
  // Every object was given, so only items not evaluated leave an IOC undecided.
  const completeness = new CompletenessTracker([]);
  completeness.noteUndecided(session.undecided(), plan.notEvaluated);
  const incomplete: IncompleteEntry[] = [
    ...rejected.map((event): IncompleteEntry => ({
      kind: "input",
      what: event.file,
      why: `--ioc: rejected: ${event.error}`,
    })),
    ...(itemsReadInPart
      ? [{ kind: "input", what: label, why: "--items: reading stopped" } as IncompleteEntry]
      : []),
    ...completeness.entries(),
  ];

  const summary: SummaryEvent = {
    type: "summary",
    iocs: set.documents.length,
    objects,
    detections: detections.length,
    warnings: warnings.length,
    rejected: rejected.length,
    notEvaluated: plan.notEvaluated.length,
    complete: incomplete.length === 0,
    incomplete,
  };
  const out = new OutputWriter();
  if (flags.json === true) {
    for (const event of [...warnings, ...rejected, ...plan.notEvaluated, ...detections, summary]) {
      out.event(event);
    }
  } else {
    for (const line of formatMatchDiagnostics(warnings, rejected, plan.notEvaluated)) {
      console.error(line);
    }
    out.line(formatMatchReport(detections, summary, incomplete));
  }
  out.flush();
  // Inputs: the IOC files and the items file. A rejected IOC file or an items
  // file whose reading stopped makes the run incomplete (3) unless it detected.
  // An IOC left undecided makes it incomplete too: never clean when an IOC could not be evaluated.
  const iocs = iocSetTally(set);
  const itemsInPart = itemsReadInPart;
  const code = exitCodeForInputs({
    inputs: iocs.inputs + 1,
    failed: iocs.failed + (itemsInPart ? 1 : 0),
    detected: detections.length > 0,
  });
  return code === ExitCode.Clean && !summary.complete ? ExitCode.Incomplete : code;
}

/** One line of the items file, read. */
type ParsedLine = { item: ObservedItem } | { warning: WarningEvent };

/**
 * Reads one items line. Blank lines are skipped (undefined); bad lines become
 * warnings naming the line.
 */
export function parseItemLine(
  line: string,
  lineNumber: number,
  label: string,
): ParsedLine | undefined {
  const text = line.trim();
  if (text === "") return undefined;
  const bad = (why: string): ParsedLine => ({
    warning: {
      type: "warning",
      code: "bad-item-line",
      message: `${label}:${lineNumber}: ${why}; line skipped`,
      file: label,
      line: lineNumber,
    },
  });
  if (text.length > maxLineChars) return bad(`line longer than ${maxLineChars} characters`);
  let value: unknown;
  try {
    // Integers beyond 2^53 stay exact (bigints), so an IOC naming one matches only that value.
    value = parseObservedJson(text);
  } catch (error) {
    return bad(`not JSON (${describeError(error)})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return bad("not a JSON object");
  }
  const { document, key, ...fields } = value as Record<string, unknown>;
  if (typeof document !== "string" || document.trim() === "") {
    return bad('no "document" (e.g. "FileItem")');
  }
  if (
    key !== undefined && typeof key !== "string" && typeof key !== "number" &&
    typeof key !== "bigint"
  ) {
    return bad('"key" is not a string');
  }
  // `iocscan collect --json` lines carry "type":"item"; that is not a field.
  if (fields.type === "item") delete fields.type;
  return {
    item: {
      document: document.trim(),
      key: key === undefined ? `${label}:${lineNumber}` : String(key),
      fields: fields as ObservedFields,
    },
  };
}

/** Bytes asked of each read of the items file. */
const itemsChunkBytes = 1024 * 1024;

/**
 * The lines of the items file, or of stdin for `-`. The file is opened as
 * evidence is (collectors/evidence_file.ts): non-blocking, a regular file on
 * the opened descriptor, never one in `/proc` or `/sys` (`/proc/kmsg` would
 * wait for ever, `/proc/self/pagemap` read for gigabytes), and read up to the
 * size the descriptor reported.
 */
function openLines(path: string): AsyncIterable<string> {
  if (path === "-") return splitLines(Deno.stdin.readable);
  const opened = openEvidenceFile(path);
  if (!("readAt" in opened)) {
    throw new Error(opened.reason === "not-found" ? "no such file" : opened.detail);
  }
  let position = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = new Uint8Array(Math.min(itemsChunkBytes, opened.size - position));
      const count = chunk.length === 0 ? 0 : opened.readAt(chunk, position);
      if (count === 0) {
        opened.close();
        controller.close();
        return;
      }
      position += count;
      controller.enqueue(chunk.subarray(0, count));
    },
    cancel() {
      opened.close();
    },
  });
  return splitLines(stream);
}

/** Splits a byte stream into lines (LF or CRLF), decoding UTF-8. */
async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  // A line over the limit is still read to its end, but only its head is kept.
  let overflow = false;
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    let start = 0;
    for (let newline = chunk.indexOf("\n"); newline >= 0; newline = chunk.indexOf("\n", start)) {
      const line = overflow ? pending : pending + chunk.slice(start, newline);
      yield line.endsWith("\r") ? line.slice(0, -1) : line;
      pending = "";
      overflow = false;
      start = newline + 1;
    }
    if (!overflow) {
      pending += chunk.slice(start);
      if (pending.length > maxLineChars) {
        overflow = true;
        pending = pending.slice(0, maxLineChars + 1);
      }
    }
  }
  if (pending !== "") yield pending;
}

function describeError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
