/**
 * The url-history collector end to end through the real CLI: a scan of a
 * mounted image whose user has a Chrome and a Firefox history (built by
 * code with the browsers' schemas) fires an IOC on `UrlHistoryItem/URL` and
 * not its near miss; `collect url-history --root` prints the entries in the
 * image's terms; a legacy WebCache makes a quiet scan incomplete, never
 * clean; and the live collector reads this host's homes.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { cliArgs, type LooseEvent, runCli, runProgram } from "./_cli.ts";
import {
  writeChromiumHistory,
  writeFirefoxPlaces,
} from "../collectors/url_history/_browser_databases.ts";

const t0 = Date.UTC(2026, 10, 20, 8, 30);

function urlIoc(id: string, condition: string, value: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="${id}" last-modified="2026-12-01T00:00:00" published-date="2026-12-01T00:00:00">
  <metadata><short_description>${id}</short_description><authored_date>2026-12-01T00:00:00</authored_date></metadata>
  <criteria><Indicator operator="OR" id="${id}-top">
    <IndicatorItem id="${id}-1" condition="${condition}" negate="false" preserve-case="false">
      <Context document="UrlHistoryItem" search="UrlHistoryItem/URL" type="mir"/>
      <Content type="string">${value}</Content>
    </IndicatorItem>
  </Indicator></criteria>
</OpenIOC>`;
}

/** An image with one user's Edge and Firefox history. */
async function image(dir: string): Promise<string> {
  const root = join(dir, "image");
  const user = join(root, "Users", "dave");
  const edge = join(user, "AppData", "Local", "Microsoft", "Edge", "User Data", "Default");
  await Deno.mkdir(edge, { recursive: true });
  writeChromiumHistory(join(edge, "History"), [
    { url: "https://intranet.corp.test/", title: "Intranet", time: t0 },
    { url: "https://dl.badcdn.test/stage2/loader.bin", time: t0 + 1000, from: 0 },
  ]);
  const firefox = join(user, "AppData", "Roaming", "Mozilla", "Firefox", "Profiles", "q.default");
  await Deno.mkdir(firefox, { recursive: true });
  writeFirefoxPlaces(join(firefox, "places.sqlite"), [
    { url: "https://paste.example/raw/AbC", time: t0 + 2000, kind: 2, typed: true },
  ], { inLog: 1 });
  return root;
}

async function scan(dir: string, root: string) {
  const output = await runCli<LooseEvent>([
    "scan",
    "--ioc",
    join(dir, "iocs"),
    "--root",
    root,
    "--db",
    join(dir, "results.db"),
    "--json",
  ]);
  const detections = output.events.filter((event) => event.type === "detection");
  return {
    code: output.code,
    ids: detections.map((event) => event.ioc.id as string).sort(),
    objects: detections.flatMap((event) =>
      (event.evidence as { object: string }[]).map((evidence) => evidence.object)
    ),
    stderr: output.stderr,
    summary: output.events.find((event) => event.type === "summary"),
  };
}

Deno.test("iocscan scan --root: a UrlHistoryItem/URL IOC hits, its near miss does not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-urlhistory-" });
  try {
    const root = await image(dir);
    await Deno.mkdir(join(dir, "iocs"));
    await Deno.writeTextFile(
      join(dir, "iocs", "hit.ioc"),
      urlIoc("stage2-url", "contains", "badcdn.test/stage2/"),
    );
    await Deno.writeTextFile(
      join(dir, "iocs", "miss.ioc"),
      urlIoc("stage3-url", "contains", "badcdn.test/stage3/"),
    );
    // Firefox's newest visit sits in places.sqlite-wal only.
    await Deno.writeTextFile(
      join(dir, "iocs", "paste.ioc"),
      urlIoc("paste-raw", "is", "https://paste.example/raw/AbC"),
    );
    const result = await scan(dir, root);
    deepStrictEqual(result.ids, ["paste-raw", "stage2-url"], result.stderr);
    strictEqual(result.code, 1, result.stderr);
    ok(result.objects.includes("https://dl.badcdn.test/stage2/loader.bin"));

    // Offline, under the narrow permission set (no write): the history is read in memory.
    const collected = await runCli<LooseEvent>(
      ["collect", "url-history", "--root", root, "--json"],
      { denoFlags: ["-P=engine-offline"] },
    );
    strictEqual(collected.code, 0, collected.stderr);
    const items = collected.events.filter((event) => event.type === "item");
    deepStrictEqual(
      items.map((item) => [item.fields.BrowserName, item.fields.Username, item.fields.URL]).sort(),
      [
        ["Firefox", "dave", "https://paste.example/raw/AbC"],
        ["Microsoft Edge", "dave", "https://dl.badcdn.test/stage2/loader.bin"],
        ["Microsoft Edge", "dave", "https://intranet.corp.test/"],
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("iocscan scan --root: with a legacy WebCache unread, a quiet URL IOC is undecided (exit 3)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-urlhistory-" });
  try {
    const root = await image(dir);
    const webCache = join(
      root,
      "Users",
      "dave",
      "AppData",
      "Local",
      "Microsoft",
      "Windows",
      "WebCache",
    );
    await Deno.mkdir(webCache, { recursive: true });
    await Deno.writeFile(join(webCache, "WebCacheV01.dat"), new Uint8Array(4096));
    await Deno.mkdir(join(dir, "iocs"));
    await Deno.writeTextFile(
      join(dir, "iocs", "miss.ioc"),
      urlIoc("stage3-url", "contains", "badcdn.test/stage3/"),
    );
    const result = await scan(dir, root);
    strictEqual(result.code, 3, JSON.stringify(result.summary));
    deepStrictEqual(result.ids, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Whether this machine lets a test make a user and mount namespace (`unshare -rm`). */
async function canUnshare(): Promise<boolean> {
  try {
    const probe = await new Deno.Command("unshare", { args: ["-rm", "true"], stderr: "null" })
      .output();
    return probe.success;
  } catch {
    return false;
  }
}

const unshareAllowed = await canUnshare();
if (!unshareAllowed) {
  console.warn("SKIPPED url-history live test: unshare -rm is not permitted here");
}

Deno.test({
  name: "iocscan collect url-history: live, every home of /etc/passwd (a test user's Chromium)",
  ignore: !unshareAllowed,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "iocscan-urlhistory-live-" });
    try {
      const home = join(dir, "home", "tester");
      const profile = join(home, ".config", "chromium", "Profile 1");
      await Deno.mkdir(profile, { recursive: true });
      writeChromiumHistory(join(profile, "History"), [
        { url: "https://live.example/tester", title: "T", time: t0 },
      ]);
      const passwd = join(dir, "passwd");
      await Deno.writeTextFile(passwd, `tester:x:4242:4242:Test user:${home}:/bin/sh\n`);
      // The real /etc/passwd is left alone: a private mount namespace shows the test's in its place.
      const output = await runProgram<LooseEvent>(
        "unshare",
        [
          "-rm",
          "sh",
          "-c",
          'mount --bind "$0" /etc/passwd && exec "$@"',
          passwd,
          Deno.execPath(),
          ...cliArgs(["collect", "url-history", "--json"]),
        ].map(String),
        {},
      );
      strictEqual(output.code, 0, output.stderr);
      const items = output.events.filter((event) => event.type === "item");
      deepStrictEqual(
        items.map((item) => [item.fields.BrowserName, item.fields.Username, item.fields.Profile]),
        [["Chromium", "tester", "Profile 1"]],
      );
      strictEqual(items[0].fields.URL, "https://live.example/tester");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
