/**
 * Test helpers of the quarantine: temporary trees, planted files, a policy, detections.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DetectionEvent, Evidence } from "../../contracts/events.ts";
import type { QuarantinePolicy, QuarantineTarget } from "./contract.ts";
import { defaultQuarantinePolicy } from "./quarantine_defaults.ts";

/** A policy for tests: the defaults, with overrides. */
export function testPolicy(overrides: Partial<QuarantinePolicy> = {}): QuarantinePolicy {
  return { ...defaultQuarantinePolicy, ...overrides };
}

/** A target for `path` named by one IOC. */
export function target(path: string): QuarantineTarget {
  return { path, iocs: [{ id: "ioc-1", sha256: "a".repeat(64), name: "test ioc" }], pids: [] };
}

/** Deterministic bytes from a seed (xorshift). */
export function seededBytes(seed: number, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** SHA-256 hex of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** SHA-256 hex of a file, or undefined when it is missing. */
export async function fileSha256(path: string): Promise<string | undefined> {
  try {
    return sha256(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A temporary folder (0700), removed by the returned function. */
export async function tempTree(
  prefix: string,
): Promise<{ root: string; cleanup(): Promise<void> }> {
  const root = await Deno.makeTempDir({ prefix });
  return {
    root,
    cleanup: async () => {
      await new Deno.Command("chattr", { args: ["-R", "-i", "-a", root], stderr: "null" }).output()
        .catch(() => {});
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** A detection naming `objects` as FileItem evidence (offline when `source` is given). */
export function fileDetection(
  objects: readonly { object: string; source?: string }[],
  ioc = { id: "ioc-1", sha256: "a".repeat(64) },
): DetectionEvent {
  return {
    type: "detection",
    ioc: { ...ioc, name: "test ioc", file: "test.ioc", version: "1.1" },
    evidence: objects.map(({ object, source }): Evidence => ({
      document: "FileItem",
      object,
      indicator: "i",
      items: [],
      ...(source === undefined ? {} : { source }),
    })),
  };
}
