/**
 * `RegistryItem/KeyPath` is the key path below the root, mount included
 * (`SOFTWARE\…`, `<SID or profile folder>\Software\…`). IOCs write it with the
 * mount, relative to the hive's root, with a root, or with CurrentControlSet:
 * every spelling meets the key.
 */
import { deepStrictEqual } from "node:assert/strict";
import { detect, ioc, item } from "./_model_fixtures.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";

function key(keyPath: string): ObservedItem {
  return {
    document: "RegistryItem",
    key: keyPath,
    fields: {
      Hive: keyPath.startsWith("SOFTWARE") || keyPath.startsWith("SYSTEM")
        ? "HKEY_LOCAL_MACHINE"
        : "HKEY_USERS",
      KeyPath: keyPath,
    },
  };
}

// A user hive mounted under its profile folder's name (no SOFTWARE hive to give the SID).
const userRun = key("alice\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
const machineRun = key("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
const service = key("SYSTEM\\ControlSet001\\Services\\evilsvc");

async function hitsOn(
  condition: "is" | "starts-with" | "matches" | "contains",
  value: string,
  negate = false,
) {
  const found: string[] = [];
  for (const object of [userRun, machineRun, service]) {
    const detections = await detect(
      ioc(item("RegistryItem/KeyPath", condition, value, { negate })),
      [object],
    );
    if (detections.length > 0) found.push(object.key);
  }
  return found;
}

Deno.test("KeyPath: a user hive's mount name is folded away like Path's", async () => {
  deepStrictEqual(await hitsOn("is", "Software\\Microsoft\\Windows\\CurrentVersion\\Run"), [
    userRun.key,
    machineRun.key, // SOFTWARE\… is the same text, whatever the case
  ]);
  deepStrictEqual(await hitsOn("starts-with", "software\\microsoft\\windows\\currentversion\\"), [
    userRun.key,
    machineRun.key,
  ]);
  deepStrictEqual(
    await hitsOn("matches", "^Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run$"),
    [
      userRun.key,
      machineRun.key,
    ],
  );
});

Deno.test("KeyPath: paths relative to the hive root and CurrentControlSet meet the key", async () => {
  deepStrictEqual(await hitsOn("is", "Microsoft\\Windows\\CurrentVersion\\Run"), [machineRun.key]);
  deepStrictEqual(await hitsOn("is", "CurrentControlSet\\Services\\evilsvc"), [service.key]);
  deepStrictEqual(await hitsOn("is", "SYSTEM\\CurrentControlSet\\Services\\evilsvc"), [
    service.key,
  ]);
  deepStrictEqual(await hitsOn("is", "ControlSet001\\Services\\evilsvc"), [service.key]);
  deepStrictEqual(await hitsOn("is", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\evilsvc"), [
    service.key,
  ]);
  deepStrictEqual(await hitsOn("is", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"), [
    userRun.key,
    machineRun.key,
  ]);
});

Deno.test("KeyPath: near misses stay misses, and negation sees every spelling", async () => {
  deepStrictEqual(await hitsOn("is", "Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce"), []);
  deepStrictEqual(await hitsOn("is", "Windows\\CurrentVersion\\Run"), []);
  deepStrictEqual(await hitsOn("is", "CurrentControlSet\\Services\\othersvc"), []);
  // Not "Software\…\Run": true only where no spelling of the key is that path.
  deepStrictEqual(
    await hitsOn("is", "Software\\Microsoft\\Windows\\CurrentVersion\\Run", true),
    [service.key],
  );
  deepStrictEqual(await hitsOn("contains", "alice\\Software"), [userRun.key]);
});
