/**
 * Real Windows PE files, read in place when this machine has some (the
 * PowerShell and .NET SDK installs carry Windows DLLs, pip and setuptools
 * carry launcher EXEs), checked against binutils `objdump -p` and
 * `openssl pkcs7`. Set IOCSCAN_PE_SAMPLES to a `:`-separated list of files to
 * check others.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { objdumpAvailable } from "./_testing/objdump_reference.ts";
import { compareWithReferences } from "./_testing/reference_comparison.ts";

const wantedNames = new Set([
  "pwsh.dll",
  "pwrshplugin.dll",
  "sni.dll",
  "getfilesiginforedist.dll",
  "w32.exe",
  "w64.exe",
  "cli-32.exe",
  "gui-64.exe",
]);
const roots = [
  `${Deno.env.get("HOME") ?? "/root"}/.dotnet/tools/.store`,
  `${Deno.env.get("HOME") ?? "/root"}/.pyenv/versions`,
  "/usr/share/dotnet",
  "/usr/lib/python3/dist-packages",
];
const maxVisited = 60_000;
const maxSamples = 12;

/** Up to maxSamples files: each wanted name once per parent folder name (win-x64, win-x86…). */
async function findSamples(): Promise<string[]> {
  const fromEnv = Deno.env.get("IOCSCAN_PE_SAMPLES");
  if (fromEnv) return fromEnv.split(":").filter(Boolean);
  const found = new Map<string, string>();
  let visited = 0;
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > 12 || visited > maxVisited || found.size >= maxSamples) return;
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(folder));
    } catch {
      return;
    }
    for (const entry of entries.sort((left, right) => left.name.localeCompare(right.name))) {
      if (++visited > maxVisited || found.size >= maxSamples) return;
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) await walk(path, depth + 1);
      else if (entry.isFile && wantedNames.has(entry.name.toLowerCase())) {
        const key = `${folder.split("/").at(-2)}/${entry.name.toLowerCase()}`;
        if (!found.has(key)) found.set(key, path);
      }
    }
  };
  for (const root of roots) await walk(root, 0);
  return [...found.values()];
}

const samples = await findSamples();
const haveObjdump = await objdumpAvailable();
if (samples.length === 0 || !haveObjdump) {
  console.error(
    `real_files_test: SKIPPED — ${
      samples.length === 0 ? "no Windows PE files found" : "objdump missing"
    }`,
  );
}

Deno.test({
  name: "parsePeInfo() agrees with objdump and openssl on real Windows PE files",
  ignore: samples.length === 0 || !haveObjdump,
  async fn() {
    let compared = 0;
    let signersChecked = 0;
    for (const path of samples) {
      const { mismatches, checked, skipped } = await compareWithReferences(path, true);
      if (skipped) continue;
      deepStrictEqual(mismatches, [], path);
      ok(checked.includes("ImportedModules"), path);
      compared++;
      if (checked.includes("CertificateSubject/Issuer")) signersChecked++;
    }
    ok(compared > 0, `none of ${samples.join(", ")} could be compared`);
    console.error(
      `real_files_test: ${compared} files compared, ${signersChecked} Authenticode signers checked`,
    );
  },
});
