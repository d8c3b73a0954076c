import { ok, strictEqual } from "node:assert/strict";
import { recordedFile, recordedHost } from "./_recorded_windows_api.ts";
import { recordedPlatform, recordedScm, windowsFileInfo } from "./_recorded_windows_platform.ts";
import { wellKnownSid } from "../../windows/layouts/mod.ts";

const info = windowsFileInfo(1);
const ti = wellKnownSid.trustedInstaller;

function hostWith(files: Record<string, string>) {
  const host = recordedHost();
  for (const [path, owner] of Object.entries(files)) {
    host.files.set(path.toUpperCase(), recordedFile({ owner: `O:${owner}` }));
  }
  return host;
}

Deno.test("criticalReason: under %SystemRoot% and owned by TrustedInstaller (read from the owner's SID)", async () => {
  const { platform } = recordedPlatform(hostWith({
    "C:\\Windows\\System32\\kernel32.dll": ti,
    "C:\\Windows\\Temp\\dropper.exe": "S-1-5-18",
    "C:\\Users\\alice\\kernel32.dll": ti,
  }));
  strictEqual(
    await platform.criticalReason("C:\\Windows\\System32\\kernel32.dll", info),
    "under %SystemRoot% (C:\\Windows) and owned by NT SERVICE\\TrustedInstaller",
  );
  strictEqual(await platform.criticalReason("c:\\windows\\temp\\dropper.exe", info), undefined);
  // Owned by TrustedInstaller outside the Windows folder: not by that rule.
  strictEqual(await platform.criticalReason("C:\\Users\\alice\\kernel32.dll", info), undefined);
});

Deno.test("criticalReason: an unreadable owner under %SystemRoot% counts as critical", async () => {
  const { platform } = recordedPlatform(hostWith({}));
  const reason = await platform.criticalReason("C:\\Windows\\System32\\gone.dll", info);
  ok(
    /^under %SystemRoot% \(C:\\Windows\) and its owner could not be read/.test(reason ?? ""),
    reason,
  );
  const missing = recordedPlatform(recordedHost({ apiMissing: true })).platform;
  ok(/owner could not be read \(the Windows API could not be opened/.test(
    await missing.criticalReason("C:\\Windows\\notepad.exe", info) ?? "",
  ));
});

Deno.test("criticalReason: the images of boot and system-start drivers, not of demand-start ones", async () => {
  const { platform } = recordedPlatform(hostWith({}));
  strictEqual(
    await platform.criticalReason("C:\\ProgramData\\evilboot.sys", info),
    "the image of EvilBoot, a boot or system-start driver",
  );
  strictEqual(
    await platform.criticalReason("C:\\Windows\\System32\\drivers\\tcpip.sys", info),
    "the image of Tcpip, a boot or system-start driver",
  );
  // ImagePath relative to the Windows folder, as the kernel reads it.
  strictEqual(
    await platform.criticalReason("C:\\Windows\\System32\\drivers\\DISK.SYS", info),
    "the image of disk, a boot or system-start driver",
  );
  // usbprint starts on demand (and sits outside %SystemRoot% here): not critical.
  strictEqual(await platform.criticalReason("D:\\drivers\\usbprint.sys", info), undefined);
});

Deno.test("criticalReason: a .sys file counts as critical while the driver list cannot be read", async () => {
  const { platform } = recordedPlatform(hostWith({}), () => recordedScm("OpenSCManagerW failed"));
  ok(
    /^a driver, and the boot and system-start drivers could not be listed \(OpenSCManagerW failed\)/
      .test(await platform.criticalReason("D:\\x\\unknown.sys", info) ?? ""),
  );
  strictEqual(await platform.criticalReason("D:\\x\\unknown.exe", info), undefined);
});

Deno.test("criticalReason: boot files by name where Windows keeps them, not the same names elsewhere", async () => {
  const { platform } = recordedPlatform(hostWith({}));
  for (
    const [path, what] of [
      ["C:\\Windows\\System32\\ntoskrnl.exe", "ntoskrnl.exe is the kernel"],
      ["C:\\Windows\\WinSxS\\amd64_x\\hal.dll", "hal.dll is the hardware abstraction layer"],
      ["C:\\Windows\\System32\\winload.efi", "winload.efi is the OS loader"],
      ["C:\\bootmgr", "bootmgr is the boot manager"],
      ["E:\\EFI\\Microsoft\\Boot\\bootmgr", "bootmgr is the boot manager"],
    ]
  ) strictEqual(await platform.criticalReason(path!, info), `a boot file: ${what}`, path);
  strictEqual(
    await platform.criticalReason("C:\\Users\\alice\\AppData\\Local\\Temp\\hal.dll", info),
    undefined,
  );
});
