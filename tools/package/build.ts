/**
 * `deno task package`: builds the release packages into dist/ from a checkout, with no network
 * access beyond the npm registry (the pinned Deno builds) and the npm packages the engine
 * already imports:
 *
 * - `dist/IocScan-<version>-win-x64.zip` and `dist/iocscan-<version>-linux-x64.tar.gz`
 *   (layout.ts), and `dist/SHA256SUMS` over both.
 *
 * The version is deno.json's, which must equal the module manifest's ModuleVersion.
 *
 * @module
 */
import { type ArchiveEntry, EXECUTABLE_MODE, FILE_MODE } from "./archive_entry.ts";
import { type DenoConfigForLauncher, engineFlags } from "./launcher.ts";
import { LICENSE_NAME, packageEntries, packageFileName } from "./layout.ts";
import { fetchRuntime } from "./npm_runtime.ts";
import { RUNTIME_PINS, type RuntimePin } from "./runtime_pins.ts";
import { sha256Sums, SHA256SUMS_NAME } from "./sha256sums.ts";
import { writeTarGz } from "./tar.ts";
import { writeZip } from "./zip.ts";

/** The module's folder in the checkout. */
const MODULE_SOURCE = "powershell/IocScan";
/** What of the module's folder stays out of a package: local builds of the engine. */
const MODULE_EXCLUDED_PREFIX = "bin/";
const MANIFEST = `${MODULE_SOURCE}/IocScan.psd1`;
const ENGINE_ENTRY = "cli/main.ts";
/** Files in the checkout that run as programs once extracted. */
const EXECUTABLE_SOURCES = /\.sh$/;
const decoder = new TextDecoder();

/** Options of {@linkcode buildPackages}. */
export type BuildOptions = {
  /** The checkout's root. */
  root: string;
  /** Where the packages go (created): `<root>/dist` by default. */
  outDir?: string;
  /** The platforms to build: all by default. */
  pins?: readonly RuntimePin[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
};

/** One built package. */
export type BuiltPackage = { pin: RuntimePin; path: string; size: number };

async function run(command: string, args: string[], cwd: string): Promise<Uint8Array> {
  const output = await new Deno.Command(command, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  if (!output.success) {
    throw new Error(`${command} ${args.join(" ")} failed: ${decoder.decode(output.stderr).trim()}`);
  }
  return output.stdout;
}

/** deno.json's version, after checking that the module manifest says the same. */
export async function releaseVersion(
  root: string,
): Promise<{ version: string; config: DenoConfigForLauncher }> {
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  const version = config.version;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`deno.json: version ${JSON.stringify(version)} is not MAJOR.MINOR.PATCH`);
  }
  const manifest = await Deno.readTextFile(`${root}/${MANIFEST}`);
  const moduleVersion = /^\s*ModuleVersion\s*=\s*'([^']*)'/m.exec(manifest)?.[1];
  if (moduleVersion !== version) {
    throw new Error(
      `${MANIFEST} has ModuleVersion ${moduleVersion}, deno.json has ${version}: make them equal`,
    );
  }
  return { version, config };
}

/** The module's tracked files (git ls-files), paths relative to the module folder. */
async function moduleFiles(root: string): Promise<ArchiveEntry[]> {
  const listed = decoder.decode(await run("git", ["ls-files", "-z", "--", MODULE_SOURCE], root));
  const entries: ArchiveEntry[] = [];
  for (const path of listed.split("\0").filter((path) => path !== "").sort()) {
    const relative = path.slice(MODULE_SOURCE.length + 1);
    if (relative.startsWith(MODULE_EXCLUDED_PREFIX)) continue;
    const mode = EXECUTABLE_SOURCES.test(relative) ? EXECUTABLE_MODE : FILE_MODE;
    entries.push({ path: relative, data: await Deno.readFile(`${root}/${path}`), mode });
  }
  if (!entries.some((entry) => entry.path === "IocScan.psd1")) {
    throw new Error(`git lists no ${MANIFEST}: run the build from a git checkout`);
  }
  return entries;
}

/** The engine bundle, built as `deno task bundle` builds it but into `workDir`. */
async function bundle(root: string, workDir: string): Promise<Uint8Array> {
  const out = `${workDir}/iocscan.js`;
  await run(
    Deno.execPath(),
    ["bundle", "--quiet", "--platform", "deno", "-o", out, ENGINE_ENTRY],
    root,
  );
  return await Deno.readFile(out);
}

/** Builds the packages and returns them; throws on the first problem. */
export async function buildPackages(options: BuildOptions): Promise<BuiltPackage[]> {
  const { root } = options;
  const outDir = options.outDir ?? `${root}/dist`;
  const pins = options.pins ?? RUNTIME_PINS;
  const log = options.log ?? (() => {});
  const { version, config } = await releaseVersion(root);
  const flags = engineFlags(config);
  await Deno.mkdir(outDir, { recursive: true });
  const workDir = await Deno.makeTempDir({ dir: outDir, prefix: ".build-" });
  try {
    log(`iocscan ${version}: bundling ${ENGINE_ENTRY}`);
    const [module, engine, license] = await Promise.all([
      moduleFiles(root),
      bundle(root, workDir),
      Deno.readFile(`${root}/${LICENSE_NAME}`),
    ]);
    const built: BuiltPackage[] = [];
    for (const pin of pins) {
      log(`${pin.platform}: npm pack ${pin.npmPackage} (integrity ${pin.integrity.slice(0, 20)}…)`);
      const runtime = await fetchRuntime(pin, workDir);
      const installers = await Promise.all(pin.installers.map(async ({ from, to }) => ({
        path: to,
        data: await Deno.readFile(`${root}/${from}`),
        mode: EXECUTABLE_SOURCES.test(from) ? EXECUTABLE_MODE : FILE_MODE,
      })));
      const entries = await packageEntries({
        version,
        pin,
        moduleFiles: module,
        runtime,
        bundle: engine,
        license,
        flags,
        installers,
      });
      const bytes = pin.archive === "zip" ? await writeZip(entries) : await writeTarGz(entries);
      const path = `${outDir}/${packageFileName(pin, version)}`;
      await Deno.writeFile(path, bytes);
      log(`${pin.platform}: ${path} (${(bytes.length / 1048576).toFixed(1)} MiB)`);
      built.push({ pin, path, size: bytes.length });
    }
    const sums = await sha256Sums(
      await Promise.all(built.map(async (item) => ({
        path: item.path.slice(item.path.lastIndexOf("/") + 1),
        data: await Deno.readFile(item.path),
        mode: FILE_MODE,
      }))),
    );
    await Deno.writeTextFile(`${outDir}/${SHA256SUMS_NAME}`, sums);
    return built;
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
}

if (import.meta.main) {
  const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
  try {
    await buildPackages({ root, log: (line) => console.error(line) });
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
