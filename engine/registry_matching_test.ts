/**
 * Registry path terms match whatever spelling the IOC and the source use:
 * HKLM or HKEY_LOCAL_MACHINE, HKCU or HKEY_USERS\<SID>, CurrentControlSet or
 * ControlSet001 — in `is`, `contains`, `starts-with` and `matches` alike.
 */
import { deepStrictEqual } from "node:assert/strict";
import type { IndicatorItem, IocDocument } from "../openioc/model.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { compilePlan } from "./plan.ts";

function registryIoc(id: string, search: string, condition: string, value: string): IocDocument {
  const item: IndicatorItem = {
    kind: "item",
    id: `${id}-item`,
    condition: condition as IndicatorItem["condition"],
    negate: false,
    preserveCase: false,
    context: { document: search.split("/")[0]!, search, type: "mir" },
    content: { type: "string", value },
    parameters: [],
  };
  return {
    id,
    version: "1.1",
    metadata: { shortDescription: id, links: [] },
    root: { kind: "indicator", id: `${id}-top`, operator: "OR", children: [item], parameters: [] },
    parameters: [],
    file: `${id}.ioc`,
    contentHash: "",
  };
}

async function hits(documents: IocDocument[], items: ObservedItem[]): Promise<string[]> {
  const session = compilePlan(documents).createSession();
  for (const item of items) await session.observe(item);
  return session.finish().map((detection) => detection.ioc.id).sort();
}

const userRunValue: ObservedItem = {
  document: "RegistryItem",
  key: "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil",
  fields: {
    Hive: "HKEY_USERS",
    KeyPath: "S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    Path:
      "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil",
    ValueName: "evil",
    Text: "C:\\Users\\Public\\evil.exe",
  },
};

const serviceImagePath: ObservedItem = {
  document: "RegistryItem",
  key: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxNet\\ImagePath",
  fields: {
    Hive: "HKEY_LOCAL_MACHINE",
    KeyPath: "SYSTEM\\ControlSet001\\Services\\MRxNet",
    Path: "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxNet\\ImagePath",
    ValueName: "ImagePath",
    Text: "\\??\\C:\\Windows\\system32\\Drivers\\mrxnet.sys",
  },
};

Deno.test("registry path terms match across root, user and control-set spellings", async () => {
  const iocs = [
    registryIoc(
      "hkcu-is",
      "RegistryItem/Path",
      "is",
      "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil",
    ),
    registryIoc(
      "keypath-is",
      "RegistryItem/KeyPath",
      "is",
      "Software\\Microsoft\\Windows\\CurrentVersion\\Run",
    ),
    registryIoc(
      "ccs-is",
      "RegistryItem/Path",
      "is",
      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MRxNet\\ImagePath",
    ),
    registryIoc(
      "controlset-literal",
      "RegistryItem/Path",
      "is",
      "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MRxNet\\ImagePath",
    ),
    registryIoc("hive-short", "RegistryItem/Hive", "is", "HKU"),
    registryIoc(
      "regex-ccs",
      "RegistryItem/Path",
      "matches",
      "^HKEY_LOCAL_MACHINE\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\[^\\\\]+\\\\ImagePath$",
    ),
    registryIoc("starts-hkcu", "RegistryItem/Path", "starts-with", "HKEY_CURRENT_USER\\Software"),
    registryIoc("other-key", "RegistryItem/Path", "contains", "\\RunOnce\\"),
  ];
  deepStrictEqual(await hits(iocs, [userRunValue, serviceImagePath]), [
    "ccs-is",
    "controlset-literal",
    "hive-short",
    "hkcu-is",
    "keypath-is",
    "regex-ccs",
    "starts-hkcu",
  ]);
});

Deno.test("regKeyEvent paths read from Sysmon match IOCs written against HKCU", async () => {
  const event: ObservedItem = {
    document: "regKeyEvent",
    key: "Microsoft-Windows-Sysmon/Operational#12",
    fields: {
      path:
        "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Terminal Server Client\\Servers\\10.0.0.5",
      keyPath:
        "HKEY_USERS\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Terminal Server Client\\Servers",
    },
  };
  const ioc = registryIoc(
    "rdp-servers",
    "regKeyEvent/keyPath",
    "starts-with",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Terminal Server Client\\Servers",
  );
  deepStrictEqual(await hits([ioc], [event]), ["rdp-servers"]);
});
