import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedFile, recordedHost } from "./_recorded_windows_api.ts";
import { recordedPlatform } from "./_recorded_windows_platform.ts";
import { fileAttribute } from "../../windows/layouts/mod.ts";
import { win32Error } from "../../windows/mod.ts";

const path = "C:\\Users\\alice\\AppData\\Local\\Temp\\evil.exe";
const key = path.toUpperCase();
/** What an installer left in the list before: a rename with a replace and a delete. */
const earlier = [
  {
    source: "\\??\\C:\\Program Files\\App\\new.dll.tmp",
    target: "!\\??\\C:\\Program Files\\App\\new.dll",
  },
  { source: "\\??\\C:\\Windows\\Temp\\old.tmp", target: "" },
];

/** A host where pid 4242 runs the file and pid 777 runs something else. */
function runningHost(inUseError: number) {
  const host = recordedHost({ pendingRenames: [...earlier] });
  host.files.set(key, recordedFile({ inUseError }));
  host.processes.set(4242, { image: path, alive: true });
  host.processes.set(777, { image: "C:\\Windows\\explorer.exe", alive: true });
  return host;
}

Deno.test("deleteOriginal deletes a file and checks that the name is gone", async () => {
  const host = recordedHost();
  host.files.set(key, recordedFile());
  const { platform, api } = recordedPlatform(host);
  deepStrictEqual(await platform.deleteOriginal(path, { terminate: false, pids: [] }), {
    outcome: "deleted",
  });
  deepStrictEqual(api.log, [
    `GetFileAttributesW(${path})`,
    `DeleteFileW(${path})`,
    `GetFileAttributesW(${path})`,
  ]);
});

Deno.test("deleteOriginal clears read-only first", async () => {
  const host = recordedHost();
  host.files.set(key, recordedFile({ attributes: fileAttribute.READONLY | fileAttribute.ARCHIVE }));
  const { platform, api } = recordedPlatform(host);
  deepStrictEqual(await platform.deleteOriginal(path, { terminate: false, pids: [] }), {
    outcome: "deleted",
  });
  ok(
    api.log.indexOf(`SetFileAttributesW(${path}, 0x20)`) < api.log.indexOf(`DeleteFileW(${path})`),
  );
});

for (const [code, name] of [[32, "ERROR_SHARING_VIOLATION"], [5, "ERROR_ACCESS_DENIED"]] as const) {
  Deno.test(`deleteOriginal schedules a running image (${name}) for deletion at reboot and reads it back`, async () => {
    const host = runningHost(code);
    const { platform, api } = recordedPlatform(host);
    const outcome = await platform.deleteOriginal(path, { terminate: false, pids: [4242] });
    strictEqual(outcome.outcome, "pending-reboot");
    ok("detail" in outcome);
    ok(
      outcome.detail.startsWith(`DeleteFileW: Win32 error ${code} (${name})`),
      outcome.detail,
    );
    ok(outcome.detail.includes(`\\??\\${path} in PendingFileRenameOperations`), outcome.detail);
    ok(api.log.includes(`MoveFileExW(${path}, NULL, MOVEFILE_DELAY_UNTIL_REBOOT)`));
    ok(api.log.includes("RegGetValueW(PendingFileRenameOperations)"));
    ok(
      !api.log.some((call) => call.startsWith("TerminateProcess")),
      "nothing stopped without terminate",
    );
    // The earlier pairs are still there, and ours after them.
    deepStrictEqual(host.pendingRenames, [...earlier, { source: `\\??\\${path}`, target: "" }]);
  });
}

Deno.test("deleteOriginal with terminate stops only the processes running this image, then deletes", async () => {
  const host = runningHost(win32Error.ERROR_SHARING_VIOLATION);
  const { platform, api } = recordedPlatform(host);
  const outcome = await platform.deleteOriginal(path, { terminate: true, pids: [777, 4242, 4242] });
  deepStrictEqual(outcome, { outcome: "deleted" });
  deepStrictEqual(api.log.filter((call) => call.startsWith("TerminateProcess")), [
    "TerminateProcess(4242)",
  ]);
  strictEqual(host.processes.get(777)!.alive, true);
  ok(!host.files.has(key));
  ok(!api.log.some((call) => call.startsWith("MoveFileExW")));
});

Deno.test("deleteOriginal with terminate falls back to reboot when the process cannot be stopped", async () => {
  const host = runningHost(win32Error.ERROR_ACCESS_DENIED);
  host.processes.get(4242)!.protected = true;
  const { platform } = recordedPlatform(host);
  const outcome = await platform.deleteOriginal(path, { terminate: true, pids: [4242, 777, 9999] });
  strictEqual(outcome.outcome, "pending-reboot");
  ok("detail" in outcome);
  for (
    const said of [
      "pid 4242 not stopped: TerminateProcess: Win32 error 5",
      "pid 777 not stopped: it runs C:\\Windows\\explorer.exe, not this file",
      "pid 9999 not stopped: OpenProcess",
    ]
  ) ok(outcome.detail.includes(said), `${said} not in ${outcome.detail}`);
});

Deno.test("deleteOriginal without administrator rights: failed: permission, read-only put back", async () => {
  const host = runningHost(win32Error.ERROR_ACCESS_DENIED);
  host.admin = false;
  host.files.get(key)!.attributes = fileAttribute.READONLY | fileAttribute.ARCHIVE;
  const { platform } = recordedPlatform(host);
  const outcome = await platform.deleteOriginal(path, { terminate: false, pids: [] });
  strictEqual(outcome.outcome, "failed");
  ok("reason" in outcome);
  strictEqual(outcome.reason, "permission");
  ok(/needs an administrator/.test(outcome.detail));
  strictEqual(host.files.get(key)!.attributes, fileAttribute.READONLY | fileAttribute.ARCHIVE);
});

Deno.test("deleteOriginal never schedules on a network path: failed: network-path", async () => {
  for (
    const [where, mapped] of [["\\\\srv\\share\\evil.exe", false], ["Z:\\evil.exe", true]] as const
  ) {
    const host = recordedHost();
    host.files.set(where.toUpperCase(), recordedFile({ inUseError: 32 }));
    host.processes.set(1, { image: where, alive: true });
    if (mapped) host.remoteRoots.add("Z:\\");
    const { platform, api } = recordedPlatform(host);
    const outcome = await platform.deleteOriginal(where, { terminate: false, pids: [] });
    ok(outcome.outcome === "failed" && outcome.reason === "network-path", JSON.stringify(outcome));
    ok(!api.log.some((call) => call.startsWith("MoveFileExW")), where);
  }
});

Deno.test("deleteOriginal does not trust MoveFileExW: the pair must be in PendingFileRenameOperations", async () => {
  const host = runningHost(32);
  host.scheduleDropped = true;
  const { platform } = recordedPlatform(host);
  const outcome = await platform.deleteOriginal(path, { terminate: false, pids: [] });
  ok(outcome.outcome === "failed" && outcome.reason === "not-scheduled", JSON.stringify(outcome));
  ok(
    outcome.detail.includes(
      `\\??\\${path} is not in PendingFileRenameOperations (2 operations there)`,
    ),
  );
  // Unreadable list: scheduled by the call, said to be unchecked.
  const unreadable = runningHost(32);
  unreadable.pendingRenamesError = 5;
  const read = await recordedPlatform(unreadable).platform.deleteOriginal(path, {
    terminate: false,
    pids: [],
  });
  ok(read.outcome === "pending-reboot" && /could not be read back/.test(read.detail));
});

Deno.test("deleteOriginal: a name still there after DeleteFileW is failed: still-there", async () => {
  const host = recordedHost();
  host.files.set(key, recordedFile({ staysAfterDelete: true }));
  const { platform, api } = recordedPlatform(host);
  const outcome = await platform.deleteOriginal(path, { terminate: false, pids: [] });
  ok(outcome.outcome === "failed" && outcome.reason === "still-there", JSON.stringify(outcome));
  // One look before, ten after.
  strictEqual(api.log.filter((call) => call.startsWith("GetFileAttributesW")).length, 11);
});

Deno.test("deleteOriginal without the API: failed: api-unavailable", async () => {
  const { platform } = recordedPlatform(recordedHost({ apiMissing: true }));
  const outcome = await platform.deleteOriginal(path, { terminate: false, pids: [] });
  ok(outcome.outcome === "failed" && outcome.reason === "api-unavailable");
});
