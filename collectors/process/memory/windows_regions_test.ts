import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  decodeMemoryBasicInformation,
  MEM_COMMIT,
  MEM_FREE,
  MEM_IMAGE,
  MEM_MAPPED,
  MEM_PRIVATE,
  MEM_RESERVE,
  type MemoryBasicInformation,
} from "../../../windows/layouts/memory.ts";
import { encodeMemoryBasicInformation } from "../../../windows/layouts/_memory_bytes.ts";
import { readMemorySections } from "./memory_sections.ts";
import type { MemoryRegion } from "./memory_region.ts";
import type { ProcessMemorySource } from "./source.ts";
import { dosPathOf, windowsRegion } from "./windows_regions.ts";

const devices = new Map([["C:", "\\Device\\HarddiskVolume3"]]);
const ntdll = "\\Device\\HarddiskVolume3\\Windows\\System32\\ntdll.dll";

/** A recorded VirtualQueryEx walk: each answer as the bytes the API writes, with the mapped name. */
const walk: { info: MemoryBasicInformation; mapped?: string }[] = [
  // Free memory below the first allocation: no section.
  { info: mbi(0x0n, 0x0n, 0, 0x10000n, MEM_FREE, 0x01, 0) },
  // ntdll.dll: one allocation of three regions (headers, .text, .data).
  {
    info: mbi(0x7ffa_0000_0000n, 0x7ffa_0000_0000n, 0x80, 0x1000n, MEM_COMMIT, 0x02, MEM_IMAGE),
    mapped: ntdll,
  },
  {
    info: mbi(0x7ffa_0000_1000n, 0x7ffa_0000_0000n, 0x80, 0x11_6000n, MEM_COMMIT, 0x20, MEM_IMAGE),
    mapped: ntdll,
  },
  {
    info: mbi(0x7ffa_0011_7000n, 0x7ffa_0000_0000n, 0x80, 0x2000n, MEM_COMMIT, 0x08, MEM_IMAGE),
    mapped: ntdll,
  },
  // A private allocation made RW then turned RX: shellcode.
  { info: mbi(0x1f0_0000n, 0x1f0_0000n, 0x04, 0x1000n, MEM_COMMIT, 0x20, MEM_PRIVATE) },
  // A heap: committed RW, then reserved.
  { info: mbi(0x200_0000n, 0x200_0000n, 0x04, 0x4000n, MEM_COMMIT, 0x04, MEM_PRIVATE) },
  { info: mbi(0x200_4000n, 0x200_0000n, 0x04, 0xfc000n, MEM_RESERVE, 0, MEM_PRIVATE) },
  // A stack guard page.
  { info: mbi(0x300_0000n, 0x300_0000n, 0x04, 0x1000n, MEM_COMMIT, 0x104, MEM_PRIVATE) },
  // A mapped data file.
  {
    info: mbi(0x400_0000n, 0x400_0000n, 0x02, 0x2000n, MEM_COMMIT, 0x02, MEM_MAPPED),
    mapped: "\\Device\\HarddiskVolume3\\ProgramData\\cfg.bin",
  },
];

function mbi(
  baseAddress: bigint,
  allocationBase: bigint,
  allocationProtect: number,
  regionSize: bigint,
  state: number,
  protect: number,
  type: number,
): MemoryBasicInformation {
  return { baseAddress, allocationBase, allocationProtect, regionSize, state, protect, type };
}

function recordedRegions(): MemoryRegion[] {
  return walk.flatMap(({ info, mapped }) => {
    const decoded = decodeMemoryBasicInformation(encodeMemoryBasicInformation(info, 0xcc));
    ok(decoded);
    const region = windowsRegion(
      decoded,
      mapped === undefined ? undefined : dosPathOf(mapped, devices),
    );
    return region === undefined ? [] : [region];
  });
}

Deno.test("windowsRegion turns VirtualQueryEx answers into regions: free memory is none, guard pages unreadable", () => {
  const regions = recordedRegions();
  strictEqual(regions.length, walk.length - 1);
  const [header, text, , shellcode, heap, reserved, guard] = regions;
  deepStrictEqual(header, {
    start: 0x7ffa_0000_0000n,
    size: 0x1000n,
    protection: "PAGE_READONLY",
    readable: true,
    executable: false,
    rawFlags: "State=0x1000 Protect=0x2 Type=0x1000000",
    kind: "image",
    name: "C:\\Windows\\System32\\ntdll.dll",
    fileKey: "c:\\windows\\system32\\ntdll.dll",
    deleted: false,
    allocation: { base: 0x7ffa_0000_0000n, protection: "PAGE_EXECUTE_WRITECOPY" },
  });
  deepStrictEqual([text!.protection, text!.executable], ["PAGE_EXECUTE_READ", true]);
  deepStrictEqual([shellcode!.kind, shellcode!.executable, shellcode!.name], [
    "private",
    true,
    undefined,
  ]);
  strictEqual(heap!.readable, true);
  deepStrictEqual([reserved!.readable, reserved!.protection], [false, ""]);
  deepStrictEqual([guard!.readable, guard!.protection], [false, "PAGE_READWRITE|PAGE_GUARD"]);
});

Deno.test("readMemorySections on Windows: one section per allocation, with the allocation's protection", async () => {
  const source: ProcessMemorySource = {
    regions: () => Promise.resolve({ regions: recordedRegions() }),
    open: () => Promise.reject(new Error("not read")),
  };
  const result = await readMemorySections(4242, { source });
  ok(result.ok);
  deepStrictEqual(
    result.sections.map((section) => [
      section.Name,
      section.Protection,
      section.RegionStart,
      section.RegionSize,
      section.Mapped,
      section.Injected,
    ]),
    [
      [
        "C:\\Windows\\System32\\ntdll.dll",
        "PAGE_EXECUTE_WRITECOPY",
        0x7ffa_0000_0000,
        0x11_9000,
        "true",
        false,
      ],
      ["[anon]", "PAGE_READWRITE", 0x1f0_0000, 0x1000, "false", true],
      ["[anon]", "PAGE_READWRITE", 0x200_0000, 0x10_0000, "false", false],
      ["[anon]", "PAGE_READWRITE", 0x300_0000, 0x1000, "false", false],
      ["C:\\ProgramData\\cfg.bin", "PAGE_READONLY", 0x400_0000, 0x2000, "true", false],
    ],
  );
  strictEqual(
    result.sections[0]!.RawFlags,
    "State=0x1000 Protect=0x2 Type=0x1000000,State=0x1000 Protect=0x20 Type=0x1000000,State=0x1000 Protect=0x8 Type=0x1000000",
  );
});

Deno.test("dosPathOf maps a volume's device name to its drive letter, case-insensitively", () => {
  strictEqual(dosPathOf(ntdll, devices), "C:\\Windows\\System32\\ntdll.dll");
  strictEqual(
    dosPathOf("\\device\\harddiskvolume3\\x.dll", devices),
    "C:\\x.dll",
  );
  // Another volume (no letter), or a prefix that is not a whole component: as it is.
  strictEqual(
    dosPathOf("\\Device\\HarddiskVolume30\\x.dll", devices),
    "\\Device\\HarddiskVolume30\\x.dll",
  );
  strictEqual(
    dosPathOf("\\Device\\Mup\\server\\share\\x.dll", devices),
    "\\Device\\Mup\\server\\share\\x.dll",
  );
});
