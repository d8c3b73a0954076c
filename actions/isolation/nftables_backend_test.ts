import {
  deepStrictEqual,
  notStrictEqual,
  ok,
  rejects,
  strictEqual,
  throws,
} from "node:assert/strict";
import { hostIsolationBackend } from "./host_backend.ts";
import { nftablesBackend, readTable, timeoutSeconds } from "./nftables_backend.ts";
import type { ToolResult } from "./tool_run.ts";

const plan = {
  id: "0f8fad5b-d9cb-469f-a165-70867728950e",
  expiresAt: "2026-12-07T08:00:00.000Z",
  allow: [{ address: "10.9.0.10", port: 8443, protocol: "tcp" as const, why: "mgmt" }],
};
const now = new Date("2026-12-07T06:00:00.000Z");

function recorded(results: ToolResult[]) {
  const calls: { command: string; args: readonly string[]; stdin?: string }[] = [];
  const run = (command: string, args: readonly string[], stdin?: string) => {
    calls.push({ command, args, ...(stdin === undefined ? {} : { stdin }) });
    return Promise.resolve(results.shift() ?? { code: 0, stdout: "", stderr: "" });
  };
  return { run, calls };
}

Deno.test("nftablesBackend applies the rendered JSON on stdin and says when nft refuses it", async () => {
  const tools = recorded([{ code: 0, stdout: "", stderr: "" }, {
    code: 1,
    stdout: "",
    stderr: "Error: syntax error",
  }]);
  const backend = nftablesBackend({ run: tools.run, clock: () => now });
  await backend.apply(plan);
  deepStrictEqual(tools.calls[0]?.args, ["-j", "-f", "-"]);
  const sent = JSON.parse(tools.calls[0]?.stdin ?? "{}");
  const elements = sent.nftables[5].add.element.elem;
  strictEqual(elements.length, 256);
  strictEqual(elements[0].elem.timeout, 7_200);
  const comment = sent.nftables[9].add.rule.comment;
  strictEqual(comment, `iocscan ${plan.id} ${await backend.rulesetHash(plan)}`);
  await rejects(backend.apply(plan), /nft refused the rule set, nothing changed: .*syntax error/);
  throws(() => timeoutSeconds(plan, new Date("2026-12-07T09:00:00Z")), /has passed/);
});

Deno.test("nftablesBackend: the hash ignores the deadline; release succeeds when the table is gone", async () => {
  const tools = recorded([{ code: 1, stdout: "", stderr: "Error: No such file or directory" }]);
  const backend = nftablesBackend({ run: tools.run, clock: () => now });
  strictEqual(
    await backend.rulesetHash(plan),
    await backend.rulesetHash({ ...plan, expiresAt: "2027-01-01T00:00:00.000Z" }),
  );
  ok(
    await backend.rulesetHash(plan) !== await backend.rulesetHash({ ...plan, allow: [] }),
    "another allow-list, another hash",
  );
  await backend.release();
  const failing = nftablesBackend({
    run: recorded([{ code: 1, stdout: "", stderr: "Error: Operation not permitted" }]).run,
  });
  await rejects(failing.release(), /could not delete table inet iocscan_isolation/);
});

Deno.test("readTable reads the owner, the hash and the kernel's deadline; an empty set is disarmed", () => {
  const listed = {
    nftables: [
      { metainfo: { version: "1.0.6" } },
      { table: { family: "inet", name: "iocscan_isolation" } },
      {
        set: {
          name: "armed",
          elem: [{ elem: { val: "tcp", timeout: 7200, expires: 3600 } }, {
            elem: { val: 0, timeout: 7200, expires: 3599 },
          }],
        },
      },
      { rule: { chain: "input", comment: `iocscan ${plan.id} abc123` } },
    ],
  };
  const read = readTable(JSON.stringify(listed), now);
  const { installedHash, ...rest } = read;
  deepStrictEqual(rest, {
    applied: true,
    tablePresent: true,
    rulesetHash: "abc123",
    isolationId: plan.id,
    // The FIRST member to lapse: from then on its protocol is open.
    expiresAt: "2026-12-07T06:59:59.000Z",
  });
  ok(/^[0-9a-f]{64}$/.test(installedHash ?? ""), installedHash);
  const disarmed = { nftables: [{ set: { name: "armed" } }] };
  const { installedHash: _, ...inert } = readTable(JSON.stringify(disarmed), now);
  deepStrictEqual(inert, { applied: false, tablePresent: true });
  throws(() => readTable("not json", now), /not JSON/);
});

Deno.test("readTable's installedHash: the clock does not change it, a member or rule does", () => {
  const table = (elems: { val: unknown; expires: number }[], rules: unknown[]) =>
    JSON.stringify({
      nftables: [
        { metainfo: { version: "1.0.6" } },
        { table: { family: "inet", name: "iocscan_isolation", handle: 2 } },
        {
          set: {
            name: "armed",
            type: "inet_proto",
            handle: 1,
            flags: ["timeout"],
            elem: elems.map(({ val, expires }) => ({ elem: { val, timeout: 600, expires } })),
          },
        },
        ...rules,
      ],
    });
  const reject = {
    rule: {
      chain: "output",
      handle: 9,
      expr: [{ match: { op: "==", left: { meta: { key: "l4proto" } }, right: "@armed" } }],
    },
  };
  const accept = {
    rule: { chain: "output", handle: 10, expr: [{ accept: null }] },
  };
  const members = [{ val: "tcp", expires: 500 }, { val: "udp", expires: 500 }];
  const base = readTable(table(members, [reject]), now).installedHash;
  const later = readTable(
    table(members.map((member) => ({ ...member, expires: 100 })), [reject]),
    now,
  ).installedHash;
  strictEqual(later, base, "expires is the clock, not the rules");
  notStrictEqual(readTable(table(members.slice(1), [reject]), now).installedHash, base);
  notStrictEqual(readTable(table(members, [accept, reject]), now).installedHash, base);
  strictEqual(
    readTable(table([{ val: "tcp", expires: 500 }, { val: "udp", expires: 20 }], [reject]), now)
      .expiresAt,
    new Date(now.getTime() + 20_000).toISOString(),
  );
});

Deno.test("hostIsolationBackend: nftables on Linux, WFP on Windows, refused elsewhere", () => {
  strictEqual(hostIsolationBackend("linux").mechanism, "nftables");
  strictEqual(hostIsolationBackend("windows").mechanism, "wfp");
  throws(() => hostIsolationBackend("darwin"), /not available on darwin/);
});
