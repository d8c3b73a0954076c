/**
 * The task collector's descriptor: the scheduled tasks of the live system
 * (Linux cron, anacron, systemd timers and `at`; Windows task files and
 * TaskCache), or of offline evidence: each mounted root (`--root`) read as a
 * Windows volume (task files and its SOFTWARE hive's TaskCache) and as a
 * Linux one (`etc/`, `var/spool/`), whichever it holds, and SOFTWARE hives
 * given with `--hive` (TaskCache alone).
 *
 * @module
 */
import { join } from "node:path";
import { iocItems } from "../../openioc/mod.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import { imageDrive } from "../../windows/drive_letters.ts";
import type { CollectorDescriptor, ScanEvidence } from "../collector_descriptor.ts";
import type { ScanTask } from "../scan_task.ts";
import type { TaskSource } from "../../collectors/task/mod.ts";
import type { MountedHives, RegistryMount } from "../../collectors/registry/mod.ts";

/** The terms of an action's own digests (`TaskItem/ActionList/Action/ExecProgramMd5sum`…). */
const actionDigestTerm = /^taskitem\/actionlist\/action\/execprogram(md5|sha1|sha256)sum$/i;

/** The platforms whose live tasks iocscan reads. */
const livePlatforms: ReadonlySet<string> = new Set(["linux", "windows"]);

/** The task collector: TaskItem objects. */
export const taskDescriptor: CollectorDescriptor = {
  name: "task",
  documents: documentsOfCollector("task"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    // Each action's image is hashed only when an IOC reads an action's own digests.
    const actionDigests = evidence.documents.some((document) =>
      iocItems(document).some((item) => actionDigestTerm.test(item.context.search))
    );
    const found = await taskSources(task, evidence, platform);
    if ("noSource" in found) return found;
    const tasks = await import("../../collectors/task/mod.ts");
    return {
      collector: tasks.createTaskCollector({
        sources: found.sources,
        actionDigests,
        ...(found.observe ? { observe: found.observe } : {}),
      }),
    };
  },
};

/** The SOFTWARE hive mounted from a root, or why there is none. */
function softwareOf(mounted: MountedHives, root: string): RegistryMount | string {
  const software = mounted.mounts.find((mount) => mount.role === "SOFTWARE");
  if (software) return software;
  const failure = mounted.failures.find((failed) => /SOFTWARE$/i.test(failed.file));
  return failure
    ? `${failure.file}: ${failure.detail}`
    : `no SOFTWARE hive below ${join(root, "Windows", "System32", "config")}`;
}

/**
 * Where the tasks of a scan are read: the live system's schedulers, or each
 * mounted root and SOFTWARE hive of offline evidence. Shared by the task
 * collector and the autoruns view (its scheduled-task and cron places).
 */
export async function taskSources(
  task: ScanTask,
  evidence: ScanEvidence,
  platform: string,
): Promise<
  { readonly sources: TaskSource[]; readonly observe?: () => { time: string } } | {
    readonly noSource: string;
  }
> {
  const tasks = await import("../../collectors/task/mod.ts");
  const registry = await import("../../collectors/registry/mod.ts");
  if (!evidence.offline) {
    if (!livePlatforms.has(platform)) return { noSource: `no task source on ${platform}` };
    if (platform === "linux") {
      return { sources: [tasks.linuxTaskSource()] };
    }
    const systemRoot = Deno.env.get("SystemRoot") ?? "C:\\Windows";
    const folder = `${systemRoot}\\System32\\Tasks`;
    const env = registry.processEnvironment();
    return {
      sources: [tasks.windowsTaskSource({
        name: "Task Scheduler (task files and TaskCache)",
        tasksFolder: folder,
        displayFolder: folder,
        software: () => {
          const mounts = registry.liveMounts(64);
          if (typeof mounts === "string") return Promise.resolve(mounts);
          const software = mounts.find((mount) => mount.role === "SOFTWARE");
          return Promise.resolve(software ?? "the live SOFTWARE hive was not found");
        },
        expand: (text) => registry.expandEnvironment(text, env),
        openImage: tasks.liveImageOpener,
      })],
    };
  }
  const sources: TaskSource[] = [];
  for (const root of evidence.roots) {
    const drive = imageDrive(root, task.rootDrive);
    const tasksFolder = registry.findPath(root, tasks.tasksFolderSegments);
    const hiveFiles = registry.findHivesUnderRoot(root).filter((found) =>
      /[\\/](SOFTWARE|SYSTEM)$/i.test(found.file)
    );
    if (tasksFolder !== undefined || hiveFiles.length > 0) {
      const mounted = await registry.mountHiveFiles(hiveFiles);
      const env = registry.machineEnvironment(mounted.mounts);
      const display = `${drive}\\${tasks.tasksFolderSegments.join("\\")}`;
      sources.push(tasks.windowsTaskSource({
        name: `Task Scheduler of ${root}`,
        ...(tasksFolder === undefined ? {} : { tasksFolder }),
        displayFolder: display,
        software: () => Promise.resolve(softwareOf(mounted, root)),
        expand: (text) => registry.expandEnvironment(text, env),
        openImage: tasks.imageFileOpener(root, drive),
      }));
    }
    const linux = registry.findChild(root, "etc") !== undefined;
    if (linux) sources.push(tasks.linuxTaskSource({ root }));
    if (!linux && tasksFolder === undefined && hiveFiles.length === 0) {
      sources.push(tasks.noTaskSource(
        `no scheduler below ${root}`,
        `${root} holds no Windows task folder or SOFTWARE hive and no Linux /etc: no tasks`,
      ));
    }
  }
  if (evidence.hives.length > 0) {
    const mounted = await registry.mountHiveFiles(evidence.hives.map((file) => ({ file })));
    const software = mounted.mounts.filter((mount) => mount.role === "SOFTWARE");
    const env = registry.machineEnvironment(mounted.mounts);
    for (const hive of software) {
      sources.push(tasks.windowsTaskSource({
        name: `TaskCache of ${hive.file ?? "a SOFTWARE hive"}`,
        displayFolder: "C:\\Windows\\System32\\Tasks",
        software: () => Promise.resolve(hive),
        expand: (text) => registry.expandEnvironment(text, env),
        openImage: () => undefined,
      }));
    }
  }
  if (sources.length === 0) {
    return {
      noSource: "no mounted root holds Windows tasks or Linux schedulers, and no SOFTWARE hive",
    };
  }
  // The scanning machine's name is not the image's: offline objects name no computer.
  const observe = () => ({ time: new Date().toISOString() });
  return { sources, observe };
}
