/**
 * The endpoint-network collector's descriptor (opt-in: `--endpoint-network`,
 * task key `endpointNetwork`). Without the flag it has no source, so Network
 * items are reported not evaluated (`no-source`) and a scan of Network IOCs
 * alone is incomplete, never clean. With it: Sysmon DNS query events of the
 * offline evidence (.evtx files, mounted roots), or live the Sysmon channel
 * (Windows) and the resolver cache. Live host state is never mixed into an
 * offline scan. docs/matching.md, "Endpoint network mode".
 *
 * @module
 */
import { thisComputerName } from "../../collectors/live/mod.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The option's task key. */
const optionKey = "endpointNetwork";

/** What a scan without `--endpoint-network` says of Network items. */
export const endpointNetworkOptIn = "endpoint network matching is opt-in: --endpoint-network";

/** The endpoint-network collector: Network objects from the names this machine resolved. */
export const networkDescriptor: CollectorDescriptor = {
  name: "network",
  documents: documentsOfCollector("network"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [
    {
      key: optionKey,
      kind: "flag",
      flag: "--endpoint-network",
      help: "match Network/DNS and Network/URI items against the names this machine resolved " +
        "(Sysmon DNS queries, the DNS cache); off by default",
    },
  ],
  async build(task, evidence, platform) {
    if (task.endpointNetwork !== true) return { noSource: endpointNetworkOptIn };
    if (evidence.offline && evidence.evtx.length === 0 && evidence.roots.length === 0) {
      return { noSource: "no .evtx file or mounted root to read Sysmon DNS queries from" };
    }
    const { eventLogSources, liveDefaultDays, sysmonChannel } = await import(
      "../../collectors/eventlog/mod.ts"
    );
    const { createNetworkCollector, dnsCacheNamesFor } = await import(
      "../../collectors/network/mod.ts"
    );
    const until = task.until === undefined ? {} : { until: new Date(task.until) };
    if (evidence.offline) {
      return {
        collector: createNetworkCollector({
          events: eventLogSources({ evtx: [...evidence.evtx], roots: [...evidence.roots] }, true),
          ...(task.since === undefined ? {} : { since: new Date(task.since) }),
          ...until,
        }),
      };
    }
    // Live: Sysmon lives in a Windows channel; the journal has no Sysmon events.
    const since = task.since === undefined
      ? new Date(Date.now() - liveDefaultDays * 86_400_000)
      : new Date(task.since);
    return {
      collector: createNetworkCollector({
        ...(platform === "windows"
          ? { events: eventLogSources({ channels: [sysmonChannel], platform }, true) }
          : {}),
        dnsCache: dnsCacheNamesFor(platform),
        computer: thisComputerName(),
        since,
        ...until,
      }),
    };
  },
};
