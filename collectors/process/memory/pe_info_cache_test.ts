import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { FileOpener } from "../../hashing/mod.ts";
import { buildPe } from "../../../formats/pe/_testing/pe_builder.ts";
import { readMemorySections } from "./memory_sections.ts";
import type { MemoryRegion } from "./memory_region.ts";
import { PeInfoCache } from "./pe_info_cache.ts";
import type { ProcessMemorySource } from "./source.ts";

const dll = buildPe({
  bits: 64,
  dll: true,
  imports: [{ name: "KERNEL32.dll", functions: ["VirtualAllocEx", "WriteProcessMemory"] }],
}).bytes;

/** Files by path; counts opens. */
function memoryOpener(files: Record<string, Uint8Array>): FileOpener & { opens: string[] } {
  const opens: string[] = [];
  return {
    opens,
    open(path) {
      opens.push(path);
      const bytes = files[path];
      if (bytes === undefined) {
        return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" }));
      }
      return Promise.resolve({
        size: bytes.byteLength,
        read(buffer: Uint8Array, position: number) {
          const part = bytes.subarray(position, position + buffer.byteLength);
          buffer.set(part);
          return Promise.resolve(part.byteLength);
        },
        close: () => Promise.resolve(),
      });
    },
  };
}

function mapping(start: bigint, name: string, fileKey: string, openPath?: string): MemoryRegion {
  return {
    start,
    size: 0x1000n,
    protection: "PAGE_EXECUTE_READ",
    readable: true,
    executable: true,
    rawFlags: "r-xp",
    kind: "mapped",
    name,
    fileKey,
    deleted: false,
    ...(openPath === undefined ? {} : { openPaths: [openPath, `/proc/1/root${name}`] }),
  };
}

const source = (regions: MemoryRegion[]): ProcessMemorySource => ({
  regions: () => Promise.resolve({ regions }),
  open: () => Promise.reject(new Error("not read")),
});

Deno.test("readMemorySections gives a mapped PE file's PEInfo, parsing each file once per run", async () => {
  const opener = memoryOpener({
    "/proc/1/map_files/a": dll,
    "/usr/lib/libc.so.6": new Uint8Array(64),
  });
  const cache = new PeInfoCache(opener);
  const regions = [
    mapping(0x10000n, "/opt/wine/evil.dll", "8:1:77", "/proc/1/map_files/a"),
    mapping(0x20000n, "/usr/lib/libc.so.6", "8:1:78"),
  ];
  const first = await readMemorySections(1, { source: source(regions), peInfo: cache });
  const second = await readMemorySections(2, { source: source(regions), peInfo: cache });
  ok(first.ok && second.ok);
  const pe = first.sections[0]!.PEInfo as {
    ImportedModules: { Module: { Name: string; ImportedFunctions: { string: string[] } }[] };
  };
  deepStrictEqual(pe.ImportedModules.Module.map((module) => module.ImportedFunctions.string), [[
    "VirtualAllocEx",
    "WriteProcessMemory",
  ]]);
  strictEqual(first.sections[1]!.PEInfo, undefined, "an ELF file has no PEInfo");
  deepStrictEqual(first.unevaluated, {});
  deepStrictEqual(opener.opens, ["/proc/1/map_files/a", "/usr/lib/libc.so.6"]);
  strictEqual(cache.files, 2);
});

Deno.test("readMemorySections: a mapped device (not a regular file) has no PEInfo, and nothing unknown", async () => {
  const special = Object.assign(new Error("not a regular file: /dev/dri/card0"), {
    code: "ESPECIAL",
  });
  const cache = new PeInfoCache({ open: () => Promise.reject(special) });
  const result = await readMemorySections(1, {
    source: source([mapping(0x10000n, "/dev/dri/card0", "0:5:7")]),
    peInfo: cache,
  });
  ok(result.ok);
  strictEqual(result.sections[0]!.PEInfo, undefined);
  deepStrictEqual(result.unevaluated, {});
});

Deno.test("readMemorySections opens a file in the process's own root when map_files is refused", async () => {
  const opener = memoryOpener({ "/proc/1/root/opt/app/evil.dll": dll });
  const result = await readMemorySections(1, {
    source: source([mapping(0x10000n, "/opt/app/evil.dll", "8:1:80", "/proc/1/map_files/b")]),
    peInfo: new PeInfoCache(opener),
  });
  ok(result.ok);
  ok(result.sections[0]!.PEInfo !== undefined);
  deepStrictEqual(opener.opens, ["/proc/1/map_files/b", "/proc/1/root/opt/app/evil.dll"]);
});

Deno.test("readMemorySections: a mapped file that cannot be opened leaves its PEInfo unknown, named", async () => {
  const cache = new PeInfoCache(memoryOpener({}));
  const result = await readMemorySections(1, {
    source: source([mapping(0x10000n, "/gone/evil.dll", "8:1:79")]),
    peInfo: cache,
  });
  ok(result.ok);
  strictEqual(result.sections[0]!.PEInfo, undefined);
  ok(
    result.unevaluated["SectionList/MemorySection/PEInfo"]?.startsWith("/gone/evil.dll: not-found"),
  );
});
