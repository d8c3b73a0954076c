/**
 * The event-log collector: Windows event records (offline .evtx files, live
 * channels through wevtutil) and the systemd journal, as EventLogItem and the
 * HX real-time event documents (processEvent, imageLoadEvent, fileWriteEvent,
 * regKeyEvent, dnsLookupEvent, ipv4NetworkEvent). docs/eventlog.md describes
 * the mapping.
 *
 * @module
 */
export {
  createEventLogCollector,
  defaultChannels,
  type EventLogCollector,
  type EventLogCollectorOptions,
  eventLogDocuments,
  eventLogSources,
  liveDefaultDays,
  sysmonChannel,
} from "./collector.ts";
export { eventLogCollectorName } from "./collector_name.ts";
export {
  type CommandRunner,
  recordedCommand,
  type RunningCommand,
  spawnCommand,
} from "../live/command_runner.ts";
export {
  dataAsMessage,
  eventKey,
  eventLogItemFields,
  eventProvenance,
  eventTypeName,
  toEventLogItem,
} from "./event_log_item.ts";
export { evtxFileSource, type EvtxFileSourceOptions, findLogsFolder } from "./evtx_source.ts";
export {
  EvidenceRefusedError,
  type FileByteSource,
  openFileByteSource,
} from "./file_byte_source.ts";
export {
  baseName,
  hxDocumentFor,
  hxEventDocuments,
  parseSysmonHashes,
  splitFilePath,
  sysmonTime,
  toHxEvent,
} from "./hx_events.ts";
export {
  journalctlArgs,
  journalEntryToItem,
  journalSource,
  type JournalSourceOptions,
} from "./journal_source.ts";
export {
  normalizeHiveName,
  type RegistryPathParts,
  splitRegistryEventPath,
} from "./registry_path.ts";
export {
  decodeEntities,
  eventFromRenderedXml,
  EventXmlSplitter,
  parseXmlElement,
} from "./rendered_xml.ts";
export {
  emptyStats,
  type EventLogSource,
  type EventLogStats,
  type SourceContext,
} from "./source.ts";
export {
  timeFilterQuery,
  wevtutilArgs,
  wevtutilSource,
  type WevtutilSourceOptions,
} from "./wevtutil_source.ts";
export { dataValue, eventFromRecord, type WindowsEvent } from "./windows_event.ts";
