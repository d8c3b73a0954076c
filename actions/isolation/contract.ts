/**
 * The shapes the isolation's parts agree on: the plan (what to allow, until when), the backend
 * interface each platform implements (nftables on Linux, the Windows Filtering Platform on
 * Windows), and the state and audit records kept in the results store. docs/isolation.md states
 * the guarantees and defaults.
 *
 * @module
 */

/** One allowed peer, resolved to an address before any block is applied. */
export interface AllowRule {
  /** An IPv4 or IPv6 address, or a CIDR prefix (`10.0.0.0/8`, `fd00::/8`). */
  readonly address: string;
  /** The remote port; absent: every port. */
  readonly port?: number;
  /** The transport; absent: every protocol. */
  readonly protocol?: "tcp" | "udp";
  /** Why it is allowed, for `--what-if` and the audit (`dns server from /etc/resolv.conf`…). */
  readonly why: string;
}

/** Everything a backend needs to isolate the host. */
export interface IsolationPlan {
  /** The isolation's id (stable for its life: extend and release name it). */
  readonly id: string;
  /** When the isolation lifts by itself, ISO 8601 UTC. */
  readonly expiresAt: string;
  /** The allow-list, already resolved (loopback, DHCP and neighbour discovery are the backend's). */
  readonly allow: readonly AllowRule[];
}

/** What the backend holds on the host right now. */
export interface BackendState {
  /** Whether our rules are in place. */
  readonly applied: boolean;
  /** The hash of the rule set in place (the audit's `rulesetHash`). */
  readonly rulesetHash?: string;
  /**
   * When the kernel (or the release task) lifts it, as the host says, ISO 8601 UTC: the earliest
   * moment any part of it lapses.
   */
  readonly expiresAt?: string;
  /**
   * A fingerprint of our rules as the host lists them now (their structure and members, no
   * timeouts or handles), when the backend can read them back. The service records it right
   * after each apply; the tamper check re-applies when the host's fingerprint differs.
   */
  readonly installedHash?: string;
}

/** One platform's way to block and release (Linux: nftables; Windows: WFP). */
export interface IsolationBackend {
  /** The platform mechanism, for the audit (`nftables`, `wfp`). */
  readonly mechanism: string;
  /** The exact rule set `apply` would install, for `--what-if` (JSON or a filter list). */
  render(plan: IsolationPlan): string;
  /** The hash of what `render` gives (SHA-256 hex): the audit names rule sets by it. */
  rulesetHash(plan: IsolationPlan): Promise<string>;
  /** Applies the rule set atomically: on failure nothing changed. */
  apply(plan: IsolationPlan): Promise<void>;
  /** Cuts existing connections to peers the plan does not allow; returns how many. */
  severConnections(plan: IsolationPlan): Promise<number>;
  /** Removes our rules; succeeds when they are already gone. */
  release(): Promise<void>;
  state(): Promise<BackendState>;
}

/** The steps the audit records. */
export type IsolationStep =
  | "apply"
  | "self-test"
  | "extend"
  | "release"
  | "auto-release"
  | "rollback"
  | "tamper-reapply"
  | "boot-reapply"
  | "boot-cleanup";

/** One audit record (kept in the results store; `isolation status` and `results` show them). */
export interface IsolationAuditRecord {
  readonly isolationId: string;
  readonly step: IsolationStep;
  readonly at: string;
  /** Who: the user (or SYSTEM/root task) that ran the command. */
  readonly who: string;
  /** Why: the reason text, the IOC ids and run id that asked for it. */
  readonly reason?: string;
  readonly iocIds?: readonly string[];
  readonly runId?: number;
  readonly rulesetHash?: string;
  /** The self-test's result, when the step ran one. */
  readonly selfTest?: SelfTestResult;
  readonly outcome: "ok" | "failed";
  readonly detail?: string;
}

/** Both halves of the self-test. */
export interface SelfTestResult {
  /** An allowed peer answered (the first one tried, or why none could be). */
  readonly allowed: {
    readonly target?: string;
    readonly passed: boolean;
    readonly ms?: number;
    readonly detail?: string;
  };
  /** A forbidden peer did not; `passed: undefined` when there was no target (not run). */
  readonly forbidden: {
    readonly target?: string;
    readonly passed?: boolean;
    readonly ms?: number;
    readonly detail?: string;
  };
}
