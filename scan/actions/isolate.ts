/**
 * The isolate action's descriptor (docs/actions.md, docs/isolation.md): its task options and the
 * action a scan runs when it has a detection — the isolation of actions/isolation/ over the
 * scan's own results store (its state and audit there, a `postgres://` store's host allowed), with
 * the run id and the detecting IOCs' ids in its audit. Without a results store, or on a scan of
 * offline evidence, it cannot act, and says so.
 *
 * @module
 */
import type { ActionBuildContext, ActionDescriptor } from "../action_descriptor.ts";
import type { ScanTask } from "../scan_task.ts";
import { parseAllowSpec, parseProbeSpec } from "../../actions/isolation/allow_spec.ts";
import { readIsolationDuration } from "../../actions/isolation/isolation_duration.ts";
import { DEFAULT_ISOLATION_MS } from "../../actions/isolation/isolation_limits.ts";

/** What an option's problem looks like: the flag, then the problem. */
function problemOf(flag: string, read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    return `${flag}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Why the isolation cannot act for this scan, or nothing when it can. */
function unusableReason(context: ActionBuildContext): string | undefined {
  if (context.offline) {
    return "a scan of offline evidence never changes this host (its detections are the evidence's)";
  }
  if (context.results === undefined) {
    return "the scan keeps no results store, and the isolation's state and audit live there " +
      "(docs/isolation.md)";
  }
  return undefined;
}

/** Isolate the host from the network for a set time when the run has a detection. */
export const isolateActionDescriptor: ActionDescriptor = {
  name: "isolate",
  help: "isolate this host from the network for a set time when the run has a detection, " +
    "except loopback, DHCP, neighbour discovery, its DNS servers, the results database and " +
    "--isolation-allow",
  options: [
    {
      key: "isolationDuration",
      kind: "duration",
      flag: "--isolation-duration",
      value: "span",
      help: "how long the isolation lasts: 1m to 9999h, such as 8h, 90m, 1h30m (default 8h)",
    },
    {
      key: "isolationAllow",
      kind: "strings",
      flag: "--isolation-allow",
      value: "peers",
      help: "also allow these peers, HOST[:PORT][/PROTO] each (a name is resolved to every " +
        "A/AAAA address before anything is blocked)",
    },
    {
      key: "isolationProbe",
      kind: "string",
      flag: "--isolation-probe",
      value: "host:port",
      help: "the forbidden target of the isolation's self-test (default: TCP 443 of the " +
        "default gateway)",
    },
    {
      key: "isolationReason",
      kind: "string",
      flag: "--isolation-reason",
      value: "text",
      help: "why, for the isolation's audit (default: the detecting IOCs' names)",
    },
  ],
  check(task: ScanTask) {
    const problems = [
      ...(task.isolationAllow ?? []).map((text) =>
        problemOf("--isolation-allow", () => parseAllowSpec(text))
      ),
      task.isolationProbe === undefined
        ? undefined
        : problemOf("--isolation-probe", () => parseProbeSpec(task.isolationProbe!)),
      task.isolationDuration === undefined ? undefined : problemOf("--isolation-duration", () => {
        const reading = readIsolationDuration(task.isolationDuration!);
        if ("problem" in reading) throw new Error(reading.problem);
      }),
    ].filter((problem) => problem !== undefined);
    return problems.length === 0 ? undefined : problems.join("; ");
  },
  async build(task, context) {
    const unusable = unusableReason(context);
    if (unusable !== undefined) return { unusable };
    const results = context.results!;
    const isolation = await import("../../actions/isolation/mod.ts");
    let backend;
    try {
      // Windows' release and boot tasks name the store, as the Linux units do (never a password).
      backend = isolation.hostIsolationBackend(
        context.platform as typeof Deno.build.os,
        results.named ? { taskTail: ["--db", results.location] } : {},
      );
    } catch (error) {
      return { unusable: error instanceof Error ? error.message : String(error) };
    }
    const duration = task.isolationDuration === undefined
      ? { ms: DEFAULT_ISOLATION_MS }
      : readIsolationDuration(task.isolationDuration);
    if ("problem" in duration) return { unusable: duration.problem };
    const probe = await probeTarget(task.isolationProbe);
    const place = isolation.isolationStatePlace(undefined);
    return {
      action: isolation.createIsolationAction({
        store: results.store,
        storeLocation: results.location,
        backend,
        durationMs: duration.ms,
        allow: (task.isolationAllow ?? []).map(parseAllowSpec),
        ...(task.isolationReason === undefined ? {} : { reason: task.isolationReason }),
        ...(probe === undefined ? {} : { selfTest: { probe } }),
        who: `${isolation.whoAmI()} (scan)`,
        // The boot and tamper tasks keep the isolation from this local record when the store
        // cannot be opened (docs/isolation.md, "Without the store"), as after `iocscan isolate`.
        localRecord: place,
        installTasks: () =>
          isolation.installHostTasks(
            results.named ? results.location : undefined,
            undefined,
            place.folder,
          ),
      }),
    };
  },
};

/** `--isolation-probe` resolved to one address, as `isolate --probe` does. */
async function probeTarget(
  text: string | undefined,
): Promise<{ address: string; port: number } | undefined> {
  if (text === undefined) return undefined;
  const spec = parseProbeSpec(text);
  const { buildIsolationPlan, DEFAULT_ISOLATION_MS: ms } = await import(
    "../../actions/isolation/mod.ts"
  );
  const resolved = await buildIsolationPlan({
    durationMs: ms,
    allow: [spec],
    dns: { servers: [], problems: [] },
  });
  const address = resolved.plan.allow[0]?.address;
  return address === undefined ? undefined : { address, port: spec.port };
}
