/**
 * The machine hives of offline evidence by role (`SAM`, `SOFTWARE`,
 * `SYSTEM`…): hive files given as such (their role from the name, else from
 * their root keys) and the standard hives below mounted Windows roots. For
 * the collectors that read a few known keys of a hive (users from the SAM,
 * the host's description from SOFTWARE and SYSTEM) rather than the registry
 * as a whole.
 *
 * @module
 */
import { decodeValue, type KeyNode, type RegistryHive } from "../../formats/regf/mod.ts";
import { findHivesUnderRoot } from "./hive_files.ts";
import { detectRole } from "./hive_mount.ts";
import { type HiveFailure, openHiveFile } from "./mount_hives.ts";
import type { HiveRole } from "./source.ts";

/** One opened machine hive. */
export interface OpenedMachineHive {
  /** The file read. */
  readonly file: string;
  readonly role: HiveRole;
  readonly hive: RegistryHive;
  /** The mounted root it was found under, when it was. */
  readonly root?: string;
}

/** The hives of the wanted roles, and the files of those roles that could not be opened. */
export interface MachineHives {
  readonly hives: readonly OpenedMachineHive[];
  readonly failures: readonly HiveFailure[];
}

/**
 * Opens the hives of `roles` among `hiveFiles` and below `roots`. A hive
 * file that cannot be opened is a failure only when its name says it is of
 * a wanted role (a hive file of another role is not this caller's business).
 */
export async function openMachineHives(
  hiveFiles: readonly string[],
  roots: readonly string[],
  roles: readonly HiveRole[],
): Promise<MachineHives> {
  const wanted = new Set<HiveRole>(roles);
  const hives: OpenedMachineHive[] = [];
  const failures: HiveFailure[] = [];
  const candidates = [
    ...hiveFiles.map((file) => ({ file })),
    // Below a root, the machine hives' names say their roles: only the wanted ones are read.
    ...roots.flatMap((root) =>
      findHivesUnderRoot(root)
        .filter(({ file }) => wanted.has(upperBaseName(file) as HiveRole))
        .map(({ file }) => ({ file, root }))
    ),
  ];
  for (const candidate of candidates) {
    const opened = await openHiveFile(candidate.file);
    if (!("rootKey" in opened)) {
      if (wanted.has(upperBaseName(candidate.file) as HiveRole)) failures.push(opened);
      continue;
    }
    const role = detectRole(candidate.file, opened);
    if (!wanted.has(role)) continue;
    hives.push({ ...candidate, role, hive: opened });
  }
  return { hives, failures };
}

function upperBaseName(file: string): string {
  return (file.replaceAll("\\", "/").split("/").pop() ?? "").toUpperCase();
}

/** A value of a key as text (strings as they are, numbers in decimal), or undefined. */
export function hiveText(hive: RegistryHive, key: KeyNode, name: string): string | undefined {
  const value = hive.values(key).find((v) => v.name.toUpperCase() === name.toUpperCase());
  if (value === undefined) return undefined;
  const decoded = decodeValue(value.type, hive.valueData(value));
  if (typeof decoded === "string") return decoded.replace(/\0+$/, "");
  if (typeof decoded === "number" || typeof decoded === "bigint") return String(decoded);
  if (Array.isArray(decoded)) return decoded.join(" ");
  return undefined;
}

/** The raw data of a value of a key, or undefined. */
export function hiveBytes(hive: RegistryHive, key: KeyNode, name: string): Uint8Array | undefined {
  const value = hive.values(key).find((v) => v.name.toUpperCase() === name.toUpperCase());
  return value === undefined ? undefined : hive.valueData(value);
}
