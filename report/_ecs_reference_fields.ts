/**
 * ECS 8.11 field names (Elastic Common Schema reference, https://www.elastic.co/guide/en/ecs/8.11/
 * ecs-field-reference.html: base, ecs, event, host, user, file, hash, process, registry, source,
 * destination, dns, url, rule, threat fields), written down for the test that checks every field
 * the ECS report emits: only the fields iocscan may emit, each as the reference names it. Not part
 * of the public API.
 *
 * @module
 */

/** The ECS version these names come from. */
export const ECS_REFERENCE_VERSION = "8.11";

/** Field names, dotted, as the ECS reference lists them. */
export const ECS_REFERENCE_FIELDS: ReadonlySet<string> = new Set([
  // Base
  "@timestamp",
  "message",
  "tags",
  "labels",
  // ECS
  "ecs.version",
  // Event
  "event.kind",
  "event.category",
  "event.type",
  "event.module",
  "event.dataset",
  "event.provider",
  "event.severity",
  "event.created",
  "event.start",
  "event.end",
  "event.outcome",
  "event.id",
  "event.reason",
  // Host
  "host.name",
  "host.hostname",
  // User
  "user.name",
  // File and hash
  "file.path",
  "file.name",
  "file.directory",
  "file.size",
  "file.hash.md5",
  "file.hash.sha1",
  "file.hash.sha256",
  // Process
  "process.name",
  "process.pid",
  "process.executable",
  "process.command_line",
  // Registry
  "registry.path",
  "registry.key",
  "registry.value",
  "registry.hive",
  "registry.data.strings",
  "registry.data.type",
  // Source, destination, DNS, URL
  "source.ip",
  "source.port",
  "destination.ip",
  "destination.port",
  "dns.question.name",
  "url.full",
  // Rule
  "rule.id",
  "rule.name",
  "rule.uuid",
  "rule.ruleset",
  "rule.version",
  "rule.description",
  "rule.category",
  // Threat
  "threat.indicator.type",
  "threat.indicator.description",
  "threat.indicator.provider",
  "threat.indicator.reference",
  "threat.indicator.confidence",
]);

/** ECS 8.11's allowed values of `event.category`. */
export const ECS_EVENT_CATEGORIES: ReadonlySet<string> = new Set([
  "api",
  "authentication",
  "configuration",
  "database",
  "driver",
  "email",
  "file",
  "host",
  "iam",
  "intrusion_detection",
  "library",
  "malware",
  "network",
  "package",
  "process",
  "registry",
  "session",
  "threat",
  "vulnerability",
  "web",
]);

/** ECS 8.11's allowed values of `event.kind`. */
export const ECS_EVENT_KINDS: ReadonlySet<string> = new Set([
  "alert",
  "asset",
  "enrichment",
  "event",
  "metric",
  "state",
  "pipeline_error",
  "signal",
]);
