import { deepStrictEqual } from "node:assert/strict";
import { parsePasswd, passwdOwnerLookup } from "./owner_names.ts";

Deno.test("parsePasswd maps uids to the first name and skips comments and broken lines", () => {
  const names = parsePasswd(
    "# comment\nroot:x:0:0:root:/root:/bin/bash\nbroken\nalias:x:0:0::/:/bin/sh\nsvc:x:998:998::/:/usr/sbin/nologin\nbad:x:abc:1::/:\n",
  );
  deepStrictEqual([...names], [[0, "root"], [998, "svc"]]);
});

Deno.test("passwdOwnerLookup names known uids and falls back to the number", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${folder}/passwd`, "root:x:0:0::/root:/bin/sh\n");
    const lookup = passwdOwnerLookup(`${folder}/passwd`);
    const info = await Deno.stat(folder);
    deepStrictEqual(await lookup.ownerOf(folder, { ...info, uid: 0 }), "root");
    deepStrictEqual(await lookup.ownerOf(folder, { ...info, uid: 4242 }), "4242");
    deepStrictEqual(await lookup.ownerOf(folder, { ...info, uid: null }), undefined);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
