import { deepStrictEqual } from "node:assert/strict";
import { criticalScanTask } from "./critical_areas.ts";

Deno.test("criticalScanTask(): the boot records (disk) and the ESP's boot files are critical areas, run before the antivirus hand-off", () => {
  deepStrictEqual(
    criticalScanTask({ iocPaths: [], antivirus: "auto" }).types,
    ["process", "process-modules", "driver", "autoruns", "disk", "boot-files", "antivirus"],
  );
  deepStrictEqual(
    criticalScanTask({ iocPaths: [], antivirus: "none" }).types,
    ["process", "process-modules", "driver", "autoruns", "disk", "boot-files"],
  );
});
