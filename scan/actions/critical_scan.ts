/**
 * The critical-scan action's descriptor (docs/actions.md, docs/critical-scan.md): when a scan's
 * actions include it, the same run also sweeps the critical areas (the collectors of
 * scan/critical_areas.ts) and hands them to the antivirus, in addition to what the IOCs select.
 * The sweep runs with the scan's own collectors, in the one pass of the run (`alsoCollect`), so
 * its objects, findings and detections are the run's, and the actions after it (quarantine,
 * isolate) act on its detections too. It has nothing left to do once the detections are known:
 * its action reports no event of its own.
 *
 * @module
 */
import { antivirusChoices } from "../../actions/critical_scan/antivirus.ts";
import type { ActionDescriptor } from "../action_descriptor.ts";
import { antivirusCollector, criticalAreaCollectors } from "../critical_areas.ts";
import type { ScanTask } from "../scan_task.ts";

/** The task's antivirus choice (`auto` when none is given). */
function antivirusOf(task: ScanTask): string {
  const value = (task as unknown as Record<string, unknown>).antivirus;
  return typeof value === "string" ? value.trim().toLowerCase() : "auto";
}

/** Sweep the critical areas in the same run, and hand them to the host's antivirus. */
export const criticalScanActionDescriptor: ActionDescriptor = {
  name: "critical-scan",
  help: "also sweep the critical areas (running processes and their modules, kernel modules, " +
    "autostart places, boot records) in the same run and hand them to the host's antivirus",
  options: [
    {
      key: "antivirus",
      kind: "string",
      flag: "--antivirus",
      value: "engine",
      help: `the antivirus critical-scan hands the critical set to: ${
        antivirusChoices.join(", ")
      } (default auto)`,
    },
    {
      key: "clamavDatabase",
      kind: "string",
      flag: "--clamav-database",
      value: "path",
      help: "the ClamAV signature database (file or folder) clamscan loads; default: its own",
    },
  ],
  alsoCollect: [...criticalAreaCollectors, antivirusCollector],
  check(task) {
    const choice = antivirusOf(task);
    return (antivirusChoices as readonly string[]).includes(choice)
      ? undefined
      : `--antivirus: unknown antivirus ${JSON.stringify(choice)}; known: ${
        antivirusChoices.join(", ")
      }`;
  },
  build() {
    return Promise.resolve({
      action: {
        name: "critical-scan",
        // The sweep ran with the scan's collectors; its results are the run's objects, findings
        // and detections.
        respond: () => Promise.resolve(),
      },
    });
  },
};
