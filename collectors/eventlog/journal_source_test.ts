import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { recordedCommand } from "../live/command_runner.ts";
import { journalctlArgs, journalEntryToItem, journalSource } from "./journal_source.ts";
import { emptyStats } from "./source.ts";

const recorded = [
  JSON.stringify({
    __CURSOR: "s=1;i=2",
    __REALTIME_TIMESTAMP: "1714557600123456",
    __SEQNUM: "77",
    _HOSTNAME: "web01",
    _SYSTEMD_UNIT: "ssh.service",
    SYSLOG_IDENTIFIER: "sshd",
    MESSAGE: "Accepted publickey for root",
    PRIORITY: "6",
    _PID: "4242",
    _UID: "0",
  }),
  "not json",
  JSON.stringify({
    MESSAGE: [104, 105],
    _COMM: "kernel",
    PRIORITY: "3",
    __REALTIME_TIMESTAMP: "1714557600000000",
  }),
].join("\n");

Deno.test("journalEntryToItem maps unit, identifier, message, pid, uid and times", () => {
  const item = journalEntryToItem(JSON.parse(recorded.split("\n")[0]!));
  strictEqual(item.key, "journal:ssh.service#77");
  deepStrictEqual(item.fields, {
    log: "ssh.service",
    source: "sshd",
    type: "Information",
    category: "",
    machine: "web01",
    user: "0",
    message: "Accepted publickey for root",
    unformattedMessage: { string: ["Accepted publickey for root"] },
    index: 77,
    genTime: "2024-05-01T10:00:00.1234560Z",
    writeTime: "2024-05-01T10:00:00.1234560Z",
    ExecutionProcessId: 4242,
  });
});

Deno.test("journalSource streams recorded lines and warns about bad ones", async () => {
  const warnings: string[] = [];
  const reporter = {
    warning: (w: { code: string }) => warnings.push(w.code),
    skipped: () => {},
    progress: () => {},
  };
  const items: ObservedItem[] = [];
  for await (
    const item of journalSource({ run: recordedCommand(recorded) }).events({
      reporter,
      stats: emptyStats(),
    })
  ) {
    items.push(item as ObservedItem);
  }
  deepStrictEqual(items.map((i) => [i.fields.log, i.fields.message, i.fields.type]), [
    ["ssh.service", "Accepted publickey for root", "Information"],
    ["kernel", "hi", "Error"],
  ]);
  deepStrictEqual(warnings, ["journal-bad-json"]);
  deepStrictEqual(journalctlArgs(new Date(1714557600500), new Date(1714557601000)), [
    "--output=json",
    "--no-pager",
    "--quiet",
    "--since=@1714557600",
    "--until=@1714557601",
  ]);
});

const hasJournalctl = await new Deno.Command("journalctl", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
if (!hasJournalctl) {
  console.error("\n*** SKIPPING the live journalctl test: journalctl is not installed ***\n");
}

Deno.test({
  name: "journalSource reads the real journal of this machine without failing",
  ignore: !hasJournalctl,
  fn: async () => {
    const skipped: string[] = [];
    const reporter = {
      warning: () => {},
      skipped: (s: { detail?: string }) => skipped.push(s.detail ?? ""),
      progress: () => {},
    };
    const stats = emptyStats();
    let n = 0;
    for await (
      const item of journalSource().events({
        reporter,
        stats,
        since: new Date(Date.now() - 3600_000),
      })
    ) {
      ok((item as ObservedItem).key.startsWith("journal:"));
      ok(typeof (item as ObservedItem).fields.log === "string");
      if (++n >= 1000) break;
    }
    // Every parsed line became one item (a container may have an empty journal: then none).
    strictEqual(stats.records, n);
    if (n === 0) {
      console.error(
        `(journalctl returned no entries here: ${skipped.join("; ") || "empty journal"})`,
      );
    }
  },
});
