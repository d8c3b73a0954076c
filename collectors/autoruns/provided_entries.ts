/**
 * Autostart entries that other collectors own: services and drivers
 * (collectors/service, collectors/driver), scheduled tasks and cron
 * (collectors/task). Each gives the autoruns view a list of its autostart
 * records through this small interface, which the descriptor wires
 * (scan/descriptors/autoruns.ts); a place whose collector this build does
 * not have is a skip of the place ({@linkcode pendingProviderSource}).
 *
 * @module
 */
import type { AutorunCategory } from "./autorun_entry.ts";
import { type AutorunRead, type AutorunSource, emptyRead } from "./source.ts";

/** One autostart record another collector read: a service, a driver, a task, a cron line. */
export interface ProvidedAutostart {
  /** Where it is defined: the service key, the task XML, the crontab. */
  location: string;
  /** The service, driver or task name; the crontab line's schedule and user. */
  name: string;
  /** The command as defined (a service's ImagePath, a task's Exec action, a cron command). */
  command: string;
  /** The image, when the providing collector has already split it from its arguments. */
  imagePath?: string;
  arguments?: string;
  /** Whether it starts (a service's Start type, a task's Enabled, a commented cron line). */
  enabled?: boolean;
  username?: string;
  /** The file read, offline. */
  source?: string;
  /** The record's own time (a key's last write, a file's modification), ISO 8601. */
  time?: string;
}

/** What another collector offers: its autostart records, or why it has none. */
export interface AutostartProvider {
  /** The category its records are (`service`, `driver`, `scheduled-task`, `cron`). */
  readonly category: AutorunCategory;
  /**
   * Reads its records; a string says why it cannot (then the view counts it
   * unread), and `unread` beside records why some could not be read (the
   * records read still count, a miss does not).
   */
  autostarts(
    signal?: AbortSignal,
  ): Promise<
    | readonly ProvidedAutostart[]
    | string
    | { readonly records: readonly ProvidedAutostart[]; readonly unread: string }
  >;
}

/**
 * A provider's records as an autoruns source. Records without an image get
 * it from `split` (the platform's command parser).
 */
export function providedSource(
  provider: AutostartProvider,
  split: (command: string) => { imagePath?: string; arguments: string },
): AutorunSource {
  return {
    name: provider.category,
    async read(signal): Promise<AutorunRead> {
      const read = emptyRead();
      const answer = await provider.autostarts(signal);
      if (typeof answer === "string") {
        read.skips.push({
          object: provider.category,
          reason: "source-unavailable",
          detail: answer,
          whole: true,
        });
        return read;
      }
      const records = "records" in answer ? answer.records : answer;
      if ("unread" in answer) {
        read.skips.push({
          object: provider.category,
          reason: "source-unavailable",
          detail: answer.unread,
          whole: true,
        });
      }
      for (const record of records) {
        const image = record.imagePath !== undefined
          ? { imagePath: record.imagePath, arguments: record.arguments ?? "" }
          : split(record.command);
        read.entries.push({
          category: provider.category,
          location: record.location,
          entryName: record.name,
          command: record.command,
          ...(image.imagePath === undefined ? {} : { imagePath: image.imagePath }),
          arguments: image.arguments,
          ...(record.enabled === undefined ? {} : { enabled: record.enabled }),
          ...(record.username === undefined ? {} : { username: record.username }),
          ...(record.source === undefined ? {} : { source: record.source }),
          ...(record.time === undefined ? {} : { time: record.time }),
        });
      }
      return read;
    },
  };
}

/**
 * A place the view does not read yet because its collector is not built in:
 * a skip of the place as a whole, so that an AutorunItem IOC that did not
 * fire is undecided rather than clean, and nobody reads a short list as
 * complete.
 */
export function pendingProviderSource(category: AutorunCategory, collector: string): AutorunSource {
  return {
    name: category,
    read() {
      const read = emptyRead();
      read.skips.push({
        object: category,
        reason: "unsupported",
        detail:
          `${category} entries are not listed: they come from the ${collector} collector, which this build does not have`,
        whole: true,
      });
      return Promise.resolve(read);
    },
  };
}
