/**
 * A backend that keeps its "rules" in memory, for the service and action tests (test-only): what
 * was applied, whether it is armed, and a switch that makes `apply` fail.
 *
 * @module
 */
import type { IsolationPlan } from "./contract.ts";
import type { NftablesBackend, NftablesState } from "./nftables_backend.ts";

/** The fake and what it holds. */
export interface FakeBackend extends NftablesBackend {
  held: IsolationPlan | undefined;
  failApply: boolean;
  calls: string[];
}

/** A fresh fake backend. */
export function fakeBackend(): FakeBackend {
  const backend: FakeBackend = {
    held: undefined,
    failApply: false,
    calls: [],
    mechanism: "fake",
    render: (plan) => JSON.stringify(plan),
    rulesetHash: (plan) => Promise.resolve(`hash-of-${plan.allow.length}-rules`),
    apply(plan) {
      backend.calls.push(`apply ${plan.expiresAt}`);
      if (backend.failApply) return Promise.reject(new Error("nft refused the rule set"));
      backend.held = plan;
      return Promise.resolve();
    },
    severConnections() {
      backend.calls.push("sever");
      return Promise.resolve(2);
    },
    release() {
      backend.calls.push("release");
      backend.held = undefined;
      return Promise.resolve();
    },
    state(): Promise<NftablesState> {
      return Promise.resolve(
        backend.held === undefined
          ? { applied: false, tablePresent: false }
          : { applied: true, tablePresent: true, isolationId: backend.held.id },
      );
    },
  };
  return backend;
}
