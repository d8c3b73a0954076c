/**
 * The disk collector end to end through the real CLI: `scan --disk-image`
 * detects an IOC on the MBR's SHA-256 of an image built by code and a near
 * miss does not (clean, complete), under the narrow offline permission set;
 * `collect disk --json` prints the image's DiskItem; the live disks are read
 * only where this machine lets the CLI read them (skipped loudly otherwise),
 * and as `nobody` they are `unreadable` skips that make a scan on DiskItem
 * incomplete (exit 3), never clean.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { sampleGptImage, sampleMbrImage } from "../formats/partition_table/_image_builder.ts";
import { type LooseEvent, runCli, runProgram } from "./_cli.ts";
import { oneItemIoc } from "./_one_item_ioc.ts";
import { nobodyUnavailable, prepareNobodyRun, skipNobodyRun } from "../tests/_nobody_run.ts";

const linux = Deno.build.os === "linux";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const mbrSearch = "DiskItem/BootRecordList/BootRecord/Sha256sum";

/** A hex digest one digit away from `hex`. */
const nearMiss = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

/** The narrow offline set with write access to a store's four files (docs/architecture.md). */
const offlineFlags = (db: string) => [
  "-P=engine-offline",
  `--allow-write=${db},${db}-wal,${db}-shm,${db}-journal`,
];

Deno.test("iocscan scan --disk-image: an IOC on the MBR's SHA-256 fires, a near miss is clean", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-e2e-" });
  try {
    const image = sampleMbrImage();
    const imagePath = join(dir, "case.dd");
    await Deno.writeFile(imagePath, image);
    const digest = sha256(image.subarray(0, 512));
    const hit = join(dir, "hit.ioc");
    await Deno.writeTextFile(
      hit,
      oneItemIoc("mbr-hit", "DiskItem", mbrSearch, "is", "string", digest),
    );
    const miss = join(dir, "miss.ioc");
    await Deno.writeTextFile(
      miss,
      oneItemIoc("mbr-miss", "DiskItem", mbrSearch, "is", "string", nearMiss(digest)),
    );
    const db = join(dir, "results.db");

    const detected = await runCli<LooseEvent>(
      ["scan", "--disk-image", imagePath, "--ioc", hit, "--db", db, "--json"],
      { denoFlags: offlineFlags(db) },
    );
    strictEqual(detected.code, 1, detected.stderr);
    const detection = detected.events.find((event) => event.type === "detection");
    ok(detection, JSON.stringify(detected.events.map((event) => event.type)));
    strictEqual(detection.ioc.id, "mbr-hit");
    ok(JSON.stringify(detection).includes(imagePath), JSON.stringify(detection));

    const clean = await runCli<LooseEvent>(
      ["scan", "--disk-image", imagePath, "--ioc", miss, "--db", db, "--json"],
      { denoFlags: offlineFlags(db) },
    );
    strictEqual(clean.code, 0, clean.stderr);
    const summary = clean.events.find((event) => event.type === "summary");
    strictEqual(summary?.complete, true, JSON.stringify(summary));
    strictEqual(clean.events.filter((event) => event.type === "detection").length, 0);

    // The image alone makes the scan offline: no live disk, no live file is read.
    ok(!clean.events.some((event) => event.type === "skipped"), JSON.stringify(clean.events));

    // An image that cannot be read leaves DiskItem unread: incomplete (3), not clean.
    const unreadable = await runCli<LooseEvent>(
      ["scan", "--disk-image", join(dir, "no-such.img"), "--ioc", miss, "--db", db, "--json"],
      { denoFlags: offlineFlags(db) },
    );
    strictEqual(unreadable.code, 3, unreadable.stderr);
    const skip = unreadable.events.find((event) => event.type === "skipped");
    deepStrictEqual([skip?.object, skip?.reason], [join(dir, "no-such.img"), "not-found"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan --task with diskImages: a GPT header problem code is matched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-e2e-" });
  try {
    const { bytes, layout } = sampleGptImage();
    bytes[layout.entries + 60]! ^= 0x20; // one byte of an entry's name: the entry array's CRC fails
    await Deno.writeFile(join(dir, "disk.img"), bytes);
    await Deno.writeTextFile(
      join(dir, "crc.ioc"),
      oneItemIoc(
        "gpt-crc",
        "DiskItem",
        "DiskItem/BootRecordList/BootRecord/Problem",
        "is",
        "string",
        "gpt-entries-crc",
      ),
    );
    // Relative paths in a task file mean the folder iocscan runs in.
    await Deno.writeTextFile(
      join(dir, "task.json"),
      JSON.stringify({ version: 1, iocPaths: ["crc.ioc"], diskImages: ["disk.img"] }),
    );
    const db = join(dir, "results.db");
    const run = await runCli<LooseEvent>(
      ["scan", "--task", "task.json", "--db", db, "--json"],
      { cwd: dir, denoFlags: offlineFlags(db) },
    );
    strictEqual(run.code, 1, run.stderr);
    strictEqual(run.events.find((event) => event.type === "detection")?.ioc.id, "gpt-crc");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan collect disk --disk-image --json: the image's DiskItem, then the summary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-disk-e2e-" });
  try {
    const image = sampleMbrImage();
    const imagePath = join(dir, "case.raw");
    await Deno.writeFile(imagePath, image);
    const run = await runCli<LooseEvent>(["collect", "disk", "--disk-image", imagePath, "--json"], {
      denoFlags: ["-P=engine-offline"],
    });
    strictEqual(run.code, 0, run.stderr);
    const items = run.events.filter((event) => event.type === "item");
    strictEqual(items.length, 1);
    strictEqual(items[0].fields.DiskName, "case.raw");
    strictEqual(items[0].fields.PartitionList.Partition.length, 7);
    strictEqual(
      items[0].fields.BootRecordList.BootRecord[0].Sha256sum,
      sha256(image.subarray(0, 512)),
    );
    deepStrictEqual(run.events.at(-1)?.items, { DiskItem: 1 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "iocscan collect disk (live): every fixed disk read, or unreadable skips naming DiskItem",
  ignore: !linux,
  async fn() {
    const run = await runCli<LooseEvent>(["collect", "disk", "--json"]);
    const items = run.events.filter((event) => event.type === "item");
    const skips = run.events.filter((event) => event.type === "skipped");
    if (items.length === 0) {
      console.error(
        `\n*** SKIPPING the live disk read: no fixed disk is readable here (${
          skips.map((skip) => `${skip.object}: ${skip.reason} ${skip.detail ?? ""}`).join("; ") ||
          "none listed"
        }) ***\n`,
      );
      // collect read nothing at all: 2 (cli/exit_rule.ts); a scan would be incomplete (3).
      if (skips.length > 0) strictEqual(run.code, 2, run.stderr);
      for (const skip of skips) deepStrictEqual(skip.unreadDocuments, ["DiskItem"]);
      return;
    }
    for (const item of items) {
      ok(item.fields.DevicePath.startsWith("/dev/"), item.fields.DevicePath);
      ok(item.fields.DiskSize > 0);
      strictEqual(item.fields.BootRecordList.BootRecord[0].Kind, "mbr");
      strictEqual(item.fields.BootRecordList.BootRecord[0].Size, 512);
    }
    strictEqual(run.code, skips.length > 0 ? 3 : 0, run.stderr);
  },
});

Deno.test({
  name: "as nobody: the live disks are unreadable skips and a scan on DiskItem is incomplete (3)",
  ignore: !linux,
  async fn() {
    const unavailable = await nobodyUnavailable();
    if (unavailable !== undefined) {
      skipNobodyRun(unavailable);
      return;
    }
    const { folder, deno, bundle, home } = await prepareNobodyRun(
      "iocscan-disk-nobody-",
      join(import.meta.dirname!, "..", "cli", "main.ts"),
    );
    try {
      const iocFile = join(folder, "disk.ioc");
      await Deno.writeTextFile(
        iocFile,
        oneItemIoc("no-disk", "DiskItem", "DiskItem/DiskName", "is", "string", "no-such-disk"),
      );
      await Deno.chmod(iocFile, 0o644);
      const asNobody = (args: string[]) =>
        runProgram<LooseEvent>(
          "setpriv",
          [
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            deno,
            "run",
            "-q",
            "-A",
            bundle,
            ...args,
          ],
          { cwd: home, env: { DENO_DIR: join(home, "deno-dir"), HOME: home }, deadlineMs: 120_000 },
        );
      const collected = await asNobody(["collect", "disk", "--json"]);
      if (collected.events.length === 0) {
        console.error(
          `\n*** SKIPPING: deno does not run as nobody here: ${
            collected.stderr.slice(0, 300)
          } ***\n`,
        );
        return;
      }
      const skips = collected.events.filter((event) => event.type === "skipped");
      if (skips.length === 0) {
        console.error("\n*** SKIPPING: this machine lists no fixed disk in /sys/block ***\n");
        return;
      }
      // collect read no disk at all: 2 (cli/exit_rule.ts); the scan below is incomplete: 3.
      strictEqual(collected.code, 2, collected.stderr);
      strictEqual(collected.events.filter((event) => event.type === "item").length, 0);
      for (const skip of skips) {
        strictEqual(skip.reason, "unreadable", JSON.stringify(skip));
        ok(String(skip.object).startsWith("/dev/"), JSON.stringify(skip));
        deepStrictEqual(skip.unreadDocuments, ["DiskItem"]);
      }
      const scanned = await asNobody([
        "scan",
        "--ioc",
        iocFile,
        "--db",
        join(home, "r.db"),
        "--json",
      ]);
      strictEqual(scanned.code, 3, `a scan blind to the disks is incomplete: ${scanned.stderr}`);
      strictEqual(scanned.events.find((event) => event.type === "summary")?.complete, false);
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  },
});
