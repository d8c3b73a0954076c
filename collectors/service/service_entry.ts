/**
 * One service or driver as its configuration describes it, whatever the
 * source (the SYSTEM hive's `Services` key, a systemd unit file, a SysV init
 * script, the kernel's module list): the service and driver collectors turn
 * entries into ServiceItem and DriverItem objects, and the autoruns view
 * lists them as autostart places.
 *
 * @module
 */
import type { SplitImagePath } from "./image_path.ts";

/** Whether an entry is a service (a process the system starts) or a kernel driver. */
export type ServiceKind = "service" | "driver";

/** One service or driver. */
export interface ServiceEntry {
  kind: ServiceKind;
  /** The service's key or unit name, e.g. `Dnscache`, `ssh.service`. */
  name: string;
  /** `DisplayName`, or a unit's `Description=` first line. */
  descriptiveName?: string;
  description?: string;
  /** How it starts: `SERVICE_AUTO_START`…, or `enabled`/`disabled`/`static` for a unit. */
  mode?: string;
  /** The account it runs as (`ObjectName`, a unit's `User=`). */
  startedAs?: string;
  /** The image as an IOC writes it: `C:\Windows\system32\svchost.exe`, `/usr/sbin/sshd`. */
  path?: string;
  /** The command line after the image. */
  arguments?: string;
  /**
   * A service's unquoted command line with spaces: the images Windows tries
   * before `path`, in order (image_path.ts `earlierImages`).
   */
  earlierImages?: readonly SplitImagePath[];
  /** `Parameters\ServiceDll` (Windows form). */
  serviceDll?: string;
  /** `FailureCommand`: what runs when the service fails. */
  failureCommand?: string;
  /** `SERVICE_WIN32_OWN_PROCESS`…, or a unit's `Type=`. */
  type?: string;
  /** `SERVICE_RUNNING`…, known live only. */
  status?: string;
  /** The process id of a running service, known live only. */
  pid?: number;
  /** Where the entry is configured: a registry key path or a file, as an analyst writes it. */
  sourceKey: string;
  /** The file read (a hive, a unit file), for provenance. */
  source?: string;
  /** When the configuration was last written (a key's last-written time), ISO 8601 UTC. */
  time?: string;
  /** Where this machine opens the image (below a mounted root), when it can. */
  pathOpen?: string;
  /** Where this machine opens the service DLL, when it can. */
  serviceDllOpen?: string;
  /** Fields this source could not tell for this entry, with why (ServiceItem names). */
  notKnown?: Readonly<Record<string, string>>;
  /** Why the image and service DLL cannot be opened here (no `pathOpen`), when so. */
  notOpened?: string;
}
