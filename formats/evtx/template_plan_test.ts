import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  type ElementNode,
  NodeKind,
  type TemplateDefinition,
  type TemplateNode,
  type TemplatePlan,
} from "./binxml_model.ts";
import { SystemValueKind } from "./model.ts";
import { buildEvtx, element, le, type Token, utf16 } from "./_fixtures.ts";
import { byteSourceFromBytes } from "../byte_source.ts";
import { readEvtx } from "./reader.ts";
import { systemFields } from "./record.ts";
import { recordPlan } from "./template_plan.ts";

function el(name: string, children: TemplateNode[], attributes: ElementNode["attributes"] = []) {
  const node: ElementNode = { k: NodeKind.Element, name, attributes, children };
  return node;
}

function definition(nodes: TemplateNode[]): TemplateDefinition {
  return { offset: 512, dataSize: 0, nodes };
}

Deno.test("recordPlan compiles a template once and caches the typed plan on it", () => {
  const eventId = { k: NodeKind.Substitution, index: 0, optional: false } as const;
  const value = { k: NodeKind.Substitution, index: 1, optional: true } as const;
  const template = definition([
    el("Event", [
      el("System", [el("EventID", [eventId])]),
      el("EventData", [el("Data", [value], [{ name: "Name", parts: ["CommandLine"] }])]),
    ]),
  ]);
  const plan = recordPlan(template);
  const cached: TemplatePlan | null | undefined = template.plan;
  strictEqual(cached, plan);
  strictEqual(recordPlan(template), plan);
  deepStrictEqual(plan?.system, [{
    field: "eventId",
    kind: SystemValueKind.Number,
    parts: [eventId],
    attribute: false,
  }]);
  deepStrictEqual(plan?.data, [{ name: "CommandLine", parts: [value], vanishes: false }]);
  deepStrictEqual(plan?.nested, []);
});

Deno.test("recordPlan caches null for a template of another shape", () => {
  const template = definition([el("Events", [])]);
  strictEqual(recordPlan(template), null);
  strictEqual(template.plan, null);
});

Deno.test("recordPlan reads System elements named like Object.prototype members as unknown", async () => {
  // Evidence chooses element names: `<constructor>` or `<toString>` in System
  // must neither throw nor fill a field.
  const template: Token[] = element("Event", [], [
    ...element("System", [], [
      ...element("EventID", [], [{ sub: 0, type: 0x06 }]),
      ...element("constructor", [["toString", [{ text: "x" }]]], [{ text: "1" }]),
      ...element("toString", [], [{ text: "2" }]),
      ...element("__proto__", [], [{ text: "3" }]),
      ...element("Channel", [], [{ text: "Security" }]),
    ]),
    ...element("EventData", [], [
      ...element("Data", [["Name", [{ text: "hasOwnProperty" }]]], [{ sub: 1, type: 0x01 }]),
    ]),
  ]);
  const file = buildEvtx({
    template,
    records: [{
      id: 1,
      writtenMs: Date.UTC(2024, 0, 1),
      values: [{ type: 0x06, bytes: le(4624, 2) }, { type: 0x01, bytes: utf16("v\0") }],
    }],
  });
  const records = [];
  for await (const r of readEvtx(byteSourceFromBytes(file))) records.push(r);
  strictEqual(records.length, 1);
  deepStrictEqual(records[0]!.system(), { eventId: 4624, channel: "Security" });
  deepStrictEqual(records[0]!.data(), [{ name: "hasOwnProperty", value: "v" }]);
  // The element tree path (live XML, unplannable records) reads them alike.
  const event = records[0]!.event();
  deepStrictEqual(systemFields(event), { eventId: 4624, channel: "Security" });
});
