import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { recordedFile, recordedHost } from "./_recorded_windows_api.ts";
import { recordedPlatform, windowsFileInfo } from "./_recorded_windows_platform.ts";
import { fileAttribute, securityInformation } from "../../windows/layouts/mod.ts";
import type { WindowsFileMetadata } from "./contract.ts";

const temp = "C:\\Users\\alice\\Downloads\\.iocscan-restore-1.tmp";
const sddl = "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:PAI(A;;FA;;;SY)(A;;FA;;;BA)" +
  "(A;;0x1200a9;;;S-1-5-21-1-2-3-1001)S:(ML;;NW;;;LW)";
const metadata: WindowsFileMetadata = {
  kind: "windows",
  sddl,
  attributes: fileAttribute.READONLY | fileAttribute.HIDDEN | fileAttribute.ARCHIVE,
  created: "133771234567890123",
  written: "133771500000000001",
  accessed: "133771999999999999",
};
const zone = new TextEncoder().encode("[ZoneTransfer]\r\nZoneId=3\r\n");

/** A freshly restored temp file: new times, plain attributes, no streams. */
function restoredTemp() {
  return recordedFile({
    attributes: fileAttribute.ARCHIVE,
    created: 1n,
    accessed: 1n,
    written: 1n,
    streams: [],
  });
}

Deno.test("applyMetadata writes streams, then the descriptor, times, and read-only last", async () => {
  const host = recordedHost();
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform, api } = recordedPlatform(host);
  const notes = await platform.applyMetadata(temp, metadata, [
    { name: "Zone.Identifier", bytes: zone },
  ]);
  deepStrictEqual(notes, []);
  const order = api.log.filter((call) =>
    /^(WriteFile|SetFileSecurityW|SetFileTime|SetFileAttributesW|GetFileInformationByHandleEx)/
      .test(call)
  );
  deepStrictEqual(order, [
    `WriteFile(${temp}:Zone.Identifier:$DATA)`,
    `SetFileSecurityW(${temp}, 0x17)`,
    `SetFileTime(${temp})`,
    `SetFileAttributesW(${temp}, 0x23)`,
    `GetFileInformationByHandleEx(${temp})`,
  ]);
  // Owner, group, DACL and the label (no audit ACE: no SACL bit, no SeSecurityPrivilege needed).
  strictEqual(
    api.security[0]!.info,
    securityInformation.OWNER | securityInformation.GROUP | securityInformation.DACL |
      securityInformation.LABEL,
  );
  strictEqual(api.security[0]!.sddl, sddl);
  const file = host.files.get(temp.toUpperCase())!;
  deepStrictEqual([file.created, file.written, file.accessed], [
    133_771_234_567_890_123n,
    133_771_500_000_000_001n,
    133_771_999_999_999_999n,
  ]);
  deepStrictEqual(file.streams.map((stream) => [stream.name, stream.bytes]), [
    ["Zone.Identifier", zone],
  ]);
  ok(api.enabled.has("SeRestorePrivilege"));
});

Deno.test("applyMetadata without SeRestorePrivilege re-applies group and DACL, says the owner was not", async () => {
  const host = recordedHost();
  host.privileges.set("SeRestorePrivilege", { luid: 18n, held: false });
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform, api } = recordedPlatform(host);
  const notes = await platform.applyMetadata(temp, metadata, []);
  deepStrictEqual(api.security.map((call) => call.info), [0x17, 0x16]);
  strictEqual(notes.length, 1, notes.join("\n"));
  ok(
    /^owner S-1-5-21-1-2-3-1001 not re-applied: SetFileSecurityW: Win32 error 1307 \(ERROR_INVALID_OWNER\); SeRestorePrivilege not held/
      .test(notes[0]!),
    notes[0],
  );
});

Deno.test("applyMetadata with audit ACEs needs SeSecurityPrivilege for the SACL, and says so", async () => {
  const host = recordedHost();
  host.privileges.set("SeSecurityPrivilege", { luid: 8n, held: false });
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform, api } = recordedPlatform(host);
  const notes = await platform.applyMetadata(
    temp,
    { ...metadata, sddl: `${sddl}(AU;SAFA;FA;;;WD)` },
    [],
  );
  // Owner, group, DACL and label set; the SACL bit left out.
  deepStrictEqual(api.security.map((call) => call.info), [0x17]);
  deepStrictEqual(notes.length, 1);
  ok(/^SACL not re-applied: SeSecurityPrivilege not held/.test(notes[0]!), notes[0]);
});

Deno.test("applyMetadata checks the stored SDDL before it reaches the API", async () => {
  const host = recordedHost();
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform, api } = recordedPlatform(host);
  const notes = await platform.applyMetadata(
    temp,
    { ...metadata, sddl: "O:SYD:(A;;FA;;;SY)(A;;FA;;;EVIL)" },
    [{ name: "..\\..\\evil.exe", bytes: zone }],
  );
  deepStrictEqual(api.security, []);
  ok(notes.some((note) => /the stored SDDL is not valid \(DACL: an account SID "EVIL"/.test(note)));
  ok(
    notes.some((note) =>
      /alternate data stream not written back: a stream name with a colon, a slash, a backslash/
        .test(note)
    ),
  );
  ok(!api.log.some((call) => call.startsWith("WriteFile")));
});

Deno.test("applyMetadata names attributes SetFileAttributesW cannot set, and bad FILETIMEs", async () => {
  const host = recordedHost();
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform, api } = recordedPlatform(host);
  const notes = await platform.applyMetadata(
    temp,
    {
      ...metadata,
      attributes: fileAttribute.ARCHIVE | fileAttribute.COMPRESSED | fileAttribute.SPARSE_FILE,
      created: "-5",
    },
    [],
  );
  ok(
    notes.some((note) =>
      /times not re-applied: the stored FILETIMEs are not decimal counts/.test(note)
    ),
  );
  ok(
    notes.some((note) =>
      /attributes SPARSE_FILE\|COMPRESSED not re-applied: SetFileAttributesW does not set them/
        .test(note)
    ),
    notes.join("\n"),
  );
  ok(!api.log.some((call) => call.startsWith("SetFileTime")));
  ok(api.log.includes(`SetFileAttributesW(${temp}, 0x20)`));
});

Deno.test("applyMetadata says nothing was re-applied for Linux metadata or without the API", async () => {
  const host = recordedHost();
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform } = recordedPlatform(host);
  deepStrictEqual(
    await platform.applyMetadata(temp, {
      kind: "linux",
      uid: 0,
      gid: 0,
      mode: 0o644,
      accessed: "",
      modified: "",
      changed: "",
      xattrs: [],
      flags: { immutable: false, appendOnly: false },
    }, []),
    ["metadata captured on linux: nothing of it re-applied on Windows"],
  );
  const missing = recordedPlatform(recordedHost({ apiMissing: true })).platform;
  const notes = await missing.applyMetadata(temp, metadata, []);
  ok(/^no metadata re-applied: the Windows API could not be opened/.test(notes[0]!));
});

Deno.test("captureMetadata then applyMetadata on the restored copy: the same metadata captured again", async () => {
  const original = "C:\\Users\\alice\\Downloads\\evil.exe";
  const host = recordedHost();
  host.files.set(
    original.toUpperCase(),
    recordedFile({
      attributes: fileAttribute.READONLY | fileAttribute.SYSTEM | fileAttribute.ARCHIVE,
      dacl: "D:PAI(A;;FA;;;SY)(D;;FW;;;WD)(A;;0x1200a9;;;BU)",
      label: "(ML;;NWNR;;;HI)",
      audit: "(AU;FA;FA;;;WD)",
      streams: [{ name: "Zone.Identifier", size: BigInt(zone.length), bytes: zone }],
    }),
  );
  host.files.set(temp.toUpperCase(), restoredTemp());
  const { platform } = recordedPlatform(host);
  const info = windowsFileInfo(Number(recordedFile().fileIndex));
  const captured = await platform.captureMetadata(original, undefined as never, info);
  const streams = await Promise.all(
    captured.streams.map(async (stream) => ({ name: stream.name, bytes: await stream.read() })),
  );
  deepStrictEqual(await platform.applyMetadata(temp, captured.metadata, streams), []);
  const again = await platform.captureMetadata(temp, undefined as never, info);
  deepStrictEqual(again.metadata, captured.metadata);
  deepStrictEqual(
    await Promise.all(again.streams.map((stream) => stream.read())),
    [zone],
  );
});
