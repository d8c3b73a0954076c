import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  type ElementNode,
  NodeKind,
  SystemValueKind,
  type TemplateDefinition,
  type TemplateNode,
  type TemplatePlan,
} from "./binxml_model.ts";
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
