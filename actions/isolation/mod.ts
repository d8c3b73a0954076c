/**
 * Host isolation (docs/isolation.md): the contract its parts share, and the Windows backend
 * (docs/isolation_windows.md): WFP filters, the release and boot tasks, severing, and the
 * Group Policy check a firewall fallback would need.
 *
 * @module
 */
export type * from "./contract.ts";
export {
  type WfpBackend,
  wfpBackend,
  type WfpBackendOptions,
  WfpCallError,
  wfpMechanism,
} from "./windows_wfp_backend.ts";
export {
  buildWfpFilters,
  renderWfpFilters,
  type WfpFilterSpec,
  wfpRulesetHash,
} from "./wfp_filters.ts";
export { type SeverReport, severWindowsConnections } from "./windows_sever.ts";
export {
  bootTaskXml,
  type IsolationTaskScheduler,
  releaseTaskXml,
  schtasksScheduler,
} from "./windows_release_tasks.ts";
export {
  type FirewallMergeVerdict,
  firewallMergeVerdict,
  readFirewallMergeVerdict,
} from "./firewall_policy_merge.ts";
export { engineSelfCommand } from "./engine_command.ts";
