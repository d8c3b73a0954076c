/**
 * The self-test after an isolation is applied, each half within 5 s: an allowed peer answers (a
 * TCP connect to the first allowed host with a port, else a DNS question to the first DNS server)
 * and a forbidden one does not (`--probe HOST:PORT`, by default TCP 443 of the default gateway).
 * The forbidden target is also tried BEFORE the rules go in ({@linkcode probeForbiddenBefore}):
 * the half passes only when the target answered then and is refused with a reset now (what our
 * TCP reject gives). A target that did not answer before (a closed port that resets by itself, no
 * route, silence) proves nothing about our rules: the half is then "not run" (`passed` absent),
 * with what was seen, as it is with no target at all; never a failure.
 *
 * @module
 */
import { isIP } from "node:net";
import { readCommandOutput } from "../../collectors/live/mod.ts";
import type { AllowRule, IsolationPlan, SelfTestResult } from "./contract.ts";
import {
  DEFAULT_PROBE_PORT,
  SELF_TEST_TIMEOUT_MS,
  TOOL_MAX_BYTES,
  TOOL_TIMEOUT_MS,
} from "./isolation_limits.ts";
import { probeDns, type ProbeResult, probeTcp } from "./peer_probes.ts";
import { inPrefix, specialRange } from "./special_addresses.ts";

/** A forbidden target: an address (resolved before the isolation) and a TCP port. */
export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
}

/** How the self-test runs. */
export interface SelfTestOptions {
  /** `--probe`; absent: TCP {@linkcode DEFAULT_PROBE_PORT} of the default gateway. */
  readonly probe?: ProbeTarget;
  /** Each half's bound. */
  readonly timeoutMs?: number;
  /** Finds the default gateway (default: `ip -j route show default`). */
  readonly gateway?: () => Promise<string | undefined>;
}

/** The forbidden target and what it did before the isolation (see the module). */
export interface ForbiddenBaseline {
  readonly target?: ProbeTarget;
  /** The probe before the rules went in; absent with no target or one the plan allows. */
  readonly before?: ProbeResult;
}

/** The error code of a TCP connect refused with a reset: what our TCP reject gives. */
const RESET_BY_PEER = "ECONNREFUSED";

/**
 * Tries the forbidden target before anything is applied, so that the forbidden half can tell our
 * reject from a target that never answered.
 */
export async function probeForbiddenBefore(
  plan: IsolationPlan,
  options: SelfTestOptions = {},
): Promise<ForbiddenBaseline> {
  const target = await forbiddenTarget(options);
  if (target === undefined || allows(plan.allow, target)) {
    return target === undefined ? {} : { target };
  }
  const timeoutMs = options.timeoutMs ?? SELF_TEST_TIMEOUT_MS;
  return { target, before: await probeTcp(target.address, target.port, timeoutMs) };
}

/** Runs both halves (see the module), after the rules went in. */
export async function runSelfTest(
  plan: IsolationPlan,
  baseline: ForbiddenBaseline,
  options: SelfTestOptions = {},
): Promise<SelfTestResult> {
  const timeoutMs = options.timeoutMs ?? SELF_TEST_TIMEOUT_MS;
  return {
    allowed: await allowedHalf(plan.allow, timeoutMs),
    forbidden: await forbiddenHalf(plan, baseline, timeoutMs),
  };
}

/** The forbidden target the self-test will try, chosen before anything is applied. */
export async function forbiddenTarget(
  options: SelfTestOptions,
): Promise<ProbeTarget | undefined> {
  if (options.probe !== undefined) return options.probe;
  const gateway = await (options.gateway ?? defaultGateway)();
  return gateway === undefined ? undefined : { address: gateway, port: DEFAULT_PROBE_PORT };
}

async function allowedHalf(
  allow: readonly AllowRule[],
  timeoutMs: number,
): Promise<SelfTestResult["allowed"]> {
  // Never a special address: a loopback DNS server (systemd-resolved's stub 127.0.0.53) is
  // answered by this host whatever our rules do, and proves nothing.
  const usable = allow.filter((rule) =>
    !rule.address.includes("/") && specialRange(rule.address) === undefined
  );
  const tcp = usable.find((rule) =>
    rule.port !== undefined && rule.protocol !== "udp" && rule.port !== 53
  );
  if (tcp?.port !== undefined) {
    const result = await probeTcp(tcp.address, tcp.port, timeoutMs);
    return {
      target: `${hostPort(tcp.address, tcp.port)}/tcp`,
      passed: result.outcome === "answered",
      ms: result.ms,
      detail: result.detail,
    };
  }
  const dns = usable.find((rule) => rule.port === 53 && rule.protocol === "udp");
  if (dns !== undefined) {
    const result = await probeDns(dns.address, timeoutMs);
    return {
      target: `${hostPort(dns.address, 53)}/udp (dns)`,
      passed: result.outcome === "answered",
      ms: result.ms,
      detail: result.detail,
    };
  }
  return {
    passed: true,
    detail: "not run: no allowed peer with a port and no DNS server off this host to try",
  };
}

async function forbiddenHalf(
  plan: IsolationPlan,
  baseline: ForbiddenBaseline,
  timeoutMs: number,
): Promise<SelfTestResult["forbidden"]> {
  const { target, before } = baseline;
  if (target === undefined) {
    return { detail: "not run: no --probe and no default gateway" };
  }
  const described = `${hostPort(target.address, target.port)}/tcp`;
  if (allows(plan.allow, target) || before === undefined) {
    return { target: described, detail: "not run: the allow-list allows this target" };
  }
  const result = await probeTcp(target.address, target.port, timeoutMs);
  if (result.outcome === "answered") {
    return {
      target: described,
      passed: false,
      ms: result.ms,
      detail: "it answered: the isolation does not hold",
    };
  }
  if (before.outcome === "answered" && result.detail === RESET_BY_PEER) {
    return { target: described, passed: true, ms: result.ms, detail: result.detail };
  }
  return {
    target: described,
    ms: result.ms,
    detail: before.outcome === "answered"
      ? `not proven: it answered before the isolation, and now ${result.detail}, not the reset ` +
        `our reject gives`
      : `not proven: it did not answer before the isolation either (${before.detail}); now ` +
        result.detail,
  };
}

/** Whether a rule of `allow` lets TCP to `target` through (exact address or prefix). */
export function allows(allow: readonly AllowRule[], target: ProbeTarget): boolean {
  return allow.some((rule) =>
    (rule.port === undefined || rule.port === target.port) && rule.protocol !== "udp" &&
    inPrefix(target.address, rule.address)
  );
}

function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The default IPv4 (else IPv6) gateway, from `ip -j route show default` (bounded). */
export async function defaultGateway(): Promise<string | undefined> {
  for (const family of ["-4", "-6"]) {
    const output = await readCommandOutput("ip", [family, "-j", "route", "show", "default"], {
      maxBytes: TOOL_MAX_BYTES,
      timeoutMs: TOOL_TIMEOUT_MS,
    });
    if (!output.ok) continue;
    try {
      const routes = JSON.parse(output.text) as { gateway?: unknown }[];
      const gateway = routes.find((route) => typeof route.gateway === "string")?.gateway;
      if (typeof gateway === "string" && !gateway.includes("%")) return gateway;
    } catch {
      continue;
    }
  }
  return undefined;
}
