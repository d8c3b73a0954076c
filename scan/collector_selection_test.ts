import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { collectorForDocument, selectCollectors, unknownTypes } from "./collector_selection.ts";

Deno.test("selectCollectors() runs only the collectors the documents need", () => {
  const selection = selectCollectors(["FileItem", "processEvent", "ProcessItem"]);
  assertEquals(selection.run, ["file", "eventlog"]);
  assertEquals(selection.uncovered.get("ProcessItem"), "no-collector");
});

Deno.test("selectCollectors() lets --types override the automatic choice", () => {
  const selection = selectCollectors(["FileItem", "RegistryItem"], ["registry", "eventlog"]);
  assertEquals(selection.run, ["eventlog", "registry"]);
  assertEquals(selection.uncovered.get("FileItem"), "type-not-selected");
});

Deno.test("collectorForDocument() reads the catalogue, whatever the case", () => {
  assertEquals(collectorForDocument("fileitem"), "file");
  assertEquals(collectorForDocument("RegistryItem"), "registry");
  assertEquals(collectorForDocument("EventLogItem"), "eventlog");
  assertEquals(collectorForDocument("Yara"), undefined);
  assertEquals(unknownTypes(["file", "Registry", "memory"]), ["memory"]);
});
