import { deepStrictEqual } from "node:assert/strict";
import { criticalScanTask } from "./critical_areas.ts";

Deno.test("criticalScanTask(): the boot records (disk) are a critical area, run before the antivirus hand-off", () => {
  deepStrictEqual(
    criticalScanTask({ iocPaths: [], antivirus: "auto" }).types,
    ["process", "process-modules", "driver", "autoruns", "disk", "antivirus"],
  );
  deepStrictEqual(
    criticalScanTask({ iocPaths: [], antivirus: "none" }).types,
    ["process", "process-modules", "driver", "autoruns", "disk"],
  );
});
