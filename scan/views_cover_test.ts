import { deepStrictEqual } from "node:assert/strict";
import { viewsCover } from "./views_cover.ts";

const collectors = [
  { name: "autoruns", documents: ["AutorunItem"], viewDocuments: ["FileItem"] },
  { name: "process-modules", documents: [], viewDocuments: ["FileItem"] },
  { name: "driver", documents: ["DriverItem", "ModuleItem"] },
];

Deno.test("viewsCover(): the views' documents count as read, not type-not-selected", () => {
  const uncovered = new Map([["FileItem", "type-not-selected"], [
    "RegistryItem",
    "type-not-selected",
  ]]);
  viewsCover(collectors, uncovered);
  deepStrictEqual([...uncovered.keys()], ["RegistryItem"]);
});

Deno.test("viewsCover(): a view collector's skip that leaves its own documents unread leaves its view short too", () => {
  const cover = viewsCover(collectors, new Map());
  deepStrictEqual(
    cover.unreadWith({ collector: "autoruns", unreadDocuments: ["AutorunItem"] }),
    ["FileItem"],
  );
  // A skip of one object (a file not hashed) leaves nothing unread as a whole.
  deepStrictEqual(cover.unreadWith({ collector: "autoruns" }), []);
  deepStrictEqual(
    cover.unreadWith({ collector: "driver", unreadDocuments: ["ModuleItem"] }),
    [],
  );
});
