import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  collectorsDataFilePath,
  powerShellParameterOf,
  renderCollectorsDataFile,
} from "./collectors_data_file.ts";
import { scanCollectors } from "./collector_list.ts";

Deno.test("renderCollectorsDataFile matches powershell/IocScan/Data/Collectors.psd1 (regenerate: deno run -P=engine scan/collectors_data_file.ts)", async () => {
  const checkedIn = await Deno.readTextFile(
    new URL(`../${collectorsDataFilePath}`, import.meta.url),
  );
  strictEqual(checkedIn, renderCollectorsDataFile());
});

Deno.test("renderCollectorsDataFile lists every collector a scan can run, in run order", () => {
  const names = [...renderCollectorsDataFile().matchAll(/Name {6}= '([^']+)'/g)].map((m) => m[1]);
  deepStrictEqual(names, [...scanCollectors]);
});

Deno.test("powerShellParameterOf spells a flag as the module's parameter", () => {
  const option = { key: "eventLogs", kind: "strings", flag: "--event-log", help: "" } as const;
  strictEqual(powerShellParameterOf(option), "EventLog");
  strictEqual(powerShellParameterOf({ ...option, flag: "--max-file-size" }), "MaxFileSize");
});
