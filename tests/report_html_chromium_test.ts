/**
 * The HTML report in a real browser (headless Chromium, Debian's `chromium`): a run whose IOC
 * name, file name, event field and registry value carry `<script>`, `<img onerror>`, `</style>`
 * and `<svg onload>` payloads is rendered by `iocscan report`, loaded, screenshotted, and its DOM
 * checked: the detection count, every payload present as text and never as an element, no script
 * element, and no console message at all (a script error or a CSP violation would log one).
 * Skips loudly when Chromium is not installed.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";
import { buildHostileRun, PAYLOADS } from "../report/_report_fixtures.ts";

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
/** A page load is given this long before the browser is killed. */
const BROWSER_DEADLINE_MS = 60_000;

function findChromium(): string | undefined {
  for (const path of CHROMIUM_CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const chromium = findChromium();
if (chromium === undefined) {
  console.error(
    `SKIPPED tests/report_html_chromium_test.ts: no Chromium at ${
      CHROMIUM_CANDIDATES.join(" or ")
    }`,
  );
}

/** Loads `file` in headless Chromium: the serialised DOM, the console lines, and a screenshot. */
async function loadInChromium(file: string, extra: string[] = []) {
  const child = new Deno.Command(chromium!, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--enable-logging=stderr",
      "--v=0",
      ...extra,
      `file://${file}`,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { HOME: join(file, "..") },
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), BROWSER_DEADLINE_MS);
  try {
    const output = await child.output();
    const stderr = new TextDecoder().decode(output.stderr);
    return {
      code: output.code,
      dom: new TextDecoder().decode(output.stdout),
      console: stderr.split("\n").filter((line) =>
        /:CONSOLE[:(]|Uncaught|Content Security Policy/i.test(line)
      ),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Text as Chromium serialises it in a text node. */
function asDomText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

Deno.test({
  name: "report --format html: hostile values stay text in Chromium, no script runs, screenshot",
  ignore: chromium === undefined,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-report-html-" });
    try {
      const database = join(folder, "results.db");
      const { store, runId } = await buildHostileRun(database);
      await store.close();
      const page = join(folder, "report.html");
      const result = await runCli([
        "report",
        "--db",
        database,
        "--run",
        String(runId),
        "--out",
        page,
      ]);
      strictEqual(result.code, 0, result.stderr);

      const loaded = await loadInChromium(page, ["--dump-dom"]);
      strictEqual(loaded.code, 0);
      ok(loaded.dom.includes("</html>"), "the DOM was dumped");
      // No console message at all: a script error, a blocked script or fetch would log one.
      strictEqual(loaded.console.join("\n"), "");
      ok(!/<script[\s>]/i.test(loaded.dom), "no script element");
      ok(!/<img[\s>]/i.test(loaded.dom), "no img element");
      ok(!/<svg[\s>]/i.test(loaded.dom), "no svg element");
      ok(/<span class="count" id="detection-count">1<\/span>/.test(loaded.dom), "detections count");
      for (const [name, payload] of Object.entries(PAYLOADS)) {
        ok(loaded.dom.includes(asDomText(payload)), `${name} shown as text`);
      }
      for (
        const section of [
          "run",
          "detections",
          "findings",
          "actions",
          "not-evaluated",
          "skipped",
          "warnings",
        ]
      ) {
        ok(loaded.dom.includes(`<section id="${section}">`), `section ${section}`);
      }
      ok(/<span id="finding-count">1<\/span>/.test(loaded.dom), "findings count");
      ok(loaded.dom.includes("anonymous-executable-memory"), "the finding's kind");
      ok(loaded.dom.includes("critical"), "the IOC's severity (score 95)");
      ok(loaded.dom.includes("Yara/TextString"), "the item not evaluated");

      const shot = join(folder, "report.png");
      const taken = await loadInChromium(page, ["--screenshot=" + shot, "--window-size=1280,2000"]);
      strictEqual(taken.code, 0);
      const png = await Deno.readFile(shot);
      ok(png.length > 1000, "a non-empty screenshot");
      strictEqual(
        [...png.slice(0, 8)].join(","),
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].join(","),
      );
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "report chromium check: a page whose script runs or is blocked does log (the check can fail)",
  ignore: chromium === undefined,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-report-control-" });
    try {
      const thrown = join(folder, "thrown.html");
      await Deno.writeTextFile(
        thrown,
        `<!DOCTYPE html><body><script>throw new Error("x")</script>`,
      );
      ok(
        (await loadInChromium(thrown, ["--dump-dom"])).console.some((line) =>
          /Uncaught/.test(line)
        ),
      );
      const blocked = join(folder, "blocked.html");
      await Deno.writeTextFile(
        blocked,
        `<!DOCTYPE html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'">` +
          `</head><body><script>1</script>`,
      );
      ok((await loadInChromium(blocked, ["--dump-dom"])).console.length > 0);
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
