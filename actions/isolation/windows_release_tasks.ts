/**
 * The Task Scheduler half of the Windows isolation: two tasks in the module's `\IocScan\`
 * folder, as SYSTEM with the highest privileges, so that an isolation lifts even when no
 * iocscan process is left:
 *
 * - `\IocScan\IsolationRelease`: a one-shot `TimeTrigger` at the deadline running
 *   `iocscan isolation release` (started as soon as possible when the machine was off or asleep
 *   then, retried every minute ten times when it fails);
 * - `\IocScan\IsolationBoot`: a `BootTrigger` running `iocscan isolation boot`, which re-applies
 *   an isolation whose deadline has not passed (WFP filters are static: a reboot drops them)
 *   and cleans up one whose deadline has.
 *
 * The definitions are Task Scheduler 1.2 XML built by pure functions ({@linkcode releaseTaskXml},
 * {@linkcode bootTaskXml}); {@linkcode schtasksScheduler} registers them with
 * `schtasks /Create /TN … /XML FILE /F`, run with an argument array (no command line is built
 * for schtasks), the XML in a file of a folder only SYSTEM and Administrators may use
 * (`%ProgramData%\IocScan\isolation`, protected as the store's folder is), deleted afterwards.
 * The same folder, principal and value rules as the scan tasks the PowerShell module registers
 * (Register-IocScanTask: `\IocScan\`, SYSTEM, highest run level; no control character or `%`
 * in an action). Not yet run on Windows.
 *
 * @module
 */
import { join } from "node:path";
import { escapeXml } from "../../formats/evtx/xml_tree.ts";
import { passwordInUrl } from "../../store/postgres_url.ts";
import { protectWindowsFolder, type WindowsCommandRunner } from "../../store/windows_folder_acl.ts";
import { assertTaskValue, windowsCommandLine } from "../../windows/command_line.ts";
import type { IsolationPlan } from "./contract.ts";

/** The Task Scheduler folder of iocscan's tasks (the scan tasks' too). */
export const taskFolder = "\\IocScan\\";
/** The release-at-deadline task's path. */
export const releaseTaskPath = `${taskFolder}IsolationRelease`;
/** The boot task's path. */
export const bootTaskPath = `${taskFolder}IsolationBoot`;
/** The Task Scheduler schema version the definitions declare. */
export const taskSchemaVersion = "1.2";
/** The task XML namespace. */
export const taskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";
/** The account the tasks run as: LocalSystem's SID. */
export const systemSid = "S-1-5-18";
/** How long a release or boot run may take before Task Scheduler stops it. */
export const taskTimeLimit = "PT10M";
/** A failed release is retried this often, this many times. */
export const releaseRetry = { interval: "PT1M", count: 10 } as const;

/** The program a task starts and the arguments that come before the command's own. */
export interface TaskCommand {
  readonly program: string;
  readonly arguments: readonly string[];
}

/** An element of a task definition: a name, then text or children. */
type TaskElement = readonly [
  name: string,
  content: string | readonly TaskElement[],
  attributes?: Readonly<Record<string, string>>,
];

function render(element: TaskElement, indent: string): string {
  const [name, content, attributes = {}] = element;
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join("");
  if (typeof content === "string") {
    return `${indent}<${name}${attributeText}>${escapeXml(content)}</${name}>\n`;
  }
  const inner = content.map((child) => render(child, indent + "  ")).join("");
  return `${indent}<${name}${attributeText}>\n${inner}${indent}</${name}>\n`;
}

/** The deadline as a `StartBoundary`: UTC, whole seconds, rounded up (never early). */
export function startBoundary(expiresAt: string): string {
  const time = Date.parse(expiresAt);
  if (Number.isNaN(time)) throw new Error(`the deadline '${expiresAt}' is not a time`);
  return new Date(Math.ceil(time / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function exec(command: TaskCommand, tail: readonly string[]): TaskElement {
  const args = [...command.arguments, ...tail];
  assertTaskValue(command.program, "engine path");
  for (const argument of args) {
    assertTaskValue(argument, "engine argument");
    if (passwordInUrl(argument) !== undefined) {
      throw new Error(
        "a database password cannot go into a scheduled task: give the store without it (SYSTEM's pgpass file holds it)",
      );
    }
  }
  return ["Exec", [["Command", command.program], ["Arguments", windowsCommandLine(args)]]];
}

function taskDocument(
  path: string,
  description: string,
  trigger: TaskElement,
  action: TaskElement,
  retry: boolean,
): string {
  const settings: TaskElement[] = [
    ...(retry
      ? [["RestartOnFailure", [["Interval", releaseRetry.interval], [
        "Count",
        String(releaseRetry.count),
      ]]] as TaskElement]
      : []),
    ["MultipleInstancesPolicy", "IgnoreNew"],
    ["DisallowStartIfOnBatteries", "false"],
    ["StopIfGoingOnBatteries", "false"],
    ["StartWhenAvailable", "true"],
    ["RunOnlyIfNetworkAvailable", "false"],
    ["Enabled", "true"],
    ["ExecutionTimeLimit", taskTimeLimit],
  ];
  const task: TaskElement = [
    "Task",
    [
      ["RegistrationInfo", [["Author", "iocscan"], ["Description", description], ["URI", path]]],
      ["Triggers", [trigger]],
      ["Principals", [["Principal", [["UserId", systemSid], ["RunLevel", "HighestAvailable"]], {
        id: "Author",
      }]]],
      ["Settings", settings],
      ["Actions", [action], { Context: "Author" }],
    ],
    { version: taskSchemaVersion, xmlns: taskNamespace },
  ];
  return `<?xml version="1.0" encoding="UTF-16"?>\n${render(task, "")}`;
}

/**
 * The release task: once at `plan.expiresAt`, `iocscan isolation release` plus `tail`
 * (the store: `--db …`).
 *
 * @example
 * ```ts
 * import { releaseTaskXml } from "./windows_release_tasks.ts";
 * const xml = releaseTaskXml("2026-12-07T14:00:00.000Z", { program: "C:\\iocscan\\iocscan.exe", arguments: [] }, []);
 * console.log(xml.includes("<StartBoundary>2026-12-07T14:00:00Z</StartBoundary>")); // true
 * ```
 */
export function releaseTaskXml(
  expiresAt: string,
  command: TaskCommand,
  tail: readonly string[],
): string {
  return taskDocument(
    releaseTaskPath,
    `Lifts the iocscan network isolation at its deadline (${expiresAt}). Removed by iocscan isolation release.`,
    ["TimeTrigger", [["StartBoundary", startBoundary(expiresAt)], ["Enabled", "true"]]],
    exec(command, ["isolation", "release", ...tail]),
    true,
  );
}

/** The boot task: at every start, `iocscan isolation boot` plus `tail`. */
export function bootTaskXml(command: TaskCommand, tail: readonly string[]): string {
  return taskDocument(
    bootTaskPath,
    "Re-applies the iocscan network isolation after a reboot while its deadline has not passed, and cleans it up once it has.",
    ["BootTrigger", [["Enabled", "true"]]],
    exec(command, ["isolation", "boot", ...tail]),
    false,
  );
}

/** Registers and removes the two tasks. */
export interface IsolationTaskScheduler {
  /** Builds both definitions without registering them: throws on a value no task may hold. */
  prepare?(plan: IsolationPlan): void;
  /** Registers (or replaces) both tasks for `plan`; throws when Task Scheduler refuses. */
  register(plan: IsolationPlan): Promise<void>;
  /** Removes both tasks; succeeds when they are already gone. */
  remove(): Promise<void>;
}

/** What {@linkcode schtasksScheduler} needs. */
export interface SchtasksSchedulerOptions {
  /** The engine as the tasks start it. */
  readonly command: TaskCommand;
  /** Arguments after the command (`--db STORE`); never a password. */
  readonly tail?: readonly string[];
  /** The folder the XML files are written to (default `%ProgramData%\IocScan\isolation`). */
  readonly folder?: string;
  /** Runs schtasks and icacls (default: Deno.Command, synchronously). */
  readonly run?: WindowsCommandRunner;
  /** Writes a file (default: Deno.writeFileSync, mode 0600). */
  readonly writeFile?: (path: string, bytes: Uint8Array) => void;
  /** Deletes a file (default: Deno.removeSync, ignoring a missing file). */
  readonly removeFile?: (path: string) => void;
  /** Creates a folder with its parents (default: Deno.mkdirSync). */
  readonly makeFolder?: (path: string) => void;
}

/** The default folder of the task XML files. */
export function defaultTaskXmlFolder(
  env: (name: string) => string | undefined = Deno.env.get,
): string {
  const programData = env("ProgramData") ?? env("PROGRAMDATA") ?? "C:\\ProgramData";
  return join(programData, "IocScan", "isolation");
}

/** The XML bytes schtasks reads: UTF-16LE with a byte-order mark, as the declaration says. */
export function taskXmlBytes(xml: string): Uint8Array {
  const bytes = new Uint8Array(2 + 2 * xml.length);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < xml.length; index++) {
    view.setUint16(2 + 2 * index, xml.charCodeAt(index), true);
  }
  return bytes;
}

function runCommand(program: string, args: readonly string[]): { code: number; output: string } {
  const result = new Deno.Command(program, { args: [...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

/** The two tasks through `schtasks.exe`. */
export function schtasksScheduler(options: SchtasksSchedulerOptions): IsolationTaskScheduler {
  const run = options.run ?? runCommand;
  const tail = options.tail ?? [];
  const writeFile = options.writeFile ??
    ((path: string, bytes: Uint8Array) => Deno.writeFileSync(path, bytes, { mode: 0o600 }));
  const removeFile = options.removeFile ?? ((path: string) => {
    try {
      Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  });
  const makeFolder = options.makeFolder ??
    ((path: string) => Deno.mkdirSync(path, { recursive: true }));

  const create = (path: string, xml: string, folder: string) => {
    const file = join(folder, `${path.slice(taskFolder.length)}.xml`);
    writeFile(file, taskXmlBytes(xml));
    try {
      const { code, output } = run("schtasks", ["/Create", "/TN", path, "/XML", file, "/F"]);
      if (code !== 0) {
        throw new Error(`Task Scheduler refused ${path} (schtasks exit ${code}): ${output.trim()}`);
      }
    } finally {
      removeFile(file);
    }
  };

  const exists = (path: string) => run("schtasks", ["/Query", "/TN", path]).code === 0;

  return {
    prepare(plan) {
      releaseTaskXml(plan.expiresAt, options.command, tail);
      bootTaskXml(options.command, tail);
    },
    async register(plan) {
      // Built first: a value that cannot go into a task fails before anything is registered.
      const release = releaseTaskXml(plan.expiresAt, options.command, tail);
      const boot = bootTaskXml(options.command, tail);
      const folder = options.folder ?? defaultTaskXmlFolder();
      makeFolder(folder);
      protectWindowsFolder(folder, run);
      await Promise.resolve();
      create(releaseTaskPath, release, folder);
      try {
        create(bootTaskPath, boot, folder);
      } catch (error) {
        // Both or neither: a release task without its boot task is not left behind.
        run("schtasks", ["/Delete", "/TN", releaseTaskPath, "/F"]);
        throw error;
      }
    },
    async remove() {
      await Promise.resolve();
      for (const path of [releaseTaskPath, bootTaskPath]) {
        const { code, output } = run("schtasks", ["/Delete", "/TN", path, "/F"]);
        if (code !== 0 && exists(path)) {
          throw new Error(
            `Task Scheduler did not remove ${path} (schtasks exit ${code}): ${output.trim()}`,
          );
        }
      }
    },
  };
}
