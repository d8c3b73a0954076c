/**
 * The demo: a small file tree with benign files, planted files that the demo
 * IOCs in `demo/iocs/` detect, and decoys that match only half of an AND.
 *
 * @module
 */
import { dirname, join } from "node:path";

/** One file of the demo tree. */
export interface DemoFile {
  /** Path below the demo root, with `/` separators. */
  path: string;
  content: string;
  /** The demo IOC that must detect this file, if any. */
  detectedBy?: string;
}

const dropper = "IOCSCAN-DEMO dropper payload. Harmless text planted by deno task demo.\n";
const miner = "IOCSCAN-DEMO miner payload. Harmless text planted by deno task demo.\n";

/** Every file of the demo tree; `detectedBy` names the IOC id that must hit. */
export const demoFiles: readonly DemoFile[] = [
  {
    path: "Users/alice/Downloads/invoice_2026.pdf.exe",
    content: dropper,
    detectedBy: "6f1c3d2a-0b7e-4c1d-9a55-3e2f8c9d0a01",
  },
  // Same name as the dropper, different hash: half of the AND, so no detection.
  { path: "Users/bob/Downloads/invoice_2026.pdf.exe", content: "A real invoice.\n" },
  {
    path: "Users/alice/AppData/Roaming/Updater/svchost.exe",
    content: "IOCSCAN-DEMO masquerading service host.\n",
    detectedBy: "9b0e5f4c-1d2a-4e8b-8c71-5a6d7e8f9a10",
  },
  // The legitimate location is carved out by the negated item.
  { path: "Windows/System32/svchost.exe", content: "The genuine service host.\n" },
  {
    path: "tmp/.cache/kthreadd",
    content: miner,
    detectedBy: "c2d4e6f8-3a5b-4c7d-8e9f-0a1b2c3d4e50",
  },
  {
    path: "var/tmp/kworkerds",
    content: "#!/bin/sh\n" + "# IOCSCAN-DEMO miner launcher\n".repeat(70),
    detectedBy: "c2d4e6f8-3a5b-4c7d-8e9f-0a1b2c3d4e50",
  },
  // Right name, size outside the range: no detection.
  { path: "home/carol/kworkerds", content: "#!/bin/sh\nexit 0\n" },
  { path: "Users/alice/Documents/notes.txt", content: "Buy milk.\n" },
  { path: "Users/alice/Desktop/todo.md", content: "- patch the VPN appliance\n" },
  { path: "Users/Public/readme.txt", content: "Shared folder.\n" },
  { path: "ProgramData/Vendor/config.ini", content: "[main]\nmode=1\n" },
];

/** Writes the demo tree below `root` and returns the number of files written. */
export async function writeDemoTree(root: string): Promise<number> {
  for (const file of demoFiles) {
    const path = join(root, ...file.path.split("/"));
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, file.content);
  }
  return demoFiles.length;
}
