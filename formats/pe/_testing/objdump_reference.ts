/**
 * Test-only: what GNU `objdump -p` (binutils) says about a PE file, reduced to
 * the facts the parser also reports, so tests can compare the two.
 *
 * @module
 */

/** The facts read from `objdump -p`. */
export type ObjdumpFacts = {
  /** COFF TimeDateStamp in seconds. */
  timeDateStamp: number;
  imageBase: bigint;
  subsystem: number;
  characteristics: number;
  imports: { name: string; functions: string[] }[];
  exportNames: string[];
  /** File offset and size of the certificate table (Entry 4). */
  security: { offset: number; size: number };
};

/** Whether `objdump` can be run here. */
export async function objdumpAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("objdump", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success;
  } catch {
    return false;
  }
}

/**
 * Runs `objdump -p` on `path` and parses its private-headers dump, or
 * `undefined` when this objdump does not know the machine (ARM64 PE files on
 * an x86 binutils build).
 */
export async function objdumpFacts(path: string): Promise<ObjdumpFacts | undefined> {
  const output = await new Deno.Command("objdump", {
    args: ["-p", path],
    env: { TZ: "UTC", LC_ALL: "C" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const message = new TextDecoder().decode(output.stderr);
    if (message.includes("file format not recognized")) return undefined;
    throw new Error(`objdump -p ${path}: ${message}`);
  }
  const lines = new TextDecoder().decode(output.stdout).split("\n");
  const facts: ObjdumpFacts = {
    timeDateStamp: NaN,
    imageBase: 0n,
    subsystem: NaN,
    characteristics: NaN,
    imports: [],
    exportNames: [],
    security: { offset: 0, size: 0 },
  };
  let section: "none" | "imports" | "exports" = "none";
  for (const line of lines) {
    let match: RegExpMatchArray | null;
    if ((match = line.match(/^Time\/Date\t+(.*)$/))) {
      const text = match[1]!;
      const hex = text.match(/^([0-9a-f]{8})\b/);
      facts.timeDateStamp = hex ? parseInt(hex[1]!, 16) : Date.parse(`${text} UTC`) / 1000;
    } else if ((match = line.match(/^ImageBase\t+([0-9a-f]+)/))) {
      facts.imageBase = BigInt(`0x${match[1]}`);
    } else if ((match = line.match(/^Subsystem\t+([0-9a-f]+)/))) {
      facts.subsystem = parseInt(match[1]!, 16);
    } else if ((match = line.match(/^Characteristics 0x([0-9a-f]+)/))) {
      facts.characteristics = parseInt(match[1]!, 16);
    } else if ((match = line.match(/^Entry 4 ([0-9a-f]+) ([0-9a-f]+) Security Directory/))) {
      facts.security = { offset: parseInt(match[1]!, 16), size: parseInt(match[2]!, 16) };
    } else if (line.startsWith("The Import Tables")) {
      section = "imports";
    } else if (line.startsWith("[Ordinal/Name Pointer] Table")) {
      section = "exports";
    } else if (section === "imports" && (match = line.match(/^\tDLL Name: (.*)$/))) {
      facts.imports.push({ name: match[1]!, functions: [] });
    } else if (
      section === "imports" && (match = line.match(/^\t([0-9a-f]+)\t\s*([0-9a-f]+)\s+(.*)$/))
    ) {
      const module = facts.imports.at(-1);
      const member = match[3]!.trim();
      // Ordinal imports show `<none>`; the ordinal is the low 16 bits of the thunk.
      if (module) {
        module.functions.push(
          member.startsWith("<none>")
            ? `#${parseInt(match[1]!.slice(-4), 16)}`
            : member.split(" ")[0]!,
        );
      }
    } else if (
      section === "exports" &&
      (match = line.match(/^\t\[\s*\d+\] (?:\+base\[\s*\d+\] [0-9a-f]+ )?(.+)$/))
    ) {
      facts.exportNames.push(match[1]!);
    } else if (section === "exports" && line.trim() === "") {
      section = "none";
    } else if (
      line.startsWith("PE File Base Relocations") || line.startsWith("The Export Tables")
    ) {
      if (section === "imports") section = "none";
    }
  }
  return facts;
}

/** The subjects and issuers of every certificate in a DER PKCS#7 blob, per `openssl pkcs7 -print_certs`: encoding order, `C = US, O = …, CN = …`. */
export async function opensslCertificates(
  pkcs7: Uint8Array,
): Promise<{ subject: string; issuer: string }[] | undefined> {
  try {
    const child = new Deno.Command("openssl", {
      args: ["pkcs7", "-inform", "DER", "-print_certs", "-noout"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(pkcs7);
    await writer.close();
    const output = await child.output();
    if (!output.success) return undefined;
    const pairs: { subject: string; issuer: string }[] = [];
    let subject = "";
    for (const line of new TextDecoder().decode(output.stdout).split("\n")) {
      if (line.startsWith("subject=")) subject = line.slice("subject=".length).trim();
      if (line.startsWith("issuer=")) {
        pairs.push({ subject, issuer: line.slice("issuer=".length).trim() });
      }
    }
    return pairs;
  } catch {
    return undefined;
  }
}
