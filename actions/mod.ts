/**
 * Response actions: what a scan does about its detections (docs/actions.md). Each action is a
 * folder of its own (`quarantine/`, `isolation/`…); `action.ts` is the contract they share.
 *
 * @module
 */
export type { ActionContext, ResponseAction } from "./action.ts";
