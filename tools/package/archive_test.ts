import { deepStrictEqual, rejects, throws } from "node:assert/strict";
import {
  type ArchiveEntry,
  assertSafeArchivePath,
  EXECUTABLE_MODE,
  FILE_MODE,
} from "./archive_entry.ts";
import { crc32 } from "./crc32.ts";
import { readTarGz, writeTar, writeTarGz } from "./tar.ts";
import { readZip, writeZip } from "./zip.ts";

const encoder = new TextEncoder();
const longFolder = `IocScan/${"deep-folder-name/".repeat(7)}`;
const entries: ArchiveEntry[] = [
  {
    path: "IocScan/IocScan.psd1",
    data: encoder.encode("@{ ModuleVersion = '0.1.0' }\n"),
    mode: FILE_MODE,
  },
  {
    path: "IocScan/bin/deno",
    data: new Uint8Array(70_000).map((_, i) => (i * 2654435761) >>> 24),
    mode: EXECUTABLE_MODE,
  },
  { path: `${longFolder}file.txt`, data: encoder.encode("long path"), mode: FILE_MODE },
  { path: "empty", data: new Uint8Array(0), mode: FILE_MODE },
];

async function tool(name: string, args: string[], cwd: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(name, { args, cwd, stdout: "piped", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(`${name} failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      console.warn(`*** ${name} is not installed: its cross-check is SKIPPED ***`);
      return undefined;
    }
    throw error;
  }
}

Deno.test("crc32() gives the standard check value", () => {
  deepStrictEqual(crc32(encoder.encode("123456789")), 0xcbf43926);
});

Deno.test("a .tar.gz round-trips through readTarGz(), and GNU tar extracts it with modes", async () => {
  const bytes = await writeTarGz(entries);
  deepStrictEqual(await readTarGz(bytes), entries);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/p.tar.gz`, bytes);
    await Deno.mkdir(`${dir}/out`);
    if (await tool("tar", ["-xzf", "../p.tar.gz"], `${dir}/out`) === undefined) return;
    for (const entry of entries) {
      deepStrictEqual(await Deno.readFile(`${dir}/out/${entry.path}`), entry.data);
      deepStrictEqual((await Deno.stat(`${dir}/out/${entry.path}`)).mode! & 0o777, entry.mode);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two builds of the same tar are byte for byte the same", () => {
  deepStrictEqual(writeTar(entries), writeTar(entries));
});

Deno.test("a zip round-trips through readZip(), and unzip tests and extracts it", async () => {
  const bytes = await writeZip(entries);
  deepStrictEqual(await readZip(bytes), entries);
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/p.zip`, bytes);
    if (await tool("unzip", ["-tq", "p.zip"], dir) === undefined) return;
    await tool("unzip", ["-q", "p.zip", "-d", "out"], dir);
    for (const entry of entries) {
      deepStrictEqual(await Deno.readFile(`${dir}/out/${entry.path}`), entry.data);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readZip() refuses a corrupted entry", async () => {
  const corrupt = await writeZip([{
    path: "a.txt",
    data: encoder.encode("a".repeat(100)),
    mode: FILE_MODE,
  }]);
  const crcAt = corrupt.length - 22 - (46 + 5) + 16;
  corrupt[crcAt] = corrupt[crcAt]! ^ 0xff;
  await rejects(readZip(corrupt), /corrupt zip entry: a\.txt/);
});

Deno.test("archive paths that could leave the extraction folder are refused", async () => {
  for (const path of ["/etc/passwd", "../x", "a/../../x", "C:/x", "a\\b", "a//b", ""]) {
    throws(() => assertSafeArchivePath(path), /unsafe archive path/);
  }
  await rejects(writeZip([{ path: "../x", data: new Uint8Array(), mode: FILE_MODE }]), /unsafe/);
  throws(() => writeTar([{ path: "/x", data: new Uint8Array(), mode: FILE_MODE }]), /unsafe/);
});
