import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { serviceAutostarts } from "./autoruns.ts";

Deno.test("serviceAutostarts: a service whose configuration could not be read leaves the place read in part, not clean", () => {
  const why = "its configuration could not be read: access denied (5)";
  const answer = serviceAutostarts({
    entries: [
      {
        kind: "service",
        name: "Hidden",
        sourceKey: "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Hidden",
        notKnown: { path: why, arguments: why, mode: why, startedAs: why },
      },
      {
        kind: "service",
        name: "Plain",
        sourceKey: "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Plain",
        path: "C:\\plain.exe",
        arguments: "",
      },
    ],
    skips: [],
    warnings: [],
  }, "service");
  ok(typeof answer === "object" && "unread" in answer, "the place is read in part");
  deepStrictEqual(answer.records.map((record) => record.name), ["Hidden", "Plain"]);
  ok(answer.unread.includes("Services\\Hidden"), answer.unread);
  ok(answer.unread.includes("access denied"), answer.unread);
});

Deno.test("serviceAutostarts: entries with their images known are the whole list", () => {
  const answer = serviceAutostarts({
    entries: [{ kind: "driver", name: "d", sourceKey: "k", path: "C:\\d.sys" }],
    skips: [],
    warnings: [],
  }, "driver");
  ok(Array.isArray(answer));
  strictEqual(answer.length, 1);
});

Deno.test("serviceAutostarts: a ServiceDll that could not be read leaves the place read in part", () => {
  const why = "Parameters\\ServiceDll could not be read: RegGetValueW failed with Win32 error 5";
  const answer = serviceAutostarts({
    entries: [{
      kind: "service",
      name: "Shared",
      sourceKey: "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Shared",
      path: "C:\\Windows\\system32\\svchost.exe",
      arguments: "-k netsvcs",
      notKnown: { serviceDLL: why },
    }],
    skips: [],
    warnings: [],
  }, "service");
  ok(typeof answer === "object" && "unread" in answer);
  ok(answer.unread.includes("Win32 error 5"), answer.unread);
});
