/**
 * The event log collector's descriptor: .evtx files and mounted roots of
 * offline evidence, or live channels (wevtutil on Windows, the systemd
 * journal on Linux).
 *
 * @module
 */
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The event log collector: EventLogItem objects and the HX events mapped from them. */
export const eventLogDescriptor: CollectorDescriptor = {
  name: "eventlog",
  documents: documentsOfCollector("eventlog"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [
    {
      key: "eventLogs",
      kind: "strings",
      flag: "--event-log",
      value: "names",
      help: "live event log channels (default Application System Security)",
    },
    {
      key: "since",
      kind: "time",
      flag: "--since",
      value: "time",
      help: "event time window start: ISO 8601 (UTC when no zone) or a span such as 30d",
    },
    {
      key: "until",
      kind: "time",
      flag: "--until",
      value: "time",
      help: "event time window end: ISO 8601 (UTC when no zone) or a span such as 1d",
    },
  ],
  async build(task, evidence) {
    const { createEventLogCollector } = await import("../../collectors/eventlog/mod.ts");
    return {
      collector: createEventLogCollector({
        evtx: [...evidence.evtx],
        roots: [...evidence.roots],
        channels: task.eventLogs ?? [],
        ...(task.since === undefined ? {} : { since: new Date(task.since) }),
        ...(task.until === undefined ? {} : { until: new Date(task.until) }),
      }),
    };
  },
};
