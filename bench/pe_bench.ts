/**
 * PE parsing throughput: `parsePeInfo` over the real Windows PE files this
 * machine has (PowerShell and .NET SDK DLLs, pip/setuptools launchers), read
 * through a file handle as the FileItem collector does, against binutils
 * `objdump -p` on the same files (one process, `xargs -P1`, so both run on
 * one core). objdump prints less (no version resource, no signer) but reads
 * the same headers, import and export tables, so it is a fair floor.
 *
 * Run: `deno run -P=test bench/pe_bench.ts [maxFiles]` (default 1000)
 *
 * @module
 */
import { byteSourceFromSeekable, parsePeInfo } from "../formats/pe/mod.ts";
import { ratio } from "./timing.ts";

const maxFiles = Number(Deno.args[0] ?? 1000);
const home = Deno.env.get("HOME") ?? "/root";
const roots = [`${home}/.dotnet`, "/usr/share/dotnet", `${home}/.pyenv/versions`];

async function collect(): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > 14 || files.length >= maxFiles) return;
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(folder));
    } catch {
      return;
    }
    for (const entry of entries.sort((left, right) => left.name.localeCompare(right.name))) {
      if (files.length >= maxFiles) return;
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) await walk(path, depth + 1);
      else if (entry.isFile && /\.(dll|exe|sys)$/i.test(entry.name)) files.push(path);
    }
  };
  for (const root of roots) await walk(root, 0);
  return files;
}

const files = await collect();
if (files.length === 0) {
  console.log("pe_bench: no PE files found under", roots.join(", "), "— nothing to measure");
  Deno.exit(0);
}
let totalBytes = 0;
for (const path of files) totalBytes += (await Deno.stat(path)).size;

async function parseAll(): Promise<{ ms: number; parsed: number; imports: number }> {
  const started = performance.now();
  let parsed = 0;
  let imports = 0;
  for (const path of files) {
    using file = await Deno.open(path);
    const { size } = await file.stat();
    const result = await parsePeInfo(byteSourceFromSeekable(file, size));
    if (result.ok) {
      parsed++;
      imports += result.info.ImportedModules.Module.length;
    }
  }
  return { ms: performance.now() - started, parsed, imports };
}

await parseAll(); // warm the page cache and the JIT
const ours = await parseAll();
const rss = Deno.memoryUsage().rss;

let objdumpMs = NaN;
try {
  const list = new TextEncoder().encode(files.join("\0"));
  const run = async () => {
    const started = performance.now();
    const child = new Deno.Command("xargs", {
      args: ["-0", "-P1", "-n50", "objdump", "-p"],
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(list);
    await writer.close();
    await child.status;
    return performance.now() - started;
  };
  await run();
  objdumpMs = await run();
} catch (error) {
  console.log("objdump not available:", error instanceof Error ? error.message : error);
}

const mb = totalBytes / 1e6;
console.log(
  `files: ${files.length} (${
    mb.toFixed(1)
  } MB on disk), parsed as PE: ${ours.parsed}, modules: ${ours.imports}`,
);
console.log(
  `parsePeInfo: ${ours.ms.toFixed(0)} ms, ${
    (files.length / (ours.ms / 1000)).toFixed(0)
  } files/s, ` +
    `${(ours.ms / files.length).toFixed(2)} ms/file, peak RSS ${(rss / 1e6).toFixed(0)} MB`,
);
if (Number.isFinite(objdumpMs)) {
  console.log(
    `objdump -p:  ${objdumpMs.toFixed(0)} ms, ${
      (files.length / (objdumpMs / 1000)).toFixed(0)
    } files/s`,
  );
  console.log(`ratio (objdump time / parsePeInfo time): ${ratio(objdumpMs, ours.ms)}`);
}
