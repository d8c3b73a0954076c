import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { recordedFile, recordedHost } from "./_recorded_windows_api.ts";
import { recordedPlatform, windowsFileInfo } from "./_recorded_windows_platform.ts";
import { fileAttribute } from "../../windows/layouts/mod.ts";

const path = "C:\\Users\\alice\\Downloads\\evil.exe";
const zone = new TextEncoder().encode(
  "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://evil.example/evil.exe\r\n",
);
const file = () =>
  recordedFile({
    attributes: fileAttribute.ARCHIVE | fileAttribute.READONLY,
    label: "(ML;;NW;;;LW)",
    audit: "(AU;SAFA;FA;;;WD)",
    streams: [
      { name: "Zone.Identifier", size: BigInt(zone.length), bytes: zone },
      // 20 MiB claimed: refused without being read.
      { name: "payload", size: 20n << 20n, bytes: new Uint8Array(0) },
    ],
  });
const fileIndex = Number(recordedFile().fileIndex);
const info = windowsFileInfo(fileIndex);

Deno.test("captureMetadata reads the SDDL with the SACL, attributes, exact FILETIMEs and every stream", async () => {
  const host = recordedHost();
  host.files.set(path.toUpperCase(), file());
  const { platform, api } = recordedPlatform(host);
  const captured = await platform.captureMetadata(path, undefined as never, info);
  deepStrictEqual(captured.metadata, {
    kind: "windows",
    sddl: "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513" +
      "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;S-1-5-21-1-2-3-1001)" +
      "S:(ML;;NW;;;LW)(AU;SAFA;FA;;;WD)",
    attributes: fileAttribute.ARCHIVE | fileAttribute.READONLY,
    created: "133771234567890123",
    written: "133771500000000001",
    accessed: "133771999999999999",
  });
  deepStrictEqual(captured.streams.map((stream) => [stream.name, stream.size]), [
    ["Zone.Identifier", zone.length],
  ]);
  deepStrictEqual(await captured.streams[0]!.read(), zone);
  strictEqual(captured.notes.length, 1);
  ok(
    /alternate data stream payload not captured: 20971520 bytes \(20\.0 MiB\) is larger than the 16\.0 MiB cap \(refused, not cut\)/
      .test(captured.notes[0]!),
    captured.notes[0],
  );
  ok(api.log.includes(`CreateFileW(${path}, ACCESS_SYSTEM_SECURITY)`));
  ok(api.log.includes(`ReadFile(${path}:Zone.Identifier:$DATA)`));
  ok(!api.log.some((call) => call.includes(":payload:")), "the large stream is never read");
  // The copy will not hold it: the store must not delete the original.
  deepStrictEqual(captured.uncopied, [captured.notes[0]]);
});

Deno.test("AlternateStream.read refuses a stream that grew past the cap after it was listed", async () => {
  const host = recordedHost();
  const grown = new Uint8Array((16 << 20) + 10);
  host.files.set(
    path.toUpperCase(),
    recordedFile({ streams: [{ name: "grows", size: 10n, bytes: grown }] }),
  );
  const { platform } = recordedPlatform(host);
  const captured = await platform.captureMetadata(path, undefined as never, info);
  await rejects(captured.streams[0]!.read(), /stream grows grew past the 16\.0 MiB cap/);
});

Deno.test("captureMetadata without SeSecurityPrivilege keeps the label, notes the SACL left out", async () => {
  const host = recordedHost();
  host.privileges.set("SeSecurityPrivilege", { luid: 8n, held: false });
  host.files.set(path.toUpperCase(), file());
  const { platform } = recordedPlatform(host);
  const captured = await platform.captureMetadata(path, undefined as never, info);
  ok(captured.metadata.kind === "windows");
  ok(captured.metadata.sddl.endsWith("S:(ML;;NW;;;LW)"), captured.metadata.sddl);
  ok(
    captured.notes.some((note) =>
      /^SACL not captured: SeSecurityPrivilege not held by this process's token/.test(note)
    ),
    captured.notes.join("\n"),
  );
});

Deno.test("captureMetadata gives a path past 259 characters to the API with \\\\?\\", async () => {
  const long = `C:\\${"deep\\".repeat(60)}evil.exe`;
  const host = recordedHost();
  host.files.set(long.toUpperCase(), recordedFile({ streams: [] }));
  const { platform, api } = recordedPlatform(host);
  const captured = await platform.captureMetadata(long, undefined as never, info);
  deepStrictEqual(captured.streams, []);
  ok(api.log.includes(`CreateFileW(\\\\?\\${long}, ACCESS_SYSTEM_SECURITY)`), api.log.join("\n"));
  ok(api.log.includes(`FindFirstStreamW(\\\\?\\${long})`));
});

Deno.test("captureMetadata refuses a file swapped since it was opened, and a reparse point", async () => {
  const host = recordedHost();
  host.files.set(path.toUpperCase(), file());
  const { platform } = recordedPlatform(host);
  await rejects(
    platform.captureMetadata(path, undefined as never, windowsFileInfo(fileIndex + 1)),
    /no longer the file that was opened/,
  );
  host.files.set(
    path.toUpperCase(),
    recordedFile({ attributes: fileAttribute.REPARSE_POINT | fileAttribute.ARCHIVE }),
  );
  await rejects(
    platform.captureMetadata(path, undefined as never, info),
    /reparse point/,
  );
});

Deno.test("captureMetadata keeps the first streams of a file with more than the cap", async () => {
  const host = recordedHost();
  const streams = Array.from({ length: 300 }, (_, i) => ({
    name: `s${i}`,
    size: 1n,
    bytes: new Uint8Array([i & 0xff]),
  }));
  host.files.set(path.toUpperCase(), recordedFile({ streams }));
  const { platform } = recordedPlatform(host);
  const captured = await platform.captureMetadata(path, undefined as never, info);
  strictEqual(captured.streams.length, 256);
  ok(captured.notes.some((note) => /more than 256 alternate data streams/.test(note)));
});

Deno.test("captureMetadata rejects with why when the Windows API cannot be opened", async () => {
  const { platform } = recordedPlatform(recordedHost({ apiMissing: true }));
  await rejects(
    platform.captureMetadata(path, undefined as never, info),
    /the Windows API could not be opened: Deno\.dlopen: kernel32\.dll not found/,
  );
});

Deno.test("captureMetadata says so when lstat gave no file index to check the file against", async () => {
  const host = recordedHost();
  host.files.set(path.toUpperCase(), recordedFile());
  const { platform } = recordedPlatform(host);
  const captured = await platform.captureMetadata(path, undefined as never, windowsFileInfo(null));
  ok(captured.notes.includes("not checked to be the file opened: lstat gave no file index"));
});
