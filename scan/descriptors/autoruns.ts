/**
 * The autoruns collector's descriptor: the autostart places of the live
 * system (Windows: the registry, the Startup folders, WMI subscriptions;
 * Linux: systemd, rc.local, init.d, ld.so.preload, shell profiles,
 * authorized_keys, XDG autostart), or of offline evidence (the hives of
 * mounted roots and `--hive` files, the roots' Startup folders; WMI is not
 * read offline). Services, drivers, scheduled tasks and cron come from their
 * collectors' entry lists once those are built in; until then each is a skip
 * of its place.
 *
 * @module
 */
import { imageDrive } from "../../windows/drive_letters.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The places other collectors list, with the collector that owns each, per platform. */
const providedPlaces = {
  windows: [["service", "service"], ["driver", "driver"], ["scheduled-task", "task"]],
  linux: [["cron", "task"]],
} as const;

/** The autoruns collector: AutorunItem objects, and each entry's image as a FileItem. */
export const autorunsDescriptor: CollectorDescriptor = {
  name: "autoruns",
  documents: documentsOfCollector("autoruns"),
  sources: ["live-windows", "live-linux", "offline"],
  options: [],
  async build(task, evidence, platform) {
    const autoruns = await import("../../collectors/autoruns/mod.ts");
    const computer = evidence.offline ? undefined : hostname();
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
        ...providedPlaces.windows.map(([place, owner]) =>
          autoruns.pendingProviderSource(place, owner)
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
            ...providedPlaces.windows.map(([place, owner]) =>
              autoruns.pendingProviderSource(place, owner)
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
            ...providedPlaces.linux.map(([place, owner]) =>
              autoruns.pendingProviderSource(place, owner)
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

function hostname(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}
