/**
 * The collector descriptor: one per collector, shaped like kysely's `Dialect`
 * (an object that says what it is and builds the parts that do the work).
 * It declares the collector's name, the OpenIOC documents it produces, the
 * task options it reads (from which the task file's keys, `scan`'s flags,
 * the `collect <name>` flags and their help are built), where it can read,
 * and `build()`, which makes the collector for one scan or says why it has
 * nothing to read here. The collectors themselves never learn the task
 * file's shape: only their descriptor reads the task.
 *
 * @example A collector that reads nothing but says hello
 * ```ts
 * import type { CollectorDescriptor } from "./collector_descriptor.ts";
 * const hello: CollectorDescriptor = {
 *   name: "hello",
 *   documents: ["HelloItem"],
 *   sources: ["live-windows", "live-linux"],
 *   options: [],
 *   build: () => Promise.resolve({
 *     collector: { name: "hello", documents: ["HelloItem"], async *collect() {} },
 *   }),
 * };
 * ```
 *
 * @module
 */
import type { Collector } from "../collectors/collector.ts";
import type { IocDocument } from "../openioc/model.ts";
import type { ScanTask } from "./scan_task.ts";

/** Where a collector can read: the live system of one platform, or offline evidence. */
export type CollectorSource = "live-windows" | "live-linux" | "offline";

/**
 * How a task option's value is written, and so how the task file, the CLI
 * and PowerShell read it: `strings` a list of strings (a repeatable flag),
 * `string` one string, `count` a positive whole number, `size` a positive
 * whole number of bytes (on the command line also `100MB`, cli/option_parsers.ts),
 * `time` an ISO 8601 time or a span such as `30d` (scan/parse_time.ts), `duration` a span
 * such as `8h` or `1h30m` (actions/isolation/isolation_duration.ts, kept as that text), `flag`
 * true or false.
 */
export type TaskOptionKind =
  | "strings"
  | "string"
  | "count"
  | "size"
  | "time"
  | "duration"
  | "flag";

/** One option a collector reads from the scan task, declared once. */
export interface TaskOption {
  /** The task file's key, e.g. `eventLogs`. */
  readonly key: string;
  readonly kind: TaskOptionKind;
  /** The CLI flag without its value, e.g. `--event-log`. */
  readonly flag: string;
  /** The value's name in help, e.g. `names` (`--event-log <names...>`); none for `flag`. */
  readonly value?: string;
  /** One line of help, shared by `scan --help`, `collect <name> --help` and docs. */
  readonly help: string;
  /**
   * The option names offline evidence files (`strings` only): given, it makes
   * the scan offline (it never reads the live host), its paths are made
   * absolute like the other evidence, and a task file may not give it empty.
   */
  readonly evidence?: true;
  /**
   * The PowerShell parameter that carries it, when the flag's PascalCase would clash with one of
   * PowerShell's own (`--force` → `ForceAction`, as `-Force` means "no questions asked" there).
   */
  readonly powerShellParameter?: string;
}

/** The offline evidence of a scan, classified, with the task's own `evtx`, `hives` and `roots`. */
export interface ScanEvidence {
  readonly evtx: readonly string[];
  readonly hives: readonly string[];
  readonly roots: readonly string[];
  /** Whether the scan reads offline evidence at all (then it never reads the live system). */
  readonly offline: boolean;
  /** The loaded IOC documents (a collector may read only what they name). */
  readonly documents: readonly IocDocument[];
}

/** What `build()` gives: a collector, or why this collector has nothing to read here. */
export type BuildOutcome =
  | { readonly collector: Collector }
  | { readonly noSource: string };

/** Everything a scan, `collect`, the task file and the front ends know of one collector. */
export interface CollectorDescriptor {
  /** The collector's name: `--types`, `-DataType`, skip records, `collect <name>`. */
  readonly name: string;
  /** The OpenIOC documents it produces (the term catalogue names this collector for each). */
  readonly documents: readonly string[];
  /** Where it can read. */
  readonly sources: readonly CollectorSource[];
  /** The task options it reads, in help order. */
  readonly options: readonly TaskOption[];
  /**
   * Makes the collector for one scan. Its modules load here, only when it is
   * selected, so a file scan does not pay for the EVTX and REGF parsers.
   *
   * @param platform `Deno.build.os` of the machine the scan runs on.
   */
  build(task: ScanTask, evidence: ScanEvidence, platform: string): Promise<BuildOutcome>;
}

/** Reads a collector's task option by its key (task files of extension collectors hold more keys). */
export function taskOption(task: ScanTask, key: string): unknown {
  return (task as unknown as Record<string, unknown>)[key];
}
