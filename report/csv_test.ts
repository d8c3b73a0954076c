import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { buildHostileRun, PAYLOADS } from "./_report_fixtures.ts";
import { CSV_BOM, csvField, renderCsv } from "./csv.ts";
import { EVIDENCE_COLUMNS } from "./evidence_rows.ts";
import { readRunReport } from "./run_report.ts";

/** An RFC 4180 parser for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      record.push(field);
      field = "";
    } else if (character === "\r" && text[index + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      index++;
    } else field += character;
  }
  return records;
}

Deno.test("csvField: quotes, doubles quotes, defuses formula starts", () => {
  strictEqual(csvField("a,b"), `"a,b"`);
  strictEqual(csvField(`say "hi"`), `"say ""hi"""`);
  strictEqual(csvField("line\r\nbreak"), `"line\r\nbreak"`);
  for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
    strictEqual(csvField(`${start}cmd|' /C calc'!A0`), `"'${start}cmd|' /C calc'!A0"`);
  }
  strictEqual(csvField("plain"), `"plain"`);
});

Deno.test("renderCsv: BOM, header, one row per evidence item, values exact", async () => {
  const folder = await Deno.makeTempDir({ prefix: "iocscan-csv-" });
  const { store, runId } = await buildHostileRun(join(folder, "results.db"));
  try {
    const report = await readRunReport(store, runId);
    ok(report);
    const text = renderCsv(report);
    ok(text.startsWith(CSV_BOM));
    const [header, ...rows] = parseCsv(text.slice(1));
    strictEqual(header!.join(","), EVIDENCE_COLUMNS.join(","));
    strictEqual(rows.length, 3);
    const column = (name: typeof EVIDENCE_COLUMNS[number]) => EVIDENCE_COLUMNS.indexOf(name);
    for (const row of rows) {
      strictEqual(row.length, EVIDENCE_COLUMNS.length);
      strictEqual(row[column("runId")], String(runId));
      strictEqual(row[column("host")], "ws-17");
      strictEqual(row[column("severity")], "critical");
      strictEqual(row[column("iocName")], PAYLOADS.iocName);
      ok(!isNaN(Date.parse(row[column("time")]!)));
    }
    strictEqual(rows[0]![column("observed")], PAYLOADS.fileName);
    strictEqual(rows[1]![column("source")], "/evidence/Security.evtx");
    strictEqual(rows[1]![column("recorded")], "2026-12-01T10:00:00.000Z");
    strictEqual(rows[2]![column("observed")], PAYLOADS.registryValue);
  } finally {
    await store.close();
    await Deno.remove(folder, { recursive: true });
  }
});
