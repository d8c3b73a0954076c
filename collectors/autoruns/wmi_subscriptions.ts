/**
 * WMI permanent event subscriptions (`root\subscription`): each binding of
 * an event filter to a consumer is an entry; a CommandLineEventConsumer's
 * command line or an ActiveScriptEventConsumer's script file is its image.
 * Live Windows only, through `Get-CimInstance` with the CIM readers' cap and
 * deadline; offline the repository (OBJECTS.DATA) is not parsed, and the
 * source says so.
 *
 * @module
 */
import { type CimObject, cimString, readCimJson } from "../net_table/mod.ts";
import type { CommandRunner } from "../live/mod.ts";
import type { AutorunEntry } from "./autorun_entry.ts";
import { windowsCommandImage } from "./command_image.ts";
import { type AutorunRead, type AutorunSource, emptyRead } from "./source.ts";

/** The PowerShell pipeline: every binding with its filter's query and its consumer's fields. */
export const wmiSubscriptionScript = [
  "$ns='root\\subscription';",
  "$f=@{}; Get-CimInstance -Namespace $ns -ClassName __EventFilter | ForEach-Object { $f[$_.Name]=$_.Query };",
  "$c=@{}; Get-CimInstance -Namespace $ns -ClassName __EventConsumer | ForEach-Object { $c[$_.Name]=$_ };",
  "Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding | ForEach-Object {",
  "$k=$_.Consumer; $o=$c[$k.Name];",
  "[pscustomobject]@{ Filter=$_.Filter.Name; Query=$f[$_.Filter.Name]; Consumer=$k.Name;",
  "ConsumerClass=$k.CimClass.CimClassName; CommandLineTemplate=$o.CommandLineTemplate;",
  "ExecutablePath=$o.ExecutablePath; ScriptFileName=$o.ScriptFileName; ScriptText=$o.ScriptText } }",
  "| ConvertTo-Json -Compress -Depth 3",
].join(" ");

const location = "root\\subscription";

/** The entry of one binding as PowerShell printed it. */
export function wmiBindingEntry(object: CimObject, env: ReadonlyMap<string, string>): AutorunEntry {
  const filter = cimString(object, "Filter") ?? "";
  const consumer = cimString(object, "Consumer") ?? "";
  const command = cimString(object, "CommandLineTemplate") ?? cimString(object, "ExecutablePath") ??
    cimString(object, "ScriptFileName") ?? cimString(object, "ScriptText") ?? "";
  const script = cimString(object, "ScriptFileName");
  const image = script !== undefined
    ? { imagePath: script, arguments: "" }
    : cimString(object, "ScriptText") !== undefined &&
        cimString(object, "CommandLineTemplate") === undefined
    ? { arguments: "" }
    : windowsCommandImage(command, env);
  const entry: AutorunEntry = {
    category: "wmi-subscription",
    location: `${location}\\${cimString(object, "ConsumerClass") ?? "__EventConsumer"}`,
    entryName: `${filter} -> ${consumer}`,
    command,
    arguments: [image.arguments, cimString(object, "Query")].filter((part) => part).join(
      " ; query: ",
    ),
  };
  if (image.imagePath !== undefined) entry.imagePath = image.imagePath;
  return entry;
}

/** Live: the bindings through PowerShell (tests pass a recorded runner). */
export function wmiSubscriptionSource(
  env: ReadonlyMap<string, string>,
  runner?: CommandRunner,
): AutorunSource {
  return {
    name: "wmi",
    async read(signal): Promise<AutorunRead> {
      const read = emptyRead();
      const cim = await readCimJson(wmiSubscriptionScript, {
        ...(signal ? { signal } : {}),
        ...(runner ? { runner } : {}),
      });
      if (!cim.ok) {
        read.skips.push({
          object: location,
          reason: "source-unavailable",
          detail: cim.detail,
          whole: true,
        });
        return read;
      }
      for (const object of cim.objects) read.entries.push(wmiBindingEntry(object, env));
      return read;
    },
  };
}

/** Offline: not supported (the WMI repository is not parsed); said as a skip of the place. */
export function offlineWmiSource(): AutorunSource {
  return {
    name: "wmi",
    read() {
      const read = emptyRead();
      read.skips.push({
        object: location,
        reason: "unsupported",
        detail:
          "WMI permanent event subscriptions are not read from offline evidence (OBJECTS.DATA is not parsed)",
        whole: true,
      });
      return Promise.resolve(read);
    },
  };
}
