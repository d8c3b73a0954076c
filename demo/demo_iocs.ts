/**
 * The demo IOC files, embedded as text so that the demo runs the same from a
 * checkout, the bundle and a compiled binary. The files themselves live in
 * `demo/iocs/` and stay the one copy: edit them there.
 *
 * @module
 */
import invoiceDropper from "./iocs/invoice_dropper.ioc" with { type: "text" };
import linuxMiner from "./iocs/linux_miner.ioc" with { type: "text" };
import svchostMasquerade from "./iocs/svchost_masquerade.ioc" with { type: "text" };
import yaraOnly from "./iocs/yara_only.ioc" with { type: "text" };
import { join } from "node:path";

/** The demo IOC files by name. */
export const demoIocs: Readonly<Record<string, string>> = {
  "invoice_dropper.ioc": invoiceDropper,
  "linux_miner.ioc": linuxMiner,
  "svchost_masquerade.ioc": svchostMasquerade,
  "yara_only.ioc": yaraOnly,
};

/** Writes the demo IOC files into `folder` (created if needed) and returns it. */
export async function writeDemoIocs(folder: string): Promise<string> {
  await Deno.mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(demoIocs)) {
    await Deno.writeTextFile(join(folder, name), text);
  }
  return folder;
}
