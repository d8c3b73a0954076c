import { deepStrictEqual } from "node:assert/strict";
import {
  keyItem,
  registryKeyFieldNames,
  registryValueFieldNames,
  valueItem,
} from "./registry_item.ts";
import type { RegistryMount } from "./source.ts";

const mount = {
  root: "HKEY_USERS",
  mountPath: "S-1-5-21-1",
  role: "NTUSER",
  username: "alice",
  sid: "S-1-5-21-1",
} as unknown as RegistryMount;
const key = { name: "Run", numSubKeys: 0, numValues: 1, modified: new Date(0) };

Deno.test("valueItem and keyItem hold the declared fields in the declared order", () => {
  const value = valueItem(mount, "S-1-5-21-1\\Run", key, {
    name: "x",
    type: 4,
    reportedLength: 4,
    data: new Uint8Array([1, 0, 0, 0]),
  }, new Map());
  deepStrictEqual(Object.keys(value.fields), [
    ...registryKeyFieldNames,
    ...registryValueFieldNames,
  ]);
  const bare = keyItem(mount, "S-1-5-21-1\\Run", { name: "Run", numSubKeys: 0, numValues: 0 });
  deepStrictEqual(Object.keys(bare.fields), [
    ...registryKeyFieldNames.filter((name) => name !== "Modified"),
    ...registryValueFieldNames.slice(0, 2),
  ]);
});
