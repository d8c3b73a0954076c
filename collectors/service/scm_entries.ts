/**
 * Service and driver entries from the Service Control Manager (scm_api.ts):
 * each row of `EnumServicesStatusExW` with its `QueryServiceConfigW`
 * configuration (start type, command line split by
 * {@linkcode splitImagePath}, account, display name) and its key's
 * `ServiceDll` and `FailureCommand`. Tested with a recorded API.
 *
 * @module
 */
import type { Environment } from "../registry/mod.ts";
import { earlierImages, splitImagePath } from "./image_path.ts";
import type { ScmApi } from "./scm_api.ts";
import type { ServiceEntry, ServiceKind } from "./service_entry.ts";
import type { ServiceSourceResult } from "./service_source.ts";
import {
  kindOfType,
  liveServicesKey,
  serviceStates,
  startModes,
  typeName,
} from "./windows_codes.ts";

/** The entries of one kind, or why the SCM could not list them. */
export function scmEntries(
  api: ScmApi,
  kind: ServiceKind,
  env: Environment,
): ServiceSourceResult | { error: string } {
  const rows = api.services();
  if ("error" in rows) return rows;
  const result: ServiceSourceResult = { entries: [], skips: [], warnings: [] };
  for (const row of rows) {
    if (row.name === undefined || kindOfType(row.serviceType) !== kind) continue;
    const entry: ServiceEntry = {
      kind,
      name: row.name,
      sourceKey: `${liveServicesKey}\\${row.name}`,
      type: typeName(row.serviceType),
      status: serviceStates.get(row.currentState) ?? String(row.currentState),
    };
    if (row.displayName !== undefined) entry.descriptiveName = row.displayName;
    if (row.processId > 0) entry.pid = row.processId;
    const config = api.config(row.name);
    if ("error" in config) {
      const why = `its configuration could not be read: ${config.error}`;
      entry.notKnown = { path: why, arguments: why, mode: why, startedAs: why };
      result.warnings.push({ code: "service-config", message: `${row.name}: ${why}` });
    } else {
      entry.mode = startModes.get(config.startType) ?? String(config.startType);
      if (config.serviceStartName !== undefined) entry.startedAs = config.serviceStartName;
      if (config.binaryPathName !== undefined) {
        const split = splitImagePath(config.binaryPathName, env);
        entry.path = split.path;
        entry.arguments = split.arguments;
        const earlier = kind === "service" ? earlierImages(config.binaryPathName, env) : [];
        if (earlier.length > 0) entry.earlierImages = earlier;
        if (/^[A-Za-z]:\\/.test(split.path)) entry.pathOpen = split.path;
      } else if (kind === "driver") {
        entry.path = splitImagePath(`System32\\drivers\\${row.name}.sys`, env).path;
        entry.pathOpen = entry.path;
      }
    }
    const unknown: Record<string, string> = { ...entry.notKnown };
    const valueOf = (subkey: string, value: string, field: string): string | undefined => {
      const read = api.serviceValue(row.name!, subkey, value);
      if (typeof read !== "object") return read;
      unknown[field] = `${
        [subkey, value].filter((part) => part).join("\\")
      } could not be read: ${read.error}`;
      return undefined;
    };
    const description = valueOf("", "Description", "description");
    if (description !== undefined) entry.description = description;
    const failure = valueOf("", "FailureCommand", "failureCommand");
    if (failure !== undefined) entry.failureCommand = failure;
    const dll = valueOf("Parameters", "ServiceDll", "serviceDLL");
    if (Object.keys(unknown).length > 0) entry.notKnown = unknown;
    if (dll !== undefined) {
      entry.serviceDll = splitImagePath(`"${dll.replaceAll('"', "")}"`, env).path;
      if (/^[A-Za-z]:\\/.test(entry.serviceDll)) entry.serviceDllOpen = entry.serviceDll;
    }
    entry.notOpened = "not an absolute path with a drive: not opened";
    result.entries.push(entry);
  }
  return result;
}
