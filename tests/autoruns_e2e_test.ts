/**
 * The autoruns view end to end through the CLI: a FileItem Md5sum IOC hits an
 * autostart image that the file scan leaves out (`--exclude`), with the
 * evidence naming the autostart place, and a near miss does not; an
 * AutorunItem IOC hits, and its near miss is undecided (exit 3), never clean,
 * because offline WMI subscriptions and the services and tasks places are not
 * read; `collect autoruns --json` lists the live Linux host's entries.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ioc10, item10 } from "../openioc/_ioc_fixtures.ts";
import { buildAutorunVolume, updaterBytes } from "../collectors/autoruns/_autorun_fixtures.ts";
import { type LooseEvent, runCli } from "./_cli.ts";
import { buildSystemHive } from "../collectors/service/_service_fixtures.ts";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

async function scan(root: string, ioc: string, extra: readonly string[]) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "x.ioc"), ioc);
    const result = await runCli<LooseEvent>([
      "scan",
      "--ioc",
      join(dir, "x.ioc"),
      "--root",
      root,
      ...extra,
      "--db",
      join(dir, "r.db"),
      "--json",
    ]);
    return {
      code: result.code,
      stderr: result.stderr,
      detections: result.events.filter((event) => event.type === "detection"),
      summary: result.events.find((event) => event.type === "summary"),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const md5Ioc = (digest: string) =>
  ioc10(
    `<Indicator operator="OR" id="top">${
      item10("i1", "is", "FileItem/Md5sum", digest, { contentType: "md5" })
    }</Indicator>`,
    { id: "autostart-md5" },
  );

Deno.test("iocscan scan --types file,autoruns: a FileItem IOC hits an autostart image outside the file scan, naming the place", async () => {
  const root = await buildAutorunVolume();
  try {
    const excluded = ["--types", "file,autoruns", "--exclude", "**/evil/**"];
    const hit = await scan(root, md5Ioc(md5(updaterBytes)), excluded);
    deepStrictEqual(hit.code, 1, hit.stderr);
    const evidence = hit.detections[0]!.evidence as LooseEvent[];
    deepStrictEqual(
      evidence.map((e) => [e.document, e.object, e.autostart]),
      [
        [
          "FileItem",
          "C:\\ProgramData\\evil\\upd.exe",
          "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run :: Updater",
        ],
        [
          "FileItem",
          "C:\\ProgramData\\evil\\upd.exe",
          "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon :: Userinit",
        ],
      ],
    );
    ok(String(evidence[0]!.source).startsWith(root));
    // Without the autoruns view, the excluded image is not seen: the same IOC does not fire.
    const fileOnly = await scan(root, md5Ioc(md5(updaterBytes)), [
      "--types",
      "file",
      "--exclude",
      "**/evil/**",
    ]);
    deepStrictEqual(fileOnly.detections, [], fileOnly.stderr);
    // The near miss: one byte off.
    const nearMiss = await scan(
      root,
      md5Ioc(md5(new TextEncoder().encode("MZ autostart image of the tesX"))),
      excluded,
    );
    deepStrictEqual(nearMiss.detections, []);
    deepStrictEqual(nearMiss.code, 0, JSON.stringify(nearMiss.summary));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("iocscan scan: an AutorunItem IOC hits; its near miss is undecided while places are not read", async () => {
  const root = await buildAutorunVolume();
  try {
    const autorunIoc = (image: string) =>
      ioc10(
        `<Indicator operator="AND" id="top">` +
          item10("c", "is", "AutorunItem/Category", "run-key") +
          item10("p", "contains", "AutorunItem/ImagePath", image) +
          item10("e", "is", "AutorunItem/Enabled", "false", { contentType: "bool" }) +
          `</Indicator>`,
        { id: "autostart-entry" },
      );
    // Alice's Sync entry, disabled by StartupApproved.
    const hit = await scan(root, autorunIoc("\\sync\\sync.exe"), []);
    deepStrictEqual(hit.code, 1, hit.stderr);
    deepStrictEqual(hit.summary?.collectors, ["autoruns"]);
    const evidence = hit.detections[0]!.evidence as LooseEvent[];
    deepStrictEqual(evidence.map((e) => [e.document, e.object]), [[
      "AutorunItem",
      "HKEY_USERS\\S-1-5-21-111-222-333-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run :: Sync",
    ]]);
    // The enabled Updater is a near miss: not clean, since WMI and services were not read.
    const nearMiss = await scan(root, autorunIoc("\\evil\\upd.exe"), []);
    deepStrictEqual(nearMiss.detections, []);
    deepStrictEqual(nearMiss.code, 3, nearMiss.stderr);
    ok(
      JSON.stringify(nearMiss.summary?.incomplete).includes("documents not read"),
      JSON.stringify(nearMiss.summary),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "iocscan collect autoruns --json: the live Linux host's autostart entries, hashed",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const result = await runCli<LooseEvent>(["collect", "autoruns", "--json"]);
    const items = result.events.filter((event) => event.type === "item");
    ok(items.length > 0, result.stderr);
    ok(items.every((item) => item.document === "AutorunItem"));
    const profile = items.find((item) => item.fields.Location === "/etc/profile");
    let bytes: Uint8Array | undefined;
    try {
      bytes = await Deno.readFile("/etc/profile");
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined) {
      console.error("*** this host has no /etc/profile: its entry is not checked");
    } else {
      ok(profile, "no entry for /etc/profile");
      deepStrictEqual(profile.fields.Category, "shell-profile");
      deepStrictEqual(profile.fields.Md5sum, md5(bytes));
    }
    // Cron, anacron, timers and at jobs come from the task collector's sources: read, not skipped.
    ok(!result.events.some((event) => event.type === "skipped" && event.object === "cron"));
    deepStrictEqual(result.code, 0, result.stderr);
  },
});

Deno.test("iocscan collect autoruns --root: a crontab's job is an autostart entry, through the task collector", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-autoruns-cron-" });
  try {
    await Deno.mkdir(join(root, "etc"), { recursive: true });
    await Deno.mkdir(join(root, "opt"), { recursive: true });
    await Deno.writeTextFile(join(root, "opt", "beacon"), "a beacon\n");
    await Deno.writeTextFile(
      join(root, "etc", "crontab"),
      "SHELL=/bin/sh\n*/5 * * * * root /opt/beacon --quiet\n",
    );
    const result = await runCli<LooseEvent>(["collect", "autoruns", "--root", root, "--json"]);
    const jobs = result.events.filter((event) =>
      event.type === "item" && event.fields.ImagePath === "/opt/beacon"
    );
    deepStrictEqual(jobs.map((job) => [job.fields.Arguments, job.fields.Location]), [[
      "--quiet",
      jobs[0]?.fields.Location,
    ]]);
    ok(String(jobs[0]?.fields.Location).includes("crontab"), JSON.stringify(jobs[0]?.fields));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("iocscan collect autoruns --root: services, their ServiceDll and drivers come from the service collector's SYSTEM hive", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-autoruns-services-" });
  try {
    const config = join(root, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    await Deno.writeFile(join(config, "SYSTEM"), buildSystemHive());
    const result = await runCli<LooseEvent>(["collect", "autoruns", "--root", root, "--json"]);
    const entries = result.events.filter((event) => event.type === "item");
    const of = (category: string) =>
      entries.filter((item) => item.fields.Category === category)
        .map((item) => String(item.fields.ImagePath));
    ok(of("service").some((image) => image.endsWith("\\evil.exe")), JSON.stringify(of("service")));
    ok(of("service").some((image) => /netsvc\.dll$/i.test(image)), JSON.stringify(of("service")));
    ok(of("driver").some((image) => /rootkit\.sys$/i.test(image)), JSON.stringify(of("driver")));
    // Services and drivers are read: no skip of their places.
    ok(
      !result.events.some((event) =>
        event.type === "skipped" && (event.object === "service" || event.object === "driver")
      ),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
