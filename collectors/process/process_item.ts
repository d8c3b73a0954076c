/**
 * A {@linkcode ProcessRecord} as the `ProcessItem` the matcher evaluates:
 * fields in the term catalogue's spelling, a key as an analyst writes it
 * (`pid 4242 powershell.exe -enc …`), when and where it was observed.
 *
 * @module
 */
import type { FieldValue, ObservedItem, Unevaluated } from "../../contracts/observed_item.ts";
import type { ProcessRecord } from "./process_record.ts";

/** The document the process collector produces. */
export const processDocument = "ProcessItem";

/** The arguments shown in a key at most, in characters; longer ones end with `…`. */
export const keyArgumentsLength = 100;

/**
 * The key: `pid <pid> <name> <arguments after the program>`, cut at
 * {@linkcode keyArgumentsLength} characters, and ` (image deleted)` when the
 * image file is gone. Nothing is escaped here (human output escapes later).
 *
 * @example
 * ```ts
 * import { processKey } from "./process_item.ts";
 * processKey({ pid: 4242, name: "powershell.exe", commandLine: "powershell.exe -enc SQBFAFgA", observedAt: "" });
 * // "pid 4242 powershell.exe -enc SQBFAFgA"
 * ```
 */
export function processKey(record: ProcessRecord): string {
  const parts = [`pid ${record.pid}`];
  if (record.name !== undefined) parts.push(record.name);
  const args = record.commandLine === undefined ? "" : argumentsAfterProgram(record.commandLine);
  if (args !== "") {
    parts.push(
      args.length > keyArgumentsLength ? `${args.slice(0, keyArgumentsLength)}…` : args,
    );
  }
  return parts.join(" ") + (record.imageDeleted ? " (image deleted)" : "");
}

/**
 * The pid in a ProcessItem's key (`pid 412 sshd -D` → 412), as {@linkcode processKey} writes it;
 * undefined for any other text.
 */
export function pidOfProcessKey(key: string): number | undefined {
  const match = /^pid (\d+)(?: |$)/.exec(key);
  const pid = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(pid) ? pid : undefined;
}

/** A command line without its first word (the program), quoted (`"C:\a b\x.exe" -y`) or not. */
export function argumentsAfterProgram(commandLine: string): string {
  const text = commandLine.trimStart();
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    return close < 0 ? "" : text.slice(close + 1).trim();
  }
  const space = text.search(/\s/);
  return space < 0 ? "" : text.slice(space + 1).trim();
}

/** The folder of an image path (`/usr/bin` of `/usr/bin/sleep`, `C:\Windows` of `C:\Windows\x.exe`). */
export function folderOf(imagePath: string): string {
  const at = Math.max(imagePath.lastIndexOf("/"), imagePath.lastIndexOf("\\"));
  if (at < 0) return "";
  return at === 0 ? imagePath.slice(0, 1) : imagePath.slice(0, at);
}

/** A CPU time as an ISO 8601 duration (`PT1.25S`). */
export function cpuDuration(seconds: number): string {
  return `PT${Number(seconds.toFixed(3))}S`;
}

/**
 * Builds the object of one process. `parentName` is the parent's name when
 * the parent was in the same listing; `unevaluated` adds what the collector
 * itself could not tell (the parent gone, say).
 */
export function processItemOf(
  record: ProcessRecord,
  computer: string,
  parentName: string | undefined,
  unevaluated?: Unevaluated,
): ObservedItem {
  const fields: { [name: string]: FieldValue } = { pid: record.pid };
  if (record.parentPid !== undefined) fields.parentpid = record.parentPid;
  if (parentName !== undefined) fields.ParentProcessName = parentName;
  if (record.name !== undefined) fields.name = record.name;
  if (record.imagePath !== undefined) fields.path = folderOf(record.imagePath);
  if (record.imageDeleted) fields.ImageDeleted = true;
  if (record.commandLine !== undefined) {
    fields.arguments = record.commandLine;
    fields.cmdLine = record.commandLine;
  }
  if (record.username !== undefined) fields.Username = record.username;
  if (record.securityId !== undefined) fields.SecurityID = record.securityId;
  if (record.startTime !== undefined) fields.startTime = record.startTime;
  if (record.kernelSeconds !== undefined) fields.kernelTime = cpuDuration(record.kernelSeconds);
  if (record.userSeconds !== undefined) fields.userTime = cpuDuration(record.userSeconds);
  if (record.libraries !== undefined) fields.DllPath = [...record.libraries];
  if (record.enabledPrivileges !== undefined) {
    fields.EnabledPrivilege = record.enabledPrivileges.map((name) => ({ Name: name }));
  }
  if (record.handles !== undefined) {
    fields.HandleList = { Handle: record.handles.map((handle) => ({ ...handle })) };
  }
  const gaps = { ...record.unevaluated, ...unevaluated };
  return {
    document: processDocument,
    key: processKey(record),
    fields,
    provenance: {
      time: record.observedAt,
      computer,
      // A deleted image is gone: there is no file left to act on.
      ...(record.imagePath !== undefined && !record.imageDeleted
        ? { image: record.imagePath }
        : {}),
    },
    ...(Object.keys(gaps).length === 0 ? {} : { unevaluated: gaps }),
  };
}
