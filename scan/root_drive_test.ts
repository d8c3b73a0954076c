import { deepStrictEqual, throws } from "node:assert/strict";
import { parseScanTask, TaskFileError } from "./task_file.ts";

Deno.test("parseScanTask() reads rootDrive as X:", () => {
  const task = parseScanTask(
    { version: 1, iocPaths: ["a"], roots: ["/mnt/img"], rootDrive: "d" },
    "t.json",
  );
  deepStrictEqual(task.rootDrive, "D:");
  for (const rootDrive of ["DD", "1:", 4, ""]) {
    throws(
      () => parseScanTask({ version: 1, iocPaths: ["a"], rootDrive }, "t.json"),
      (error: unknown) => error instanceof TaskFileError && error.place === "rootDrive",
    );
  }
});
