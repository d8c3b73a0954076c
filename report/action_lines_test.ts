import { ok, strictEqual } from "node:assert/strict";
import { formatActionEvents } from "./action_lines.ts";
import { formatQuarantineEntry, formatQuarantineTable } from "./quarantine_table.ts";
import type { QuarantineEntry } from "../actions/quarantine/contract.ts";

const hostile = "/srv/evil\u001b[2J\u202e.exe";

Deno.test("formatActionEvents counts the outcomes and escapes paths, reasons and details", () => {
  const text = formatActionEvents([
    {
      type: "action",
      action: "quarantine",
      object: hostile,
      outcome: "quarantined",
      entry: "20261207T055143Z-8b4da513",
      detail: "line\nbreak",
      time: "",
    },
    {
      type: "action",
      action: "quarantine",
      object: "/srv/big",
      outcome: "refused",
      reason: "too-large",
      time: "",
    },
  ]);
  ok(text.startsWith("Actions: 2 (quarantined 1, refused 1)\n"), text);
  ok(text.includes("too-large"), text);
  strictEqual([...text].some((char) => char === "\u001b" || char === "\u202e"), false, text);
  ok(text.includes("\\x1b[2J"), text);
  ok(text.includes("line\\x0abreak"), text);
});

Deno.test("formatQuarantineTable and formatQuarantineEntry escape what the store holds", () => {
  const entry: QuarantineEntry = {
    id: "20261207T055143Z-8b4da513",
    originalPath: hostile,
    sha256: "a".repeat(64),
    md5: "b".repeat(32),
    sha1: "c".repeat(40),
    size: 42,
    state: "quarantined",
    metadata: {
      kind: "linux",
      uid: 0,
      gid: 0,
      mode: 0o4755,
      accessed: "2026-12-07T00:00:00.000000000Z",
      modified: "2026-12-07T00:00:00.000000000Z",
      changed: "2026-12-07T00:00:00.000000000Z",
      xattrs: [],
      flags: { immutable: false, appendOnly: false },
    },
    streams: [],
    hardLinks: 2,
    iocs: [{ id: "ioc\u0007", sha256: "d".repeat(64), name: "Evil" }],
    runId: 3,
    host: "ws01",
    quarantinedAt: "2026-12-07T05:51:43.000Z",
    history: [{ state: "quarantined", at: "2026-12-07T05:51:43.000Z", detail: "ok\r" }],
    notes: ["note\u001b"],
  };
  for (const text of [formatQuarantineTable([entry], "/var/q"), formatQuarantineEntry(entry)]) {
    const controls = [...text].filter((char) => (char < " " && char !== "\n") || char === "\u202e");
    strictEqual(controls.length, 0, text);
    ok(text.includes("20261207T055143Z-8b4da513"), text);
  }
  ok(formatQuarantineEntry(entry).includes("mode 4755"));
  ok(formatQuarantineEntry(entry).includes("2 names: hard links"));
  strictEqual(formatQuarantineTable([], "/var/q"), "No entries in the quarantine store /var/q.\n");
});
