import { deepStrictEqual } from "node:assert/strict";
import { collectorForDocument, selectCollectors, unknownTypes } from "./collector_selection.ts";

Deno.test("selectCollectors() runs only the collectors the documents need", () => {
  const selection = selectCollectors(["FileItem", "processEvent", "ServiceItem", "PrefetchItem"]);
  deepStrictEqual(selection.run, ["file", "eventlog", "service"]);
  deepStrictEqual(selection.uncovered.get("PrefetchItem"), "no-collector");
});

Deno.test("selectCollectors() lets --types override the automatic choice", () => {
  const selection = selectCollectors(["FileItem", "RegistryItem"], ["registry", "eventlog"]);
  deepStrictEqual(selection.run, ["eventlog", "registry"]);
  deepStrictEqual(selection.uncovered.get("FileItem"), "type-not-selected");
});

Deno.test("collectorForDocument() reads the catalogue, whatever the case", () => {
  deepStrictEqual(collectorForDocument("fileitem"), "file");
  deepStrictEqual(collectorForDocument("RegistryItem"), "registry");
  deepStrictEqual(collectorForDocument("EventLogItem"), "eventlog");
  deepStrictEqual(collectorForDocument("Yara"), undefined);
  deepStrictEqual(unknownTypes(["file", "Registry", "memory"]), ["memory"]);
});

Deno.test("selectCollectors runs the `also` collectors in addition to types and documents, never instead", () => {
  const selection = selectCollectors(["FileItem", "RegistryItem"], ["file"], ["process-modules"]);
  deepStrictEqual(selection.run, ["file", "process-modules"]);
  deepStrictEqual([...selection.uncovered], [["RegistryItem", "type-not-selected"]]);
  const automatic = selectCollectors(["FileItem"], undefined, ["driver", "disk"]);
  deepStrictEqual(automatic.run, ["file", "driver", "disk"]);
});
