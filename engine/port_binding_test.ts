/**
 * ProcessItem ↔ PortItem binding through `ProcessItem/PortList/PortItem`
 * (docs/matching.md, "4a. A process and its ports"): PortItem items under an
 * AND that also holds ProcessItem items are read on the ports of the same
 * process, and the port items of one AND must hold on one and the same port.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { Indicator, IndicatorItem, IndicatorNode } from "../openioc/model.ts";
import { resolveTerm } from "../openioc/term_catalogue.ts";
import type { ObservedFields, ObservedItem } from "../contracts/observed_item.ts";
import { bindIndicator } from "./binding.ts";
import { and, detect, hits, ioc, item, observed, or } from "./_model_fixtures.ts";
import { compilePlan } from "./plan.ts";

/** Binds `root`, numbering items in document order as compilePlan does. */
function bind(root: Indicator) {
  const numbers = new Map<IndicatorItem, number>();
  const walk = (node: IndicatorNode): void => {
    if (node.kind === "item") numbers.set(node, numbers.size);
    else node.children.forEach(walk);
  };
  walk(root);
  return bindIndicator(root, {
    number: (leaf) => numbers.get(leaf)!,
    document: (leaf) => resolveTerm(leaf.context.search)?.document,
    path: (leaf) => resolveTerm(leaf.context.search)?.path,
  });
}

interface Port {
  remoteIP?: string;
  remotePort?: number;
  localIP?: string;
  localPort?: number;
  state?: string;
  protocol?: string;
}

/** A process object as the process collector fills it: its ports under PortList.PortItem. */
function proc(pid: number, name: string, ports: Port[], extra: ObservedFields = {}): ObservedItem {
  return observed(
    "ProcessItem",
    {
      pid,
      name,
      PortList: { PortItem: ports.map((port) => ({ protocol: "TCP", ...port })) },
      ...extra,
    },
    `pid ${pid} ${name}`,
  );
}

/** A PortItem object of the connection table. */
function port(pid: number, fields: Port): ObservedItem {
  return observed("PortItem", { pid, protocol: "TCP", ...fields }, `port of ${pid}`);
}

const procName = (name: string) => item("ProcessItem/name", "is", name);
const remoteIP = (ip: string, negate = false) =>
  item("PortItem/remoteIP", "is", ip, { contentType: "IP", negate });
const remotePort = (value: number) =>
  item("PortItem/remotePort", "is", String(value), { contentType: "int" });

// x.exe talks to 5.6.7.8; y.exe talks to 1.2.3.4. The connection table has both.
const crossed = () => [
  proc(100, "x.exe", [{ remoteIP: "5.6.7.8", remotePort: 443 }]),
  proc(200, "y.exe", [{ remoteIP: "1.2.3.4", remotePort: 443 }]),
  port(100, { remoteIP: "5.6.7.8", remotePort: 443 }),
  port(200, { remoteIP: "1.2.3.4", remotePort: 443 }),
];

Deno.test("bindIndicator() AND(ProcessItem a, PortItem b) binds b to a port of a's process", () => {
  const { host, groups } = bind(and(procName("x.exe"), remoteIP("1.2.3.4")));
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [["ProcessItem", [0, 1]]]);
  deepStrictEqual(host, { op: "and", children: [{ op: "group", group: 0 }] });
  deepStrictEqual(groups[0]!.expr, {
    op: "and",
    children: [
      { op: "item", item: 0 },
      { op: "element", list: ["PortList", "PortItem"], expr: { op: "item", item: 1 } },
    ],
  });
});

Deno.test("bindIndicator() several port items of one AND share one port", () => {
  const { groups } = bind(
    and(remoteIP("1.2.3.4"), procName("x.exe"), remotePort(443), or(remotePort(1), remotePort(2))),
  );
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [["ProcessItem", [0, 1, 2, 3, 4]]]);
  deepStrictEqual(groups[0]!.expr, {
    op: "and",
    children: [
      { op: "item", item: 1 },
      {
        op: "element",
        list: ["PortList", "PortItem"],
        expr: {
          op: "and",
          children: [
            { op: "item", item: 0 },
            { op: "item", item: 2 },
            { op: "or", children: [{ op: "item", item: 3 }, { op: "item", item: 4 }] },
          ],
        },
      },
    ],
  });
});

Deno.test("bindIndicator() a PortItem-only AND stays a PortItem group", () => {
  const { groups } = bind(and(remoteIP("1.2.3.4"), remotePort(443)));
  deepStrictEqual(groups.map((g) => [g.document, g.items, g.expr.op]), [[
    "PortItem",
    [0, 1],
    "and",
  ]]);
});

Deno.test("bindIndicator() a PortItem inside a mixed OR is not bound to the process", () => {
  const { groups } = bind(
    and(procName("x.exe"), or(item("ProcessItem/path", "is", "/tmp"), remoteIP("1.2.3.4"))),
  );
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [
    ["ProcessItem", [0]],
    ["ProcessItem", [1]],
    ["PortItem", [2]],
  ]);
});

Deno.test("ProcessItem AND PortItem/remoteIP needs the connection on the named process", async () => {
  const root = and(procName("x.exe"), remoteIP("1.2.3.4"));
  // Host-level binding would fire here: some x.exe, and some connection to 1.2.3.4.
  strictEqual(await hits(root, crossed()), false);
  strictEqual(
    await hits(root, [...crossed(), proc(300, "x.exe", [{ remoteIP: "1.2.3.4" }])]),
    true,
  );
});

Deno.test("ProcessItem AND two PortItem conditions: one port must satisfy both", async () => {
  const root = and(procName("x.exe"), remoteIP("1.2.3.4"), remotePort(443));
  const split = proc(100, "x.exe", [
    { remoteIP: "1.2.3.4", remotePort: 80 },
    { remoteIP: "9.9.9.9", remotePort: 443 },
  ]);
  strictEqual(await hits(root, [split]), false);
  const one = proc(100, "x.exe", [{ remoteIP: "9.9.9.9" }, {
    remoteIP: "1.2.3.4",
    remotePort: 443,
  }]);
  strictEqual(await hits(root, [one]), true);
});

Deno.test("ProcessItem/PortList/PortItem items of one AND hold on one port too", async () => {
  const root = and(
    item("ProcessItem/PortList/PortItem/remoteIP", "is", "1.2.3.4", { contentType: "IP" }),
    item("ProcessItem/PortList/PortItem/localPort", "is", "22", { contentType: "int" }),
  );
  const split = proc(100, "sshd", [
    { remoteIP: "1.2.3.4", localPort: 50000 },
    { remoteIP: "0.0.0.0", localPort: 22 },
  ]);
  strictEqual(await hits(root, [split]), false);
  strictEqual(
    await hits(root, [proc(100, "sshd", [{ remoteIP: "1.2.3.4", localPort: 22 }])]),
    true,
  );
});

Deno.test("ProcessItem AND OR(PortItem, PortItem): one port of the process satisfies the OR", async () => {
  const root = and(procName("x.exe"), or(remoteIP("1.2.3.4"), remoteIP("4.3.2.1")));
  strictEqual(await hits(root, crossed()), false);
  strictEqual(await hits(root, [proc(100, "x.exe", [{ remoteIP: "4.3.2.1" }])]), true);
});

Deno.test("ProcessItem AND NOT PortItem: some port of the process fails the condition", async () => {
  const root = and(procName("x.exe"), remoteIP("1.2.3.4", true));
  strictEqual(await hits(root, [proc(100, "x.exe", [{ remoteIP: "1.2.3.4" }])]), false);
  strictEqual(await hits(root, [proc(100, "x.exe", [])]), false);
  strictEqual(
    await hits(root, [proc(100, "x.exe", [{ remoteIP: "1.2.3.4" }, { remoteIP: "8.8.8.8" }])]),
    true,
  );
});

Deno.test("ProcessItem AND PortItem/remoteIP contains a prefix binds like any port item", async () => {
  const root = and(
    procName("powershell.exe"),
    item("PortItem/remoteIP", "contains", "103.41.124.", { contentType: "IP" }),
  );
  strictEqual(await hits(root, [proc(1, "powershell.exe", [{ remoteIP: "103.41.12.9" }])]), false);
  strictEqual(await hits(root, [proc(1, "powershell.exe", [{ remoteIP: "103.41.124.9" }])]), true);
});

Deno.test("ProcessItem AND PortItem: evidence names the process and the port that matched", async () => {
  const root = and(procName("x.exe"), remoteIP("1.2.3.4"), remotePort(443));
  const x = proc(4242, "x.exe", [
    { remoteIP: "9.9.9.9", remotePort: 443, localIP: "10.0.0.5", localPort: 49811 },
    {
      remoteIP: "1.2.3.4",
      remotePort: 443,
      localIP: "10.0.0.5",
      localPort: 49812,
      state: "ESTABLISHED",
    },
  ]);
  const [detection] = await detect(ioc(root), [x]);
  ok(detection);
  const [evidence] = detection.evidence;
  ok(evidence);
  deepStrictEqual([evidence.document, evidence.object], ["ProcessItem", "pid 4242 x.exe"]);
  deepStrictEqual(
    evidence.items.map((i) => [i.search, i.observed, i.element]),
    [
      ["ProcessItem/name", "x.exe", undefined],
      [
        "PortItem/remoteIP",
        "1.2.3.4",
        "PortList/PortItem: TCP 10.0.0.5:49812 → 1.2.3.4:443 ESTABLISHED",
      ],
      [
        "PortItem/remotePort",
        443,
        "PortList/PortItem: TCP 10.0.0.5:49812 → 1.2.3.4:443 ESTABLISHED",
      ],
    ],
  );
});

Deno.test("ProcessItem AND PortItem: ports that could not be read leave the IOC undecided", async () => {
  const root = and(procName("x.exe"), remoteIP("1.2.3.4"));
  const x = proc(100, "x.exe", []);
  x.unevaluated = { PortList: "the port table could not be read" };
  const session = compilePlan([ioc(root)], { objects: "given" }).createSession();
  await session.observe(x);
  strictEqual(session.finish().length, 0);
  deepStrictEqual(
    session.undecided().flatMap((entry) => entry.unevaluated.map((i) => [i.reason, i.objects])),
    [["the port table could not be read", 1]],
  );
});

Deno.test("compilePlan() a bound PortItem item makes the process collector supply PortList", () => {
  const plan = compilePlan([ioc(and(procName("x.exe"), remoteIP("1.2.3.4")))], {
    objects: "given",
  });
  deepStrictEqual([...plan.needs].map(([doc, fields]) => [doc, [...fields].sort()]), [
    ["ProcessItem", ["PortList", "name"]],
  ]);
});

Deno.test("compilePlan() coverage writes the binding: the port items on one port of the process", () => {
  const plan = compilePlan([
    ioc(or(and(procName("x.exe"), remoteIP("1.2.3.4"), remotePort(443)), remoteIP("5.6.7.8"))),
  ], { objects: "given" });
  strictEqual(
    plan.coverage[0]!.binding,
    'one ProcessItem (ProcessItem/name is "x.exe" AND one PortList/PortItem ' +
      '(PortItem/remoteIP is "1.2.3.4" AND PortItem/remotePort is "443")) ' +
      'OR one PortItem (PortItem/remoteIP is "5.6.7.8")',
  );
});

Deno.test("HandleList/Handle items are not bound to one handle (only nested documents' lists are)", async () => {
  const root = and(
    item("ProcessItem/HandleList/Handle/Name", "is", "m"),
    item("ProcessItem/HandleList/Handle/Type", "is", "Mutant"),
  );
  const handles = {
    HandleList: { Handle: [{ Name: "m", Type: "Event" }, { Name: "x", Type: "Mutant" }] },
  };
  strictEqual(await hits(root, [observed("ProcessItem", { name: "a.exe", ...handles })]), true);
});

Deno.test("ProcessItem AND OR(PortItem/…, ProcessItem/PortList/PortItem/…): the OR is about the process's ports, not any port", async () => {
  const listPort = (value: number) =>
    item("ProcessItem/PortList/PortItem/remotePort", "is", String(value), { contentType: "int" });
  const root = and(procName("x.exe"), or(remoteIP("1.2.3.4"), listPort(4444)));
  // y.exe's connection to 1.2.3.4 says nothing of x.exe.
  strictEqual(await hits(root, crossed()), false);
  strictEqual(await hits(root, [proc(100, "x.exe", [{ remoteIP: "1.2.3.4" }])]), true);
  strictEqual(
    await hits(root, [proc(100, "x.exe", [{ remoteIP: "9.9.9.9", remotePort: 4444 }])]),
    true,
  );
  const { groups } = bind(root);
  deepStrictEqual(groups.map((g) => [g.document, g.items]), [["ProcessItem", [0, 1, 2]]]);
  deepStrictEqual(groups[0]!.expr, {
    op: "and",
    children: [
      { op: "item", item: 0 },
      {
        op: "element",
        list: ["PortList", "PortItem"],
        expr: { op: "or", children: [{ op: "item", item: 1 }, { op: "item", item: 2 }] },
      },
    ],
  });
});

Deno.test("ProcessItem AND PortItem: a process whose ports were read in part: a hit on a port seen holds, a miss is undecided", async () => {
  for (const negate of [false, true]) {
    const root = and(procName("x.exe"), remoteIP("1.2.3.4", negate));
    const x = proc(100, "x.exe", [{ remoteIP: negate ? "1.2.3.4" : "9.9.9.9" }]);
    x.unevaluated = { PortList: "ports not read: pid 100 (x.exe): permission denied" };
    const session = compilePlan([ioc(root)], { objects: "given" }).createSession();
    await session.observe(x);
    strictEqual(session.finish().length, 0, `negate ${negate}`);
    strictEqual(session.undecided().length, 1, `negate ${negate}`);
  }
  const seen = proc(100, "x.exe", [{ remoteIP: "9.9.9.9" }, { remoteIP: "1.2.3.4" }]);
  seen.unevaluated = { PortList: "ports not read: pid 100 (x.exe): permission denied" };
  const [detection] = await detect(ioc(and(procName("x.exe"), remoteIP("1.2.3.4"))), [seen]);
  ok(detection, "a hit on a port that was seen is a hit");
});

Deno.test("compilePlan() a port OR in both spellings under a ProcessItem AND makes the process collector supply PortList", () => {
  const plan = compilePlan([
    ioc(and(
      procName("x.exe"),
      or(
        remoteIP("1.2.3.4"),
        item("ProcessItem/PortList/PortItem/remotePort", "is", "4444", { contentType: "int" }),
      ),
    )),
  ], { objects: "given" });
  deepStrictEqual([...plan.needs].map(([doc, fields]) => [doc, [...fields].sort()]), [
    ["ProcessItem", ["PortList", "name"]],
  ]);
});
