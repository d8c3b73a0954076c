import { ok, rejects, strictEqual } from "node:assert/strict";
import { windowsQuarantinePlatform } from "./windows_platform.ts";
import { recordedEnv, windowsFileInfo } from "./_recorded_windows_platform.ts";

const onWindows = Deno.build.os === "windows";

Deno.test({
  name: "windowsQuarantinePlatform opens nothing until used, and off Windows fails with why",
  ignore: onWindows,
  async fn() {
    // The real defaults: kernel32/advapi32 and the SCM over FFI, which this system does not have.
    const platform = windowsQuarantinePlatform({
      env: recordedEnv,
      sleep: () => Promise.resolve(),
    });
    const info = windowsFileInfo(1);
    await rejects(
      platform.captureMetadata("C:\\x\\evil.exe", undefined as never, info),
      /^Error: the Windows API could not be opened: /,
    );
    const deleted = await platform.deleteOriginal("C:\\x\\evil.exe", {
      terminate: false,
      pids: [],
    });
    ok(
      deleted.outcome === "failed" && deleted.reason === "api-unavailable",
      JSON.stringify(deleted),
    );
    const notes = await platform.applyMetadata("C:\\x\\evil.exe", {
      kind: "windows",
      sddl: "O:SYD:(A;;FA;;;SY)",
      attributes: 0x20,
      created: "1",
      written: "1",
      accessed: "1",
    }, []);
    ok(/^no metadata re-applied: the Windows API could not be opened/.test(notes[0]!));
    // Under %SystemRoot% the owner cannot be read: critical. Elsewhere: not, unless a driver.
    ok(/owner could not be read/.test(
      await platform.criticalReason("C:\\Windows\\System32\\x.dll", info) ?? "",
    ));
    strictEqual(await platform.criticalReason("C:\\x\\evil.exe", info), undefined);
    ok(/could not be listed/.test(await platform.criticalReason("C:\\x\\evil.sys", info) ?? ""));
    platform.close();
  },
});
