/**
 * The severity of a stored detection, computed when it is read (no column holds it): the IOC's
 * severity (openioc/severity.ts) read from the content of the run's snapshot the detection came
 * from; the default when that content is not stored or no longer loads.
 *
 * @module
 */
import type { Kysely } from "kysely";
import { DEFAULT_SEVERITY, type Severity } from "../contracts/severity.ts";
import { parseIoc } from "../openioc/parse_ioc.ts";
import { iocSeverity } from "../openioc/severity.ts";
import type { StoreDatabase } from "./schema.ts";

/** The severity of each IOC content, by SHA-256 (each content read and parsed once). */
export async function storedSeverities(
  db: Kysely<StoreDatabase>,
  sha256s: Iterable<string>,
): Promise<Map<string, Severity>> {
  const wanted = [...new Set([...sha256s].filter((sha256) => sha256 !== ""))];
  const severities = new Map<string, Severity>();
  if (wanted.length === 0) return severities;
  const rows = await db.selectFrom("iocContents").select(["sha256", "content"])
    .where("sha256", "in", wanted).execute();
  for (const row of rows) {
    try {
      severities.set(
        row.sha256,
        iocSeverity(
          parseIoc(new Uint8Array(row.content), row.sha256, { maxFileBytes: Infinity }).document,
        ).severity,
      );
    } catch {
      severities.set(row.sha256, DEFAULT_SEVERITY);
    }
  }
  return severities;
}
