import { strictEqual } from "node:assert/strict";
import { renderModuleText } from "./md5_lanes_module_write.ts";

Deno.test("md5_lanes_module.ts matches md5_lanes.ts (regenerate: deno run -P=engine collectors/hashing/md5_lanes_module_write.ts)", async () => {
  const checkedIn = await Deno.readTextFile(new URL("./md5_lanes_module.ts", import.meta.url));
  strictEqual(checkedIn, renderModuleText());
});
