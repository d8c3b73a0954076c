/**
 * The quarantine (docs/quarantine.md): a crash-safe store of encrypted copies, the sequence that
 * quarantines one file, restore, purge and retention, the Linux platform, and the `quarantine`
 * response action.
 *
 * @module
 */
export type * from "./contract.ts";
export {
  type JournalHealth,
  LOCK_FILE,
  type OpenedQuarantineStore,
  openQuarantineStore,
  type OpenQuarantineStoreOptions,
  type QuarantineTestHooks,
} from "./quarantine_store.ts";
export { defaultQuarantineDir, POSIX_QUARANTINE_DIR, QUARANTINE_DIR_ENV } from "./store_folder.ts";
export {
  defaultMaxActions,
  defaultMaxFileBytes,
  defaultQuarantinePolicy,
  defaultRetentionBytes,
  defaultRetentionDays,
} from "./quarantine_defaults.ts";
export {
  QuarantineStep,
  type QuarantineStepName,
  TEST_ABORT_AFTER_STEP_ENV,
} from "./quarantine_steps.ts";
export { linuxQuarantinePlatform } from "./linux_platform.ts";
export {
  type WindowsPlatformOptions,
  type WindowsQuarantinePlatform,
  windowsQuarantinePlatform,
} from "./windows_platform.ts";
export {
  type QuarantineTargets,
  quarantineTargets,
  type UntouchedEvidence,
} from "./quarantine_targets.ts";
export {
  createQuarantineAction,
  QUARANTINE_ACTION,
  type QuarantineActionOptions,
} from "./quarantine_action.ts";
