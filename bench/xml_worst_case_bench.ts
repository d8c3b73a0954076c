/**
 * The IOC reader on hostile worst cases at the default 3 MB file limit, each
 * against a reference XML parser on the same bytes in the same script:
 * `xmllint --noout` when installed, else Python's expat (`xml.parsers.expat`,
 * started once per file, so its figure includes the interpreter's start-up),
 * else none (said so).
 *
 * Cases (each once quadratic in iocscan; see tests/openioc_hostile_test.ts):
 * - `references`: 3 MB of `&amp;\r\n` inside one Content (the raw offset of
 *   every reference used to be recomputed from the start of the text);
 * - `declaration`: an XML declaration of 300,000 pseudo-attributes and 1.4 MB of
 *   trailing spaces (trimmed once per pseudo-attribute);
 * - `parameters`: 50,000 `<parameters>` blocks (the list was copied per block).
 *
 * iocscan's figure is `parseIoc` (decode, XML, IOC model), best of 3 runs.
 *
 *     deno run -P=test bench/xml_worst_case_bench.ts
 *
 * @module
 */
import { ioc10, ioc11, item10, utf8 } from "../openioc/_ioc_fixtures.ts";
import { parseIoc } from "../openioc/mod.ts";
import { bestOf } from "./timing.ts";

const threeMb = 3 * 1024 * 1024;
const runs = 3;

function referencesCase(): string {
  const references = "&amp;\r\n".repeat(Math.floor((threeMb - 2000) / 7));
  return ioc10(
    `<Indicator operator="OR" id="t">${
      item10("a", "contains", "FileItem/FileName", references)
    }</Indicator>`,
  );
}

function declarationCase(): string {
  const declaration = `<?xml version="1.0"${' a=""'.repeat(300_000)}${" ".repeat(1_400_000)}?>`;
  return declaration + ioc10(`<Indicator operator="OR" id="t"/>`).replace(/^<\?xml.*\n/, "");
}

function parametersCase(): string {
  const block = `<parameters><param ref-id="x" name="n">v</param></parameters>`;
  const blocks = block.repeat(Math.floor((threeMb - 2000) / block.length));
  return ioc11(`<Indicator operator="OR" id="t"/>`).replace("</OpenIOC>", `${blocks}</OpenIOC>`);
}

/** One reference run: its time, and whether the tool accepted the file. */
interface Timed {
  ms: number;
  accepted: boolean;
}

/** The reference tool available here, as a function timing one file, or undefined. */
function referenceTool(): { name: string; time(file: string): Timed } | undefined {
  const works = (command: string, args: string[]) => {
    try {
      return new Deno.Command(command, { args, stdout: "null", stderr: "null" }).outputSync()
        .success;
    } catch {
      return false;
    }
  };
  const timed = (command: string, args: string[]): Timed => {
    const started = performance.now();
    const { success } = new Deno.Command(command, { args, stdout: "null", stderr: "piped" })
      .outputSync();
    return { ms: performance.now() - started, accepted: success };
  };
  if (works("xmllint", ["--version"])) {
    return { name: "xmllint --noout", time: (file) => timed("xmllint", ["--noout", file]) };
  }
  const expat = "import sys,xml.parsers.expat as e\n" +
    "p=e.ParserCreate();p.Parse(open(sys.argv[1],'rb').read(),True)";
  if (works("python3", ["-c", "import xml.parsers.expat"])) {
    return { name: "python3 expat", time: (file) => timed("python3", ["-c", expat, file]) };
  }
  return undefined;
}

const reference = referenceTool();
if (reference === undefined) {
  console.log("reference: none (neither xmllint nor python3 with expat is installed)");
}
const folder = await Deno.makeTempDir({ prefix: "iocscan-xml-bench-" });
try {
  const cases: [string, string][] = [
    ["references", referencesCase()],
    ["declaration", declarationCase()],
    ["parameters", parametersCase()],
  ];
  console.log(
    `case          size      iocscan parseIoc   ${
      reference?.name ?? "reference"
    } (best of ${runs})`,
  );
  for (const [name, text] of cases) {
    const bytes = utf8(text);
    const file = `${folder}/${name}.ioc`;
    await Deno.writeFile(file, bytes);
    const best = bestOf(runs, () => parseIoc(bytes, file));
    let referenceBest = Infinity;
    let accepted = true;
    for (let run = 0; reference !== undefined && run < runs; run++) {
      const timed = reference.time(file);
      referenceBest = Math.min(referenceBest, timed.ms);
      accepted &&= timed.accepted;
    }
    console.log(
      `${name.padEnd(12)}  ${(bytes.length / 1024 / 1024).toFixed(2)} MB  ${
        best.toFixed(0).padStart(8)
      } ms        ${
        reference === undefined
          ? "-"
          : `${referenceBest.toFixed(0)} ms${accepted ? "" : " (rejects the file)"}`
      }`,
    );
  }
} finally {
  await Deno.remove(folder, { recursive: true });
}
