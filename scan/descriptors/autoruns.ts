/**
 * The autoruns collector's descriptor: the autostart places of the live
 * system (Windows: the registry, the Startup folders, WMI subscriptions;
 * Linux: systemd, rc.local, init.d, ld.so.preload, shell profiles,
 * authorized_keys, XDG autostart), or of offline evidence (the hives of
 * mounted roots and `--hive` files, the roots' Startup folders; WMI is not
 * read offline). Scheduled tasks and cron come from the task collector's
 * sources (`taskSources`, `listTasks`), services and drivers from the
 * service collector's (`listServiceEntries`).
 *
 * @module
 */
import { thisComputerName } from "../../collectors/live/mod.ts";
import { imageDrive } from "../../windows/drive_letters.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor, ScanEvidence } from "../collector_descriptor.ts";
import type { ScanTask } from "../scan_task.ts";
import type { AutostartProvider, ProvidedAutostart } from "../../collectors/autoruns/mod.ts";
import type { ServiceSourceResult } from "../../collectors/service/mod.ts";
import { taskSources } from "./task.ts";

/**
 * The services and drivers (Windows, live or offline) of the scan, as two
 * autostart providers over one read of the service collector's sources
 * (`listServiceEntries`): a service's image (and its ServiceDll, when it has
 * one) and a driver's file. On Linux, services are systemd units, which the
 * view reads itself.
 */
function serviceProviders(
  evidence: ScanEvidence,
  roots: readonly { path: string; drive: string }[],
  platform: string,
): AutostartProvider[] {
  let read: Promise<ServiceSourceResult> | undefined;
  const entries = async () => {
    const { listServiceEntries } = await import("../../collectors/service/mod.ts");
    return await (read ??= evidence.offline
      ? listServiceEntries({ hives: evidence.hives, roots })
      : listServiceEntries({ hives: [], roots: [], platform }));
  };
  const provider = (kind: "service" | "driver"): AutostartProvider => ({
    category: kind,
    async autostarts() {
      return serviceAutostarts(await entries(), kind);
    },
  });
  return [provider("service"), provider("driver")];
}

/** The ServiceItem fields that name an autostart image (its own entry each). */
const imageFields = ["path", "serviceDLL"] as const;

/**
 * The autostart records of one kind (services or drivers) of a service
 * source's read: a service's image (and its ServiceDll, when it has one), a
 * driver's file. A skip that leaves documents unread, or an entry whose
 * image or ServiceDll the source could not tell (the SCM or the registry
 * would not give), leaves the place read in part: its records count, a miss
 * does not.
 */
export function serviceAutostarts(
  found: ServiceSourceResult,
  kind: "service" | "driver",
): ProvidedAutostart[] | { records: ProvidedAutostart[]; unread: string } {
  const unread = found.skips.filter((skip) => skip.unreadDocuments !== undefined)
    .map((skip) => `${skip.object}: ${skip.detail}`);
  const records = found.entries.filter((entry) => entry.kind === kind).flatMap((entry) => {
    for (const field of imageFields) {
      const why = entry.notKnown?.[field];
      if (why !== undefined) unread.push(`${entry.sourceKey}: ${why}`);
    }
    const common = {
      location: entry.sourceKey,
      name: entry.name,
      ...(entry.mode === undefined ? {} : { enabled: !/DISABLED|^disabled$/i.test(entry.mode) }),
      ...(entry.startedAs === undefined ? {} : { username: entry.startedAs }),
      ...(entry.source === undefined ? {} : { source: entry.source }),
      ...(entry.time === undefined ? {} : { time: entry.time }),
    };
    const image: ProvidedAutostart = {
      ...common,
      command: [entry.path, entry.arguments].filter((part) => part).join(" "),
      ...(entry.path === undefined ? {} : { imagePath: entry.path }),
      arguments: entry.arguments ?? "",
    };
    const dll: ProvidedAutostart[] = entry.serviceDll === undefined ? [] : [{
      ...common,
      name: `${entry.name} (ServiceDll)`,
      command: entry.serviceDll,
      imagePath: entry.serviceDll,
      arguments: "",
    }];
    return [image, ...dll];
  });
  return unread.length === 0 ? records : { records, unread: unread.join("; ") };
}

/**
 * The scheduled tasks (Windows) or cron, anacron, systemd timers and `at`
 * jobs (Linux) of the scan, as an autostart provider over the task
 * collector's own sources. A task source read only in part (a folder past
 * its cap, a SOFTWARE hive that would not open) leaves the place unread.
 */
function taskProvider(
  task: ScanTask,
  evidence: ScanEvidence,
  platform: string,
  category: "scheduled-task" | "cron",
): AutostartProvider {
  return {
    category,
    async autostarts(signal) {
      const found = await taskSources(task, evidence, platform);
      if ("noSource" in found) return found.noSource;
      const { listTasks } = await import("../../collectors/task/mod.ts");
      const unread: string[] = [];
      const entries = await listTasks(found.sources, (event) => {
        const skip = event.skip as { object?: string; detail?: string; unreadDocuments?: unknown };
        if (skip?.unreadDocuments !== undefined) unread.push(`${skip.object}: ${skip.detail}`);
      }, signal);
      const records = entries.map((entry) => ({
        location: entry.sourceFile ?? entry.name,
        name: entry.name,
        command: [entry.imagePath, entry.arguments].filter((part) => part).join(" "),
        ...(entry.imagePath === undefined ? {} : { imagePath: entry.imagePath }),
        ...(entry.arguments === undefined ? {} : { arguments: entry.arguments }),
        ...(entry.enabled === undefined ? {} : { enabled: entry.enabled }),
        ...(entry.sourceFile === undefined ? {} : { source: entry.sourceFile }),
      }));
      return unread.length === 0 ? records : { records, unread: unread.join("; ") };
    },
  };
}

/** The autoruns collector: AutorunItem objects, and each entry's image as a FileItem. */
export const autorunsDescriptor: CollectorDescriptor = {
  name: "autoruns",
  documents: documentsOfCollector("autoruns"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    const autoruns = await import("../../collectors/autoruns/mod.ts");
    const computer = evidence.offline ? undefined : thisComputerName() || undefined;
    if (evidence.offline) {
      if (evidence.roots.length === 0 && evidence.hives.length === 0) {
        return { noSource: "an offline scan with no mounted root and no hive" };
      }
      const volumes = evidence.roots.map((path) => ({
        path,
        drive: imageDrive(path, task.rootDrive),
      }));
      let opened: ReturnType<typeof autoruns.offlineRegistryMounts> | undefined;
      // One mount of the hives for both the registry places and the Startup folders' verdicts.
      const mounts = () =>
        opened ??= autoruns.offlineRegistryMounts(evidence.roots, evidence.hives);
      const sources = [
        autoruns.registryAutorunSource(mounts),
        ...volumes.map((volume) => autoruns.startupFolderSource(volume, mounts)),
        autoruns.offlineWmiSource(),
        autoruns.providedSource(
          taskProvider(task, evidence, platform, "scheduled-task"),
          (command) => autoruns.windowsCommandImage(command, new Map()),
        ),
        ...serviceProviders(evidence, volumes, platform).map((provider) =>
          autoruns.providedSource(
            provider,
            (command) => autoruns.windowsCommandImage(command, new Map()),
          )
        ),
      ];
      return {
        collector: autoruns.createAutorunsCollector({
          sources,
          locate: autoruns.volumeImageLocator(volumes),
          windowsPaths: true,
          followSymlinks: false,
        }),
      };
    }
    if (platform === "windows") {
      const env = new Map(
        Object.entries(Deno.env.toObject()).map(([k, v]) => [k.toUpperCase(), v]),
      );
      const systemRoot = env.get("SYSTEMROOT") ?? "C:\\Windows";
      const drive = env.get("SYSTEMDRIVE") ?? "C:";
      return {
        collector: autoruns.createAutorunsCollector({
          sources: [
            autoruns.registryAutorunSource(autoruns.liveRegistryMounts),
            autoruns.startupFolderSource(
              { path: `${drive}\\`, drive },
              autoruns.liveRegistryMounts,
            ),
            autoruns.wmiSubscriptionSource(env),
            autoruns.providedSource(
              taskProvider(task, evidence, platform, "scheduled-task"),
              (command) => autoruns.windowsCommandImage(command, env),
            ),
            ...serviceProviders(evidence, [], platform).map((provider) =>
              autoruns.providedSource(
                provider,
                (command) => autoruns.windowsCommandImage(command, env),
              )
            ),
          ],
          locate: autoruns.liveWindowsImageLocator(systemRoot),
          windowsPaths: true,
          followSymlinks: true,
          ...(computer === undefined ? {} : { computer }),
        }),
      };
    }
    if (platform === "linux") {
      return {
        collector: autoruns.createAutorunsCollector({
          sources: [
            autoruns.linuxAutorunSource("/"),
            autoruns.providedSource(
              taskProvider(task, evidence, platform, "cron"),
              autoruns.posixCommandImage,
            ),
          ],
          locate: autoruns.posixImageLocator("/"),
          windowsPaths: false,
          followSymlinks: true,
          ...(computer === undefined ? {} : { computer }),
        }),
      };
    }
    return { noSource: `no autostart source on ${platform}` };
  },
};
