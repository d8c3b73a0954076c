import { deepStrictEqual } from "node:assert/strict";
import { withAbsolutePaths } from "./task_paths.ts";

Deno.test("withAbsolutePaths resolves every path of a task against the folder given", () => {
  const task = withAbsolutePaths({
    version: 1,
    iocPaths: ["iocs", "/abs/x.ioc"],
    scopes: [{ path: "./tree", depth: 2 }],
    evidence: ["case/Security.evtx"],
    evtx: ["logs"],
    hives: ["NTUSER.DAT"],
    roots: ["../mnt"],
    databasePath: "results.db",
  }, "/cases/ws01");
  deepStrictEqual(task, {
    version: 1,
    iocPaths: ["/cases/ws01/iocs", "/abs/x.ioc"],
    scopes: [{ path: "/cases/ws01/tree", depth: 2 }],
    evidence: ["/cases/ws01/case/Security.evtx"],
    evtx: ["/cases/ws01/logs"],
    hives: ["/cases/ws01/NTUSER.DAT"],
    roots: ["/cases/mnt"],
    databasePath: "/cases/ws01/results.db",
  });
});

Deno.test("withAbsolutePaths leaves a PostgreSQL URL, :memory: and absent keys as they are", () => {
  for (const databasePath of ["postgres://u@db/iocscan", ":memory:"]) {
    deepStrictEqual(withAbsolutePaths({ version: 1, iocPaths: [], databasePath }, "/c"), {
      version: 1,
      iocPaths: [],
      databasePath,
    });
  }
});

Deno.test("withAbsolutePaths: a collector's evidence option (diskImages) is made absolute too", () => {
  const task = withAbsolutePaths(
    { version: 1, iocPaths: [], diskImages: ["case/disk.dd"] } as unknown as Parameters<
      typeof withAbsolutePaths
    >[0],
    "/cases",
  );
  deepStrictEqual((task as unknown as Record<string, unknown>).diskImages, ["/cases/case/disk.dd"]);
});
