import { deepStrictEqual, rejects } from "node:assert/strict";
import { FILE_MODE } from "./archive_entry.ts";
import { integrityOf, runtimeFromTarball } from "./npm_runtime.ts";
import { DENO_VERSION, RUNTIME_PINS, type RuntimePin } from "./runtime_pins.ts";
import { writeTarGz } from "./tar.ts";

const encoder = new TextEncoder();

async function fakeNpmTarball(name: string, version: string, binary: string): Promise<Uint8Array> {
  return await writeTarGz([
    {
      path: "package/package.json",
      data: encoder.encode(JSON.stringify({ name, version })),
      mode: FILE_MODE,
    },
    { path: `package/${binary}`, data: encoder.encode("MZ fake runtime"), mode: FILE_MODE },
  ]);
}

async function pinFor(tarball: Uint8Array, name = "@deno/win32-x64"): Promise<RuntimePin> {
  return { ...RUNTIME_PINS[0]!, npmPackage: name, integrity: await integrityOf(tarball) };
}

Deno.test("integrityOf() writes npm's SRI form", async () => {
  // npm view of an empty tarball would say the same: the SHA-512 of no bytes.
  deepStrictEqual(
    await integrityOf(new Uint8Array()),
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
  );
});

Deno.test("runtimeFromTarball() returns the executable of a tarball that matches its pin", async () => {
  const tarball = await fakeNpmTarball("@deno/win32-x64", DENO_VERSION, "deno.exe");
  deepStrictEqual(
    await runtimeFromTarball(await pinFor(tarball), tarball),
    encoder.encode("MZ fake runtime"),
  );
});

Deno.test("runtimeFromTarball() refuses a tarball whose hash is not the pinned one", async () => {
  const tarball = await fakeNpmTarball("@deno/win32-x64", DENO_VERSION, "deno.exe");
  const pin = await pinFor(tarball);
  tarball[tarball.length - 1] = tarball[tarball.length - 1]! ^ 1;
  await rejects(runtimeFromTarball(pin, tarball), /integrity mismatch/);
});

Deno.test("runtimeFromTarball() refuses another version or package even with a matching hash", async () => {
  const other = await fakeNpmTarball("@deno/win32-x64", "2.0.0", "deno.exe");
  await rejects(runtimeFromTarball(await pinFor(other), other), /holds @deno\/win32-x64@2\.0\.0/);
  const missing = await fakeNpmTarball("@deno/win32-x64", DENO_VERSION, "other.exe");
  await rejects(
    runtimeFromTarball(await pinFor(missing), missing),
    /no package\.json or deno\.exe/,
  );
});

Deno.test("every pin is a sha512 SRI of a distinct @deno package", () => {
  for (const pin of RUNTIME_PINS) {
    deepStrictEqual(/^sha512-[A-Za-z0-9+/]{86}==$/.test(pin.integrity), true);
  }
  deepStrictEqual(new Set(RUNTIME_PINS.map((pin) => pin.npmPackage)).size, RUNTIME_PINS.length);
});
