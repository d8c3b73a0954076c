/**
 * The matching engine: compile loaded IOC documents into a plan, feed it
 * observed objects, get detections with evidence.
 *
 * @example
 * ```ts
 * import { compilePlan } from "./mod.ts";
 * import { loadIocPaths } from "../openioc/mod.ts";
 * const { documents } = await loadIocPaths(["demo/iocs"]);
 * const plan = compilePlan(documents);
 * const session = plan.createSession();
 * await session.observe({ document: "FileItem", key: "/tmp/x.exe", fields: { FileName: "x.exe" } });
 * for (const detection of session.finish()) console.log(detection.ioc.id);
 * ```
 *
 * @module
 */
export {
  type CompiledPlan,
  compilePlan,
  type CompilePlanOptions,
  type IocCoverage,
  iocRef,
} from "./plan.ts";
export { MatchSession, type UndecidedIoc } from "./session.ts";
export { canFire, hostTruth } from "./verdict.ts";
export { AhoCorasick } from "./aho_corasick.ts";
export { type AffixSide, AffixTrie } from "./affix_trie.ts";
export {
  bindIndicator,
  type Binding,
  type BoundGroup,
  type ElementExpr,
  type HostExpr,
  type ObjectExpr,
} from "./binding.ts";
export {
  type CompiledItem,
  compileItem,
  type NotEvaluatedReason,
  type ObjectSource,
} from "./item_condition.ts";
export { fieldPath, readField, readRecords } from "./field_lookup.ts";
export { bindingText } from "./binding_text.ts";
export { canonicalIp, parseDateText, parseRangeText } from "./value_types.ts";
export { parseObservedJson } from "./observed_json.ts";
export { Truth } from "./truth.ts";
export type * from "../contracts/events.ts";
export type * from "../contracts/observed_item.ts";
