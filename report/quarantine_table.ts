/**
 * The human forms of `iocscan quarantine`: the list of entries and one entry's record. Every
 * path, name and note (they come from the store, and a path from an attacker's file system) is
 * escaped for the terminal.
 *
 * @module
 */
import type { QuarantineEntry } from "../actions/quarantine/contract.ts";
import { escapeTerminalText as safe } from "./terminal_text.ts";
import { alignedRows, plural, type TableColumn } from "./text_table.ts";

const entryColumns: readonly TableColumn[] = [
  { title: "ID", numeric: false },
  { title: "STATE", numeric: false },
  { title: "SIZE", numeric: true },
  { title: "QUARANTINED (UTC)", numeric: false },
  { title: "RUN", numeric: true },
  { title: "ORIGINAL PATH", numeric: false },
];

/** The entries as an aligned table, oldest first, with a line naming the store. */
export function formatQuarantineTable(entries: readonly QuarantineEntry[], dir: string): string {
  if (entries.length === 0) return `No entries in the quarantine store ${safe(dir)}.\n`;
  const rows = [...entries]
    .sort((a, b) => a.quarantinedAt.localeCompare(b.quarantinedAt))
    .map((entry) => [
      safe(entry.id),
      safe(entry.state),
      String(entry.size),
      safe(entry.quarantinedAt.replace("T", " ").replace(/\.\d+Z$/, "Z")),
      entry.runId === undefined ? "-" : String(entry.runId),
      safe(entry.originalPath),
    ]);
  return [
    ...alignedRows(entryColumns, rows),
    "",
    `${plural(entries.length, "entry")} in ${safe(dir)}. ` +
    "Show one with: iocscan quarantine show ID; restore it with: iocscan quarantine restore ID",
    "",
  ].join("\n");
}

/** One entry's record: path, hashes, state, IOCs, metadata, streams, history and notes. */
export function formatQuarantineEntry(entry: QuarantineEntry): string {
  const lines = [
    `Entry ${safe(entry.id)} · ${safe(entry.state)}`,
    `  original path  ${safe(entry.originalPath)}`,
    `  size           ${entry.size} bytes${
      entry.hardLinks > 1 ? ` (${entry.hardLinks} names: hard links)` : ""
    }`,
    `  sha256         ${safe(entry.sha256)}`,
    `  sha1           ${safe(entry.sha1)}`,
    `  md5            ${safe(entry.md5)}`,
    `  quarantined    ${safe(entry.quarantinedAt)} on ${safe(entry.host)}${
      entry.runId === undefined ? "" : ` (run ${entry.runId})`
    }`,
    `  metadata       ${safe(metadataLine(entry.metadata))}`,
  ];
  if (entry.streams.length > 0) {
    lines.push(
      `  streams        ${
        entry.streams.map((stream) => safe(`${stream.name} (${stream.size} bytes)`)).join(", ")
      }`,
    );
  }
  lines.push("", `IOCs: ${entry.iocs.length}`);
  for (const ioc of entry.iocs) lines.push(safe(`  ${ioc.name} [${ioc.id}] sha256 ${ioc.sha256}`));
  lines.push("", "History:");
  for (const step of entry.history) {
    lines.push(safe(`  ${step.at}  ${step.state}${step.detail ? `  ${step.detail}` : ""}`));
  }
  if (entry.notes.length > 0) {
    lines.push("", "Notes:", ...entry.notes.map((note) => `  ${safe(note)}`));
  }
  lines.push("");
  return lines.join("\n");
}

function metadataLine(metadata: QuarantineEntry["metadata"]): string {
  if (metadata.kind === "windows") {
    return `attributes 0x${metadata.attributes.toString(16)}, ${metadata.sddl}`;
  }
  const flags = [
    ...(metadata.flags.immutable ? ["immutable"] : []),
    ...(metadata.flags.appendOnly ? ["append-only"] : []),
  ];
  return `uid ${metadata.uid}, gid ${metadata.gid}, mode ${
    metadata.mode.toString(8).padStart(4, "0")
  }, modified ${metadata.modified}, ${metadata.xattrs.length} xattr(s)${
    flags.length > 0 ? `, ${flags.join(", ")}` : ""
  }`;
}
