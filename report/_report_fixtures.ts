/**
 * A stored run for the report tests, built with code: a detection of an IOC whose name, a file
 * name, an event field and a registry value carry HTML payloads, a skip, a warning and an item
 * not evaluated. Not part of the public API.
 *
 * @module
 */
import type { DetectionEvent } from "../contracts/events.ts";
import { ioc11, item11, param11, utf8 } from "../openioc/_ioc_fixtures.ts";
import { parseIoc } from "../openioc/parse_ioc.ts";
import { openStore, type ResultStore } from "../store/mod.ts";

/** Payloads planted in attacker-controlled values; none may become markup. */
export const PAYLOADS = {
  iocName: `<script>alert("ioc")</script>`,
  fileName: `<img src=x onerror=alert("file")>.exe`,
  eventField: `</style><script>alert("event")</script>`,
  registryValue: `"><svg onload=alert("reg")>`,
} as const;

/** XML text escaping for the fixture's IOC file. */
function xmlText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** The hostile IOC file: severity `critical` (score 95), one item not evaluated. */
export function hostileIoc(): Uint8Array {
  const criteria = `<Indicator id="root" operator="OR">` +
    item11("file-item", "contains", "FileItem/FileName", "onerror") +
    item11("event-item", "contains", "EventLogItem/message", "script") +
    item11("reg-item", "contains", "RegistryItem/Text", "svg") +
    item11("yara-item", "contains", "Yara/TextString", "x") +
    `</Indicator>`;
  return utf8(
    ioc11(criteria, {
      id: "6f7a9a57-0b6c-4d8e-9a4e-3f2b1c0d9e8f",
      parameters: param11("root", "score", "95"),
    })
      .replace(
        "<short_description>Test 1.1</short_description>",
        `<short_description>${xmlText(PAYLOADS.iocName)}</short_description>`,
      ),
  );
}

/** Builds a store at `path` holding one finished run with the hostile detection; returns its id. */
export async function buildHostileRun(
  path: string,
): Promise<{ store: ResultStore; runId: number }> {
  const store = await openStore(path);
  const content = hostileIoc();
  const { document } = parseIoc(content, "/iocs/hostile.ioc");
  const runId = await store.startRun({
    taskName: "nightly <b>",
    host: "ws-17",
    user: "root",
    options: { since: "2026-12-01T00:00:00.000Z" },
    iocFiles: [{
      file: "/iocs/hostile.ioc",
      content,
      iocs: [{ id: document.id, name: PAYLOADS.iocName }],
    }],
  });
  const ioc = {
    id: document.id,
    sha256: document.contentHash,
    name: PAYLOADS.iocName,
    file: "/iocs/hostile.ioc",
    version: "1.1",
  };
  const detection: DetectionEvent = {
    type: "detection",
    runId,
    ioc,
    evidence: [
      {
        document: "FileItem",
        object: `/srv/upload/${PAYLOADS.fileName}`,
        indicator: "root",
        items: [{
          id: "file-item",
          search: "FileItem/FileName",
          condition: "contains",
          negate: false,
          preserveCase: false,
          expected: "onerror",
          observed: PAYLOADS.fileName,
        }],
      },
      {
        document: "EventLogItem",
        object: "Security#4711",
        indicator: "root",
        source: "/evidence/Security.evtx",
        time: "2026-12-01T10:00:00.000Z",
        items: [{
          id: "event-item",
          search: "EventLogItem/message",
          condition: "contains",
          negate: false,
          preserveCase: false,
          expected: "script",
          observed: PAYLOADS.eventField,
        }],
      },
      {
        document: "RegistryItem",
        object: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater",
        indicator: "root",
        source: "/evidence/SOFTWARE",
        items: [{
          id: "reg-item",
          search: "RegistryItem/Text",
          condition: "contains",
          negate: false,
          preserveCase: false,
          expected: "svg",
          observed: PAYLOADS.registryValue,
        }],
      },
    ],
  };
  await store.addDetections(runId, [detection]);
  await store.addSkipped(runId, [{
    type: "skipped",
    collector: "file",
    object: `/srv/${PAYLOADS.fileName}.lnk`,
    reason: "symlink",
  }]);
  await store.addFindings(runId, [{
    type: "finding",
    runId,
    source: "process-modules",
    kind: "anonymous-executable-memory",
    object: `pid 4242 (${PAYLOADS.fileName}) [7f00-7f01]`,
    severity: "notice",
    detail: `executable memory no file backs: ${PAYLOADS.eventField}`,
    time: "2026-12-01T10:00:01.000Z",
  }]);
  await store.addWarnings(runId, [{
    type: "warning",
    code: "odd-value",
    message: `a value ${PAYLOADS.eventField}`,
  }]);
  await store.finishRun(runId, {
    status: "completed",
    counts: { iocs: 1, objects: 3, detections: 1, skipped: 1, warnings: 1 },
  });
  return { store, runId };
}
