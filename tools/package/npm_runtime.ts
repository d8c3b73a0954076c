/**
 * Fetches a pinned Deno build from the npm registry with the ordinary npm client (`npm pack`,
 * which goes through npm's cache and the registry configured for the machine), verifies the
 * tarball against the pinned integrity hash, and returns the executable's bytes.
 *
 * @module
 */
import { DENO_VERSION, type RuntimePin } from "./runtime_pins.ts";
import { readTarGz } from "./tar.ts";

const NPM_PACKAGE_FOLDER = "package";
const SRI_ALGORITHM = "sha512";

/** The SRI string (`sha512-<base64>`) of `bytes`, as npm writes `dist.integrity`. */
export async function integrityOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>),
  );
  return `${SRI_ALGORITHM}-${btoa(String.fromCharCode(...digest))}`;
}

/**
 * The executable inside the npm tarball `tarball` of `pin`, after checking the tarball's SHA-512
 * against the pin and the package.json's name and version. Throws on any mismatch.
 */
export async function runtimeFromTarball(
  pin: RuntimePin,
  tarball: Uint8Array,
): Promise<Uint8Array> {
  const actual = await integrityOf(tarball);
  if (actual !== pin.integrity) {
    throw new Error(
      `${pin.npmPackage}@${DENO_VERSION}: integrity mismatch: the tarball is ${actual}, the pin is ${pin.integrity}`,
    );
  }
  const entries = await readTarGz(tarball);
  const manifest = entries.find((entry) => entry.path === `${NPM_PACKAGE_FOLDER}/package.json`);
  const binary = entries.find((entry) => entry.path === `${NPM_PACKAGE_FOLDER}/${pin.binary}`);
  if (!manifest || !binary) {
    throw new Error(
      `${pin.npmPackage}@${DENO_VERSION}: no package.json or ${pin.binary} in the tarball`,
    );
  }
  const { name, version } = JSON.parse(new TextDecoder().decode(manifest.data));
  if (name !== pin.npmPackage || version !== DENO_VERSION) {
    throw new Error(`${pin.npmPackage}@${DENO_VERSION}: the tarball holds ${name}@${version}`);
  }
  return binary.data;
}

/** Runs `npm pack` for `pin` into `workDir` and returns the verified executable. */
export async function fetchRuntime(pin: RuntimePin, workDir: string): Promise<Uint8Array> {
  const spec = `${pin.npmPackage}@${DENO_VERSION}`;
  const output = await new Deno.Command("npm", {
    args: ["pack", spec, "--pack-destination", workDir, "--json", "--silent"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`npm pack ${spec} failed: ${new TextDecoder().decode(output.stderr).trim()}`);
  }
  const [packed] = JSON.parse(new TextDecoder().decode(output.stdout)) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${spec} reported no file`);
  const tarball = await Deno.readFile(`${workDir}/${packed.filename}`);
  return runtimeFromTarball(pin, tarball);
}
