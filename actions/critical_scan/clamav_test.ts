import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { clamavEngine, readClamscanReport } from "./clamav.ts";

/** Whether clamscan is installed; says loudly when not (the real-engine tests then skip). */
async function hasClamscan(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("clamscan", { args: ["--version"], stdout: "null" })
      .output();
    if (code === 0) return true;
  } catch {
    // not installed
  }
  console.error(
    "\n*** SKIPPING ClamAV hand-off tests: clamscan is not installed (apt-get install -y clamav) ***\n",
  );
  return false;
}

const clamscan = await hasClamscan();

/** A folder with a planted file, a clean one, an oversize one and a signature database of the first. */
async function plant(): Promise<
  { dir: string; evil: string; clean: string; big: string; db: string }
> {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-clamav-test-" });
  const evil = `${dir}/planted: evil.bin`;
  const content = new TextEncoder().encode(`iocscan planted ${crypto.randomUUID()}\n`);
  await Deno.writeFile(evil, content);
  const clean = `${dir}/clean.txt`;
  await Deno.writeTextFile(clean, "nothing here\n");
  const big = `${dir}/big.bin`;
  await Deno.writeFile(big, new Uint8Array(2 * 1024 * 1024).fill(7));
  const md5 = await md5Hex(evil);
  const db = `${dir}/test.hdb`;
  await Deno.writeTextFile(db, `${md5}:${content.byteLength}:Iocscan.Test.Planted\n`);
  return { dir, evil, clean, big, db };
}

async function md5Hex(path: string): Promise<string> {
  const { stdout } = await new Deno.Command("md5sum", { args: [path] }).output();
  return new TextDecoder().decode(stdout).split(" ")[0]!.replace(/^\\/, "");
}

Deno.test({
  name:
    "clamavEngine() hits a planted file with a custom database, reports an oversize file and a missing one as not scanned, never clean",
  ignore: !clamscan,
  async fn() {
    const { dir, evil, clean, big, db } = await plant();
    try {
      const engine = clamavEngine({
        database: db,
        maxFileSize: 1024 * 1024,
        maxScanSize: 1024 * 1024,
      });
      const missing = `${dir}/gone.bin`;
      const report = await engine.scan([evil, clean, big, missing]);
      ok(report.available, JSON.stringify(report));
      deepStrictEqual(report.detections, [{
        file: evil,
        signature: "Iocscan.Test.Planted.UNOFFICIAL",
      }]);
      deepStrictEqual(report.skipped.map((skip) => [skip.file, skip.reason]), [
        [big, "too-large"],
        [missing, "unreadable"],
      ]);
      ok(
        report.skipped[0]!.detail.includes("Heuristics.Limits.Exceeded"),
        report.skipped[0]!.detail,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "clamavEngine() with a missing signature database is unavailable, not clean",
  ignore: !clamscan,
  async fn() {
    const { dir, clean } = await plant();
    try {
      const report = await clavOf(`${dir}/no-such.hdb`).scan([clean]);
      strictEqual(report.available, false);
      ok(!report.available && /without scanning any file/.test(report.why), JSON.stringify(report));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** clamscan's summary block, as it prints it after the files' lines. */
function summary(knownViruses: number): string[] {
  return [
    "",
    "----------- SCAN SUMMARY -----------",
    `Known viruses: ${knownViruses}`,
    "Engine version: 1.4.6",
    "Scanned files: 1",
  ];
}

Deno.test("readClamscanReport() with a database of 0 signatures is unavailable, not clean", () => {
  const report = readClamscanReport(["/a"], ["/a: OK", ...summary(0)].join("\n"), "", 0);
  deepStrictEqual(report, {
    available: false,
    why: "clamscan loaded 0 signatures: its OK says nothing",
  });
});

Deno.test("readClamscanReport() without its summary (signatures loaded unknown) is unavailable", () => {
  const report = readClamscanReport(["/a"], "/a: OK\n", "", 0);
  strictEqual(report.available, false);
});

Deno.test("readClamscanReport() reads no file line after the summary's marker", () => {
  const report = readClamscanReport(
    ["/a"],
    ["", "----------- SCAN SUMMARY -----------", "/a: OK", "Known viruses: 3"].join("\n"),
    "",
    0,
  );
  ok(report.available);
  deepStrictEqual(report.skipped.map((skip) => skip.reason), ["unreadable"]);
});

Deno.test({
  name:
    "clamavEngine() with a database folder that loads no signature (only an ignore list) is unavailable, not clean",
  ignore: !clamscan,
  async fn() {
    const { dir, clean } = await plant();
    try {
      const db = `${dir}/db`;
      await Deno.mkdir(db);
      await Deno.writeTextFile(`${db}/local.ign2`, "Some.Signature\n");
      const report = await clavOf(db).scan([clean]);
      strictEqual(report.available, false, JSON.stringify(report));
      ok(!report.available && report.why.includes("0 signatures"), report.why);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function clavOf(database: string) {
  return clamavEngine({ database });
}

Deno.test("clamavEngine() without clamscan is unavailable, saying it is not installed", async () => {
  const report = await clamavEngine({ clamscan: "iocscan-no-such-clamscan" }).scan([
    "/etc/hostname",
  ]);
  strictEqual(report.available, false);
  ok(!report.available && report.why.includes("not installed"), JSON.stringify(report));
});

Deno.test("readClamscanReport() reads each file's line: found, limits, excluded, no line; exit 2 with no line at all is unavailable", () => {
  const files = ["/a", "/b: c", "/big", "/proc/1/exe", "/gone", "/empty"];
  const stdout = [
    "/a: Eicar-Test-Signature FOUND",
    "/b: c: OK",
    "/big: Heuristics.Limits.Exceeded.MaxFileSize FOUND",
    "/proc/1/exe: Excluded (/proc)",
    "/empty: Empty file",
    ...summary(6),
  ].join("\n");
  const report = readClamscanReport(files, stdout, "WARNING: /gone: Can't access file\n", 1);
  ok(report.available);
  deepStrictEqual(report.detections, [{ file: "/a", signature: "Eicar-Test-Signature" }]);
  deepStrictEqual(report.skipped, [
    {
      file: "/big",
      reason: "too-large",
      detail: "past clamscan's limits (Heuristics.Limits.Exceeded.MaxFileSize): not scanned",
    },
    { file: "/proc/1/exe", reason: "unsupported", detail: "clamscan: Excluded (/proc)" },
    { file: "/gone", reason: "unreadable", detail: "clamscan did not scan it: Can't access file" },
  ]);
  const none = readClamscanReport(["/a"], "", "LibClamAV Error: cl_load(): No such file\n", 2);
  deepStrictEqual(none, {
    available: false,
    why:
      "clamscan exited with 2 without scanning any file: LibClamAV Error: cl_load(): No such file",
  });
});
