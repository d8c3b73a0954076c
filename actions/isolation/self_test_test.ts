import { ok, strictEqual } from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { probeForbiddenBefore, runSelfTest } from "./self_test.ts";

const plan = { id: "t", expiresAt: "2099-01-01T00:00:00.000Z", allow: [] };

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, port: (server.address() as { port: number }).port };
}

async function closed(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

Deno.test("the forbidden half passes only when the target answered before and is reset now", async () => {
  const { server, port } = await listening();
  const options = { probe: { address: "127.0.0.1", port }, timeoutMs: 1_000 };
  const baseline = await probeForbiddenBefore(plan, options);
  strictEqual(baseline.before?.outcome, "answered");
  await closed(server); // what our reject does to it: a reset
  const result = await runSelfTest(plan, baseline, options);
  strictEqual(result.forbidden.passed, true, JSON.stringify(result.forbidden));
});

Deno.test("a forbidden target that refused before the isolation too proves nothing: not run", async () => {
  const { server, port } = await listening();
  await closed(server);
  const options = { probe: { address: "127.0.0.1", port }, timeoutMs: 1_000 };
  const baseline = await probeForbiddenBefore(plan, options);
  strictEqual(baseline.before?.outcome, "refused");
  const result = await runSelfTest(plan, baseline, options);
  strictEqual(result.forbidden.passed, undefined, JSON.stringify(result.forbidden));
  ok(/did not answer before the isolation/.test(result.forbidden.detail ?? ""));
});

Deno.test("a forbidden target that still answers fails the half", async () => {
  const { server, port } = await listening();
  try {
    const options = { probe: { address: "127.0.0.1", port }, timeoutMs: 1_000 };
    const result = await runSelfTest(plan, await probeForbiddenBefore(plan, options), options);
    strictEqual(result.forbidden.passed, false);
  } finally {
    await closed(server);
  }
});

Deno.test("the allowed half never tries a loopback DNS server (this host answers it, e.g. systemd-resolved's stub)", async () => {
  const stub = { address: "127.0.0.53", port: 53, protocol: "udp" as const, why: "stub" };
  const upstream = { address: "192.0.2.53", port: 53, protocol: "udp" as const, why: "upstream" };
  const options = { gateway: () => Promise.resolve(undefined), timeoutMs: 200 };
  const onlyStub = { ...plan, allow: [stub] };
  const alone = await runSelfTest(onlyStub, await probeForbiddenBefore(onlyStub, options), options);
  strictEqual(alone.allowed.target, undefined, JSON.stringify(alone.allowed));
  ok(/not run/.test(alone.allowed.detail ?? ""), alone.allowed.detail);
  const both = { ...plan, allow: [stub, upstream] };
  const next = await runSelfTest(both, await probeForbiddenBefore(both, options), options);
  strictEqual(next.allowed.target, "192.0.2.53:53/udp (dns)");
});
