/**
 * Enabling a privilege in the process token (`LookupPrivilegeValueW` +
 * `AdjustTokenPrivileges`), once per privilege and platform: an enabled
 * privilege stays enabled for the process, and one the token does not hold
 * stays missing, so the answer is remembered.
 *
 * @module
 */
import { decodeLuid, encodeEnablePrivilege } from "../../windows/layouts/mod.ts";
import { win32Error, win32ErrorText } from "../../windows/mod.ts";
import type { WindowsQuarantineApi } from "./windows_api.ts";

/** Whether a privilege is enabled, and why not in words. */
export type PrivilegeState = { readonly enabled: true } | {
  readonly enabled: false;
  readonly why: string;
};

/** Enables privileges through `api`, each asked once. */
export class Privileges {
  readonly #api: WindowsQuarantineApi;
  readonly #states = new Map<string, PrivilegeState>();

  constructor(api: WindowsQuarantineApi) {
    this.#api = api;
  }

  /** Enables `name` (`SeRestorePrivilege`…) or says why it could not. */
  enable(name: string): PrivilegeState {
    const known = this.#states.get(name);
    if (known !== undefined) return known;
    const state = this.#enable(name);
    this.#states.set(name, state);
    return state;
  }

  #enable(name: string): PrivilegeState {
    const luid = this.#api.lookupPrivilegeValue(name);
    if (!luid.ok) {
      return { enabled: false, why: `LookupPrivilegeValueW(${name}): ${luid.error}` };
    }
    const adjusted = this.#api.adjustTokenPrivileges(encodeEnablePrivilege(decodeLuid(luid.value)));
    if (!adjusted.ok) {
      return { enabled: false, why: `AdjustTokenPrivileges(${name}): ${adjusted.error}` };
    }
    if (adjusted.value.notAllAssigned) {
      return {
        enabled: false,
        why: `${name} not held by this process's token (AdjustTokenPrivileges: ${
          win32ErrorText(win32Error.ERROR_NOT_ALL_ASSIGNED)
        })`,
      };
    }
    return { enabled: true };
  }
}
