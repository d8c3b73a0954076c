/**
 * The critical-areas scan's antivirus hand-off (docs/critical-scan.md):
 * ClamAV (`clamscan`) and Microsoft Defender behind one engine interface,
 * and the collector of findings that runs an engine on the critical set.
 *
 * @module
 */
export {
  type AntivirusChoice,
  antivirusChoices,
  type AntivirusDetection,
  type AntivirusEngine,
  type AntivirusReport,
  type AntivirusSkip,
} from "./antivirus.ts";
export {
  clamavEngine,
  clamavEngineName,
  type ClamavOptions,
  clamscanArguments,
  defaultClamavMaxFileSize,
  defaultClamavMaxScanSize,
  readClamscanReport,
} from "./clamav.ts";
export {
  defenderActive,
  defenderDetections,
  defenderDetectionsScript,
  defenderEngine,
  defenderEngineName,
  type DefenderOptions,
  defenderStatusScript,
} from "./defender.ts";
export {
  type AntivirusCollector,
  antivirusCollectorName,
  type AntivirusCollectorOptions,
  antivirusFilesNotScanned,
  antivirusFinding,
  type AntivirusStats,
  antivirusUnavailable,
  createAntivirusCollector,
  type CriticalFile,
  type CriticalSet,
} from "./antivirus_collector.ts";
