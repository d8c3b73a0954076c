/**
 * The release packages end to end: `buildPackages()` (what `deno task package` runs) into a
 * temporary dist/, then the Linux tarball extracted by GNU tar into an empty folder, its
 * SHA256SUMS checked by sha256sum, a scan run from it through pwsh with no deno on PATH, and
 * install.sh installing it into a temporary prefix whose `iocscan` command then scans;
 * the Windows zip's layout, checksums and manifest checked, and its deno.exe's version read
 * from the PE version resource with formats/pe.
 *
 * Slow (bundling, 80 MiB of Deno from npm, deflating 100 MiB): it runs only with
 * IOCSCAN_PACKAGE_TEST=1, as .ci/run does once; the default test run reports it ignored.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { byteSourceFromBytes, parsePeInfo } from "../../formats/pe/mod.ts";
import { buildPackages, type BuiltPackage } from "./build.ts";
import { BUNDLE_NAME, launcherPath, LICENSE_NAME, MODULE_BIN, MODULE_FOLDER } from "./layout.ts";
import { DENO_VERSION, RUNTIME_PINS } from "./runtime_pins.ts";
import { SHA256SUMS_NAME, verifySha256Sums } from "./sha256sums.ts";
import { readZip } from "./zip.ts";

const ENABLED = Deno.env.get("IOCSCAN_PACKAGE_TEST") === "1";
if (!ENABLED) {
  console.warn(
    "*** package_release_test.ts: set IOCSCAN_PACKAGE_TEST=1 to build and check the release packages ***",
  );
}
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
/** A package holds Deno (~95 MiB, ~41 MiB compressed) and the bundle: far outside this is wrong. */
const MIN_PACKAGE_BYTES = 30 * 1048576;
const MAX_PACKAGE_BYTES = 80 * 1048576;
const decoder = new TextDecoder();

async function output(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const result = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    ...options,
  })
    .output();
  const text = decoder.decode(result.stdout);
  if (!result.success) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code}: ${text}${decoder.decode(result.stderr)}`,
    );
  }
  return text;
}

/** pwsh's path, from PATH or where tests/install_pwsh.sh puts it. */
async function findPwsh(): Promise<string | undefined> {
  const candidates = [
    ...(Deno.env.get("PATH") ?? "").split(":").map((dir) => `${dir}/pwsh`),
    `${Deno.env.get("HOME")}/.dotnet/tools/pwsh`,
  ];
  for (const candidate of candidates) {
    if (await Deno.stat(candidate).then((stat) => stat.isFile, () => false)) return candidate;
  }
  return undefined;
}

function iocXml(id: string, fileName: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-12-01T00:00:00">
  <short_description>Packaged scan</short_description>
  <definition>
    <Indicator operator="OR" id="${id}-root">
      <IndicatorItem id="${id}-item" condition="is">
        <Context document="FileItem" search="FileItem/FileName" type="mir" />
        <Content type="string">${fileName}</Content>
      </IndicatorItem>
    </Indicator>
  </definition>
</ioc>
`;
}

Deno.test({
  name: "deno task package builds packages that install and scan with nothing else",
  ignore: !ENABLED,
  sanitizeResources: false,
  fn: async (t) => {
    const work = await Deno.makeTempDir({ prefix: "iocscan-package-" });
    try {
      const built: BuiltPackage[] = await buildPackages({ root, outDir: `${work}/dist` });
      const { version } = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
      const byPlatform = new Map(built.map((item) => [item.pin.platform, item]));
      deepStrictEqual([...byPlatform.keys()], RUNTIME_PINS.map((pin) => pin.platform));

      await t.step(
        "both packages have a plausible size and dist/SHA256SUMS lists them",
        async () => {
          for (const item of built) {
            ok(
              item.size > MIN_PACKAGE_BYTES && item.size < MAX_PACKAGE_BYTES,
              `${item.path}: ${item.size} bytes`,
            );
          }
          await output("sha256sum", ["-c", "--strict", SHA256SUMS_NAME], { cwd: `${work}/dist` });
        },
      );

      const linux = byPlatform.get("linux-x64")!;
      const extracted = `${work}/empty`;
      const top = `${extracted}/iocscan-${version}-linux-x64`;
      await t.step(
        "the Linux tarball extracts into an empty folder and its SHA256SUMS verifies",
        async () => {
          await Deno.mkdir(extracted);
          await output("tar", ["-xzf", linux.path, "-C", extracted]);
          deepStrictEqual(
            (await Array.fromAsync(Deno.readDir(extracted))).map((entry) => entry.name),
            [
              `iocscan-${version}-linux-x64`,
            ],
          );
          await output("sha256sum", ["-c", "--strict", "--quiet", SHA256SUMS_NAME], { cwd: top });
          ok((await Deno.stat(`${top}/${MODULE_BIN}/deno`)).mode! & 0o100);
        },
      );

      // No deno on PATH, no HOME: only the package's own deno can run the engine.
      const bareEnv = { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };
      await t.step("its launcher runs the engine with the packaged Deno", async () => {
        deepStrictEqual(
          (await output(`${top}/${launcherPath(linux.pin)}`, ["--version"], {
            env: bareEnv,
            clearEnv: true,
          })).trim(),
          version,
        );
        const denoVersion = await output(`${top}/${MODULE_BIN}/deno`, ["--version"], {
          env: bareEnv,
          clearEnv: true,
        });
        ok(denoVersion.startsWith(`deno ${DENO_VERSION} `), denoVersion);
      });

      await t.step("the extracted module scans through pwsh with the packaged Deno", async () => {
        const pwsh = await findPwsh();
        if (!pwsh) {
          console.warn(
            "*** pwsh is not installed (bash tests/install_pwsh.sh): the packaged scan is SKIPPED ***",
          );
          return;
        }
        const tree = `${work}/tree`;
        await Deno.mkdir(`${tree}/.hidden`, { recursive: true });
        await Deno.writeTextFile(`${tree}/.hidden/svch0st.exe`, "planted");
        await Deno.writeTextFile(`${tree}/readme.txt`, "nothing");
        await Deno.mkdir(`${work}/iocs`);
        const id = "44444444-4444-4444-8444-444444444444";
        await Deno.writeTextFile(`${work}/iocs/planted.ioc`, iocXml(id, "svch0st.exe"));
        const script = `
          $ErrorActionPreference = 'Stop'
          Import-Module '${top}/${MODULE_FOLDER}/IocScan.psd1'
          $engine = & (Get-Module IocScan) { Resolve-IocEngine }
          $detections = @(Invoke-IocScan -IocPath '${work}/iocs' -Path '${tree}' -DatabasePath '${work}/results.db' -WarningAction SilentlyContinue)
          [pscustomobject]@{ Engine = $engine.FileName; Ids = @($detections.IocId); Objects = @($detections.Objects) } | ConvertTo-Json -Compress
        `;
        const env = { ...bareEnv, HOME: `${work}/home`, DOTNET_CLI_TELEMETRY_OPTOUT: "1" };
        await Deno.mkdir(env.HOME);
        const text = await output(pwsh, ["-NoProfile", "-NonInteractive", "-Command", script], {
          env,
          clearEnv: true,
        });
        const result = JSON.parse(text.trim().split("\n").at(-1)!);
        deepStrictEqual(result.Engine, `${top}/${MODULE_BIN}/deno`);
        deepStrictEqual(result.Ids, [id]);
        deepStrictEqual(result.Objects, [`${tree}/.hidden/svch0st.exe`]);
      });

      await t.step(
        "install.sh installs it into a prefix, and the iocscan command scans from there",
        async () => {
          const prefix = `${work}/prefix`;
          const data = `${work}/data`;
          await output(`${top}/install.sh`, ["--prefix", prefix, "--data-dir", data], {
            env: bareEnv,
            clearEnv: true,
          });
          const tree = `${work}/tree2`;
          await Deno.mkdir(tree);
          await Deno.writeTextFile(`${tree}/svch0st.exe`, "planted");
          await Deno.mkdir(`${work}/iocs2`);
          await Deno.writeTextFile(
            `${work}/iocs2/planted.ioc`,
            iocXml("55555555-5555-4555-8555-555555555555", "svch0st.exe"),
          );
          const scan = await new Deno.Command(`${prefix}/bin/iocscan`, {
            args: ["scan", "--ioc", `${work}/iocs2`, "--scope", tree, "--db", `${work}/cli.db`],
            env: { ...bareEnv, HOME: `${work}/home2` },
            clearEnv: true,
            stdout: "piped",
            stderr: "piped",
          }).output();
          const text = decoder.decode(scan.stdout) + decoder.decode(scan.stderr);
          deepStrictEqual(scan.code, 1, text); // 1: detections (contracts/exit_codes.ts)
          ok(text.includes("svch0st.exe"), text);
          await output(
            `${top}/install.sh`,
            ["--uninstall", "--prefix", prefix, "--data-dir", data],
            { env: bareEnv, clearEnv: true },
          );
          ok(!(await Deno.stat(`${prefix}/bin/iocscan`).then(() => true, () => false)));
        },
      );

      const windows = byPlatform.get("win-x64")!;
      const zip = await readZip(await Deno.readFile(windows.path));
      await t.step(
        "the Windows zip holds the module, deno.exe, the bundle, the launcher and an intact SHA256SUMS",
        async () => {
          const paths = new Set(zip.map((entry) => entry.path));
          for (
            const path of [
              `${MODULE_FOLDER}/IocScan.psd1`,
              `${MODULE_FOLDER}/IocScan.psm1`,
              `${MODULE_BIN}/deno.exe`,
              `${MODULE_BIN}/${BUNDLE_NAME}`,
              launcherPath(windows.pin),
              `${MODULE_FOLDER}/${LICENSE_NAME}`,
              LICENSE_NAME,
              "Install-IocScan.ps1",
              "deploy/gpo/Install-IocScanFromShare.ps1",
              "deploy/intune/Detect-IocScanModule.ps1",
              "deploy/intune/Detect-IocScanRun.ps1",
              "deploy/intune/Remediate-IocScanRun.ps1",
              SHA256SUMS_NAME,
            ]
          ) ok(paths.has(path), `missing ${path}`);
          ok(
            zip.every((entry) =>
              /^(IocScan\/|deploy\/(gpo|intune)\/[^/]+$|[^/]+$)/.test(entry.path)
            ),
          );
          const sums = decoder.decode(zip.find((entry) => entry.path === SHA256SUMS_NAME)!.data);
          deepStrictEqual(await verifySha256Sums(sums, zip), []);
        },
      );

      await t.step(`its deno.exe is Deno ${DENO_VERSION} by its PE version resource`, async () => {
        const exe = zip.find((entry) => entry.path === `${MODULE_BIN}/deno.exe`)!;
        const parsed = await parsePeInfo(byteSourceFromBytes(exe.data));
        ok(parsed.ok, parsed.ok ? "" : `${parsed.reason}: ${parsed.detail}`);
        const items = parsed.info.VersionInfoList.VersionInfoItem;
        const versions = items.flatMap((item) => [item.ProductVersion, item.FileVersion]).filter(
          Boolean,
        );
        ok(
          versions.length > 0 && versions.every((value) => value!.startsWith(DENO_VERSION)),
          JSON.stringify(items),
        );
        ok(items.some((item) => /deno/i.test(item.ProductName ?? "")), JSON.stringify(items));
      });

      await t.step(
        "its module manifest passes Test-ModuleManifest with the release's version",
        async () => {
          const pwsh = await findPwsh();
          if (!pwsh) {
            console.warn("*** pwsh is not installed: the manifest check is SKIPPED ***");
            return;
          }
          const folder = `${work}/win`;
          for (const entry of zip) {
            await Deno.mkdir(`${folder}/${entry.path.slice(0, entry.path.lastIndexOf("/") + 1)}`, {
              recursive: true,
            });
            await Deno.writeFile(`${folder}/${entry.path}`, entry.data);
          }
          const text = await output(pwsh, [
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            `$m = Test-ModuleManifest -Path '${folder}/${MODULE_FOLDER}/IocScan.psd1' -ErrorAction Stop; ` +
            "[pscustomobject]@{ Version = $m.Version.ToString(); LicenseUri = [string]$m.LicenseUri; Tags = @($m.Tags); " +
            "ReleaseNotes = $m.ReleaseNotes } | ConvertTo-Json -Compress",
          ]);
          const manifest = JSON.parse(text.trim().split("\n").at(-1)!);
          deepStrictEqual(manifest.Version, version);
          ok(manifest.LicenseUri.startsWith("https://"));
          ok(manifest.Tags.includes("OpenIOC"));
          ok(manifest.ReleaseNotes.length > 0);
        },
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
