import { deepStrictEqual, ok, rejects, throws } from "node:assert/strict";
import { FILE_MODE } from "./archive_entry.ts";
import { engineFlags } from "./launcher.ts";
import { launcherPath, packageEntries, packageFileName } from "./layout.ts";
import { RUNTIME_PINS } from "./runtime_pins.ts";
import { SHA256SUMS_NAME, verifySha256Sums } from "./sha256sums.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const root = new URL("../..", import.meta.url).pathname;
const [windows, linux] = RUNTIME_PINS;

function inputs(pin = windows!) {
  return {
    version: "1.2.3",
    pin,
    moduleFiles: [{ path: "IocScan.psd1", data: encoder.encode("@{}"), mode: FILE_MODE }],
    runtime: encoder.encode("runtime"),
    bundle: encoder.encode("bundle"),
    license: encoder.encode("MIT"),
    flags: ["run", "--allow-all"],
    installers: [{ path: "install.sh", data: encoder.encode("#!/bin/sh"), mode: 0o755 }],
  };
}

Deno.test("engineFlags() reads deno.json's engine permission set and V8 flags", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  deepStrictEqual(engineFlags(config), [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-config",
    "--allow-all",
    "--v8-flags=--max-semi-space-size=4",
  ]);
  throws(() => engineFlags({ ...config, permissions: { engine: { read: true } } }), /no longer/);
});

Deno.test("package file names are the ones docs/deployment.md gives", () => {
  deepStrictEqual(packageFileName(windows!, "1.2.3"), "IocScan-1.2.3-win-x64.zip");
  deepStrictEqual(packageFileName(linux!, "1.2.3"), "iocscan-1.2.3-linux-x64.tar.gz");
});

Deno.test("the Windows package is flat, with deno.exe, the bundle, a .cmd launcher and SHA256SUMS", async () => {
  const entries = await packageEntries(inputs());
  deepStrictEqual(entries.map((entry) => entry.path), [
    "IocScan/IocScan.psd1",
    "IocScan/bin/deno.exe",
    "IocScan/bin/iocscan.js",
    "IocScan/iocscan.cmd",
    "IocScan/LICENSE",
    "LICENSE",
    "install.sh",
    "SHA256SUMS",
  ]);
  const launcher = decoder.decode(
    entries.find((entry) => entry.path === launcherPath(windows!))!.data,
  );
  ok(launcher.includes('"%~dp0bin\\deno.exe" run --allow-all "%~dp0bin\\iocscan.js" %*\r\n'));
  const sums = decoder.decode(entries.at(-1)!.data);
  deepStrictEqual(await verifySha256Sums(sums, entries), []);
  const tampered = entries.map((entry) =>
    entry.path === "IocScan/bin/iocscan.js" ? { ...entry, data: encoder.encode("evil") } : entry
  );
  deepStrictEqual(await verifySha256Sums(sums, tampered), ["changed: IocScan/bin/iocscan.js"]);
  deepStrictEqual(await verifySha256Sums(sums, entries.slice(1)), [
    "missing: IocScan/IocScan.psd1",
  ]);
});

Deno.test("the Linux package has one top folder and an executable shell launcher", async () => {
  const entries = await packageEntries(inputs(linux!));
  const top = "iocscan-1.2.3-linux-x64/";
  ok(entries.every((entry) => entry.path.startsWith(top)));
  const launcher = entries.find((entry) => entry.path === top + launcherPath(linux!))!;
  deepStrictEqual(launcher.mode, 0o755);
  deepStrictEqual(entries.find((entry) => entry.path === `${top}IocScan/bin/deno`)!.mode, 0o755);
  ok(
    decoder.decode(launcher.data).includes(
      'exec "$here/bin/deno" run --allow-all "$here/bin/iocscan.js" "$@"',
    ),
  );
  const inside = entries.map((entry) => ({ ...entry, path: entry.path.slice(top.length) }));
  const sums = decoder.decode(inside.find((entry) => entry.path === SHA256SUMS_NAME)!.data);
  deepStrictEqual(await verifySha256Sums(sums, inside), []);
});

Deno.test("two files at one path in a package are refused", async () => {
  const clash = {
    ...inputs(),
    installers: [{ path: "LICENSE", data: encoder.encode("x"), mode: FILE_MODE }],
  };
  await rejects(packageEntries(clash), /two files at LICENSE/);
});
