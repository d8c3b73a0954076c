/**
 * The Linux {@linkcode IsolationBackend}: nftables (docs/isolation.md). `apply` replaces our one
 * table in a single `nft -j -f -` transaction (a broken rule set changes nothing), `release`
 * deletes it, `state` reads it back (`nft -j list table`), `severConnections` cuts the sockets of
 * peers the plan does not allow with `ss -K`. The deadline is the kernel's: the armed set's
 * elements time out (nft_ruleset.ts).
 *
 * @example What `--what-if` prints
 * ```ts ignore
 * import { nftablesBackend } from "./nftables_backend.ts";
 * console.log(nftablesBackend().render({ id: "x", expiresAt: "2026-12-07T14:00:00Z", allow: [] }));
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { BackendState, IsolationBackend, IsolationPlan } from "./contract.ts";
import { ISOLATION_TABLE } from "./isolation_limits.ts";
import {
  ARMED_SET,
  deleteTableDocument,
  isolationRuleset,
  RULE_COMMENT_PREFIX,
} from "./nft_ruleset.ts";
import { severFilter } from "./ss_filter.ts";
import { runTool, toolComplaint, type ToolRunner } from "./tool_run.ts";

/** How the backend reaches the host (tests: a recorded runner, a fixed clock). */
export interface NftablesBackendOptions {
  /** Runs `nft` and `ss`. */
  readonly run?: ToolRunner;
  /** The clock the armed elements' timeouts are counted from. */
  readonly clock?: () => Date;
}

/** The nftables backend's extra: the table's owner, read back. */
export interface NftablesState extends BackendState {
  /** Whether our table exists (armed or not: after the deadline it stays, inert, until cleaned). */
  readonly tablePresent: boolean;
  /** The isolation the table was applied for (its first rule's comment). */
  readonly isolationId?: string;
}

/** The Linux backend, with {@linkcode NftablesState} from `state()`. */
export interface NftablesBackend extends IsolationBackend {
  state(): Promise<NftablesState>;
}

/** Creates the nftables backend. */
export function nftablesBackend(options: NftablesBackendOptions = {}): NftablesBackend {
  const run = options.run ?? runTool;
  const clock = options.clock ?? (() => new Date());

  const rulesetHash = (plan: IsolationPlan): string =>
    createHash("sha256").update(JSON.stringify(isolationRuleset(plan, 0))).digest("hex");

  const render = (plan: IsolationPlan): string =>
    JSON.stringify(isolationRuleset(plan, timeoutSeconds(plan, clock()), rulesetHash(plan)));

  return {
    mechanism: "nftables",
    render,
    rulesetHash: (plan) => Promise.resolve(rulesetHash(plan)),
    async apply(plan) {
      const result = await run("nft", ["-j", "-f", "-"], render(plan));
      if (result.code !== 0) {
        throw new Error(`nft refused the rule set, nothing changed: ${toolComplaint(result)}`);
      }
    },
    async severConnections(plan) {
      const result = await run("ss", ["-K", "-H", "-n", "-t", "-u", severFilter(plan.allow)]);
      if (result.code !== 0) {
        throw new Error(`ss -K could not cut the connections: ${toolComplaint(result)}`);
      }
      return result.stdout.split("\n").filter((line) => line.trim() !== "").length;
    },
    async release() {
      const result = await run("nft", ["-j", "-f", "-"], JSON.stringify(deleteTableDocument()));
      if (result.code === 0 || isNoSuchTable(result.stderr)) return;
      throw new Error(
        `nft could not delete table inet ${ISOLATION_TABLE}: ${toolComplaint(result)}`,
      );
    },
    async state() {
      const result = await run("nft", ["-j", "list", "table", "inet", ISOLATION_TABLE]);
      if (result.code !== 0) {
        if (isNoSuchTable(result.stderr)) return { applied: false, tablePresent: false };
        throw new Error(
          `nft could not list table inet ${ISOLATION_TABLE}: ${toolComplaint(result)}`,
        );
      }
      return readTable(result.stdout, clock());
    },
  };
}

/** Seconds from `now` to the plan's deadline (at least 1). */
export function timeoutSeconds(plan: IsolationPlan, now: Date): number {
  const left = Date.parse(plan.expiresAt) - now.getTime();
  if (!Number.isFinite(left)) throw new Error(`the deadline "${plan.expiresAt}" is not a time`);
  if (left <= 0) throw new Error(`the deadline ${plan.expiresAt} has passed`);
  return Math.max(1, Math.ceil(left / 1000));
}

/**
 * Reads `nft -j list table inet iocscan_isolation`. `installedHash` fingerprints the whole table as
 * listed: the chains (type, hook, priority, policy), every rule in order (its expressions and
 * comment), the sets and the members of each, without handles, timeouts or `expires`, so that a
 * rule deleted, an accept inserted or a member of `armed` removed changes it while the clock does
 * not. `expiresAt` is when the FIRST member of `armed` lapses: one member given a shorter timeout
 * opens its protocol early.
 */
export function readTable(text: string, now: Date): NftablesState {
  let objects: Record<string, unknown>[];
  try {
    objects = (JSON.parse(text) as { nftables?: Record<string, unknown>[] }).nftables ?? [];
  } catch {
    throw new Error(`nft printed something that is not JSON: ${text.slice(0, 200)}`);
  }
  let expiresSeconds: number | undefined;
  let armed = 0;
  let comment: string | undefined;
  const fingerprint: unknown[] = [];
  for (const object of objects) {
    const listed = fingerprintOf(object);
    if (listed !== undefined) fingerprint.push(listed);
    const set = object.set as
      | { name?: string; elem?: { elem?: { expires?: number } }[] }
      | undefined;
    if (set?.name === ARMED_SET) {
      for (const element of set.elem ?? []) {
        const expires = element.elem?.expires;
        if (typeof expires !== "number") continue;
        armed++;
        expiresSeconds = Math.min(expiresSeconds ?? expires, expires);
      }
    }
    const rule = object.rule as { comment?: string } | undefined;
    if (comment === undefined && rule?.comment?.startsWith(`${RULE_COMMENT_PREFIX} `)) {
      comment = rule.comment;
    }
  }
  const [, isolationId, hash] = comment?.split(" ") ?? [];
  return {
    applied: armed > 0,
    tablePresent: true,
    installedHash: createHash("sha256").update(JSON.stringify(fingerprint)).digest("hex"),
    ...(hash ? { rulesetHash: hash } : {}),
    ...(isolationId ? { isolationId } : {}),
    ...(expiresSeconds === undefined
      ? {}
      : { expiresAt: new Date(now.getTime() + expiresSeconds * 1000).toISOString() }),
  };
}

/** What of one listed object the fingerprint keeps (undefined: nothing, e.g. `metainfo`). */
function fingerprintOf(object: Record<string, unknown>): unknown {
  const [kind, value] = Object.entries(object)[0] ?? [];
  if (value === null || typeof value !== "object") return undefined;
  const body = value as Record<string, unknown>;
  switch (kind) {
    case "table":
      return { table: [body.family, body.name, body.flags ?? null] };
    case "chain":
      return {
        chain: [body.name, body.type, body.hook, body.prio, body.policy, body.dev ?? null],
      };
    case "rule":
      return { rule: [body.chain, body.comment ?? null, body.expr] };
    case "set":
    case "map": {
      const members = Array.isArray(body.elem)
        ? body.elem.map((element) => JSON.stringify(memberOf(element))).sort()
        : [];
      return { [kind]: [body.name, body.type, body.flags ?? null, body.map ?? null, members] };
    }
    default:
      // Anything else in our table (a counter, a flowtable…) is not ours: it counts too.
      return { [kind ?? "?"]: body };
  }
}

/** A set member without its timeout and `expires`. */
function memberOf(element: unknown): unknown {
  const elem = (element as { elem?: Record<string, unknown> } | null)?.elem;
  if (elem === undefined || elem === null || typeof elem !== "object") return element;
  const { timeout: _timeout, expires: _expires, ...rest } = elem;
  return rest;
}

function isNoSuchTable(stderr: string): boolean {
  return /No such file or directory/i.test(stderr);
}
