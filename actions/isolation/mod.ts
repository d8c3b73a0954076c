/**
 * Host isolation (docs/isolation.md): cut the host off the network for a set time, except an
 * allow-list resolved before anything is applied; self-tested, audited in the results store, and
 * lifted by the kernel at the deadline even when no iocscan process runs. Linux uses nftables;
 * Windows the Windows Filtering Platform (docs/isolation_windows.md: WFP filters, the release
 * and boot tasks, severing, and the Group Policy check a firewall fallback would need).
 *
 * @module
 */
export type {
  AllowRule,
  BackendState,
  IsolationAuditRecord,
  IsolationBackend,
  IsolationPlan,
  IsolationStep,
  SelfTestResult,
} from "./contract.ts";
export * from "./isolation_limits.ts";
export { readIsolationDuration } from "./isolation_duration.ts";
export { type AllowSpec, isAddressOrPrefix, parseAllowSpec, parseProbeSpec } from "./allow_spec.ts";
export {
  type DnsServer,
  type DnsServerReading,
  type DnsServerSources,
  hostDnsServers,
} from "./dns_servers.ts";
export {
  buildIsolationPlan,
  databaseHost,
  type NameResolver,
  type PlanInput,
  type PlannedIsolation,
  specText,
} from "./isolation_plan.ts";
export {
  type NftablesBackend,
  nftablesBackend,
  type NftablesBackendOptions,
  type NftablesState,
} from "./nftables_backend.ts";
export { isolationRuleset, type NftDocument } from "./nft_ruleset.ts";
export {
  defaultGateway,
  type ForbiddenBaseline,
  forbiddenTarget,
  probeForbiddenBefore,
  type ProbeTarget,
  runSelfTest,
  type SelfTestOptions,
} from "./self_test.ts";
export {
  currentIsolation,
  extend,
  isolate,
  type IsolateRequest,
  type IsolationDeps,
  type IsolationOutcome,
  type IsolationReport,
  isolationReport,
  type IsolationStore,
  maintain,
  type MaintenanceTask,
  release,
  selfTestPassed,
} from "./isolation_service.ts";
export {
  installIsolationTasks,
  type InstallTasksOptions,
  isolationCronLines,
  isolationUnits,
  TASK_UNIT_NAMES,
  type UnitFile,
} from "./task_units.ts";
export {
  hostIsolationBackend,
  installHostTasks,
  iocscanLauncher,
  UNIT_DIR_ENV,
} from "./host_backend.ts";
export {
  createIsolationAction,
  ISOLATE_ACTION,
  type IsolationActionOptions,
} from "./isolation_action.ts";
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
export { whoAmI } from "./who_am_i.ts";
export {
  AUDIT_QUEUE_FILE,
  AUDIT_QUEUE_LIMIT,
  flushAuditQueue,
  LOCAL_RECORD_FILE,
  type LocalRecordPlace,
  LocalRecordRefused,
  queuedAudit,
  readLocalRecord,
  writeLocalRecord,
} from "./local_record.ts";
export { localRecordStore, withLocalRecord } from "./local_record_store.ts";
export { type LocalMaintenance, maintainFromLocalRecord } from "./local_fallback.ts";
export { isolationStatePlace, STATE_DIR_ENV } from "./state_place.ts";
