/**
 * One autostart entry, as every source of the autoruns view reports it, and
 * its AutorunItem object (an iocscan extension document: OpenIOC has none for
 * autostart places; docs/autoruns.md).
 *
 * @module
 */
import type { ObservedItem } from "../../contracts/observed_item.ts";

/** The AutorunItem document (an iocscan extension). */
export const autorunDocument = "AutorunItem";

/**
 * The kinds of autostart place, as data: the value of `AutorunItem/Category`.
 * Services, drivers, tasks and cron come from other collectors' entry lists
 * (provided_entries.ts).
 */
export const autorunCategories = [
  "run-key",
  "startup-folder",
  "winlogon",
  "ifeo-debugger",
  "silent-process-exit",
  "appinit-dlls",
  "known-dlls",
  "service",
  "driver",
  "scheduled-task",
  "wmi-subscription",
  "systemd-unit",
  "cron",
  "rc-local",
  "init-script",
  "ld-preload",
  "shell-profile",
  "authorized-keys",
  "xdg-autostart",
] as const;

/** One kind of autostart place. */
export type AutorunCategory = typeof autorunCategories[number];

/** One autostart entry. */
export interface AutorunEntry {
  /** What kind of place it is. */
  category: AutorunCategory;
  /**
   * Where it is, as an analyst writes it: the registry key
   * (`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`), the
   * file (`/etc/profile.d/x.sh`, `C:\ProgramData\…\Startup`).
   */
  location: string;
  /** The value, file or unit name; the key's text for an authorized key. */
  entryName: string;
  /** The command as written (before expansion). */
  command: string;
  /** The image the command starts (expanded), when one can be told. */
  imagePath?: string;
  /** The command's arguments after the image. */
  arguments?: string;
  /** False when disabled (StartupApproved, a systemd unit not enabled); absent when not told. */
  enabled?: boolean;
  /** The user the entry belongs to (a user hive's profile, a home's owner), when it is one's. */
  username?: string;
  /** The file read (a hive file, the crontab, the unit file), for provenance. */
  source?: string;
  /** The record's own time (the key's last write, the file's modification), ISO 8601. */
  time?: string;
}

/** `AutorunItem` key: the place, then the entry name. */
export function autorunKey(entry: AutorunEntry): string {
  return `${entry.location} :: ${entry.entryName}`;
}

/** The AutorunItem object of one entry (lazy image digests are added by the collector). */
export function autorunItem(entry: AutorunEntry, computer: string | undefined): ObservedItem {
  const fields: ObservedItem["fields"] = {
    Category: entry.category,
    Location: entry.location,
    EntryName: entry.entryName,
    Command: entry.command,
  };
  if (entry.imagePath !== undefined) fields.ImagePath = entry.imagePath;
  if (entry.arguments !== undefined) fields.Arguments = entry.arguments;
  if (entry.enabled !== undefined) fields.Enabled = entry.enabled;
  if (entry.username !== undefined) fields.Username = entry.username;
  if (entry.source !== undefined) fields.Source = entry.source;
  return {
    document: autorunDocument,
    key: autorunKey(entry),
    fields,
    provenance: {
      ...(entry.source === undefined ? {} : { source: entry.source }),
      ...(entry.time === undefined ? {} : { time: entry.time }),
      ...(computer === undefined ? {} : { computer }),
      autostart: autorunKey(entry),
    },
  };
}
