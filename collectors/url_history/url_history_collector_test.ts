import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import * as nodeFs from "node:fs";
import { DatabaseSync } from "node:sqlite";
import type { EvidenceFs } from "../evidence_file.ts";
import type { CollectorReporter, SkippedObject } from "../collector.ts";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { writeChromiumHistory, writeFirefoxPlaces } from "./_browser_databases.ts";
import {
  createUrlHistoryCollector,
  imageHomeSource,
  linuxHomeSource,
  parsePasswdHomes,
  readHistoryDatabase,
  readVisitedHostNames,
  type UrlHistoryCollectorOptions,
} from "./mod.ts";

const observe = () => ({ time: "2026-12-07T00:00:00.000Z", computer: "host" });
const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

async function collect(options: UrlHistoryCollectorOptions) {
  const items: ObservedItem[] = [];
  const skipped: SkippedObject[] = [];
  const warnings: string[] = [];
  const reporter: CollectorReporter = {
    skipped: (entry) => skipped.push(entry),
    warning: (entry) => warnings.push(entry.code),
    progress() {},
  };
  const collector = createUrlHistoryCollector({ observe, ...options });
  for await (const item of collector.collect({ needs: new Map(), reporter })) items.push(item);
  return { items, skipped, warnings, stats: collector.stats };
}

/** A Linux host in a folder: a passwd file and the homes it names. */
async function linuxHost(dir: string): Promise<{ passwd: string; alice: string; bob: string }> {
  const alice = join(dir, "home", "alice");
  const bob = join(dir, "home", "bob");
  const passwd = join(dir, "passwd");
  await Deno.writeTextFile(
    passwd,
    `root:x:0:0:root:${join(dir, "root")}:/bin/bash\n` +
      `alice:x:1000:1000:Alice:${alice}:/bin/bash\n# comment\nbroken line\n` +
      `bob:x:1001:1001::${bob}:/bin/sh\n`,
  );
  const chrome = join(alice, ".config", "google-chrome");
  await Deno.mkdir(join(chrome, "Default"), { recursive: true });
  await Deno.writeTextFile(join(chrome, "Last Version"), "120.0.6099.109\n");
  writeChromiumHistory(join(chrome, "Default", "History"), [
    { url: "https://news.example.org/", title: "News", time: t0, typed: true, kind: 1 },
    { url: "https://evil.example.com/payload?id=7", title: "x", time: t0 + 60_000, from: 0 },
    { url: "https://news.example.org/", title: "News", time: t0 + 120_000, kind: 8 },
  ]);
  const firefox = join(bob, ".mozilla", "firefox", "abcd1234.default-release");
  await Deno.mkdir(firefox, { recursive: true });
  await Deno.writeTextFile(
    join(firefox, "compatibility.ini"),
    "[Compatibility]\nLastVersion=121.0_20231211174248/20231211174248\n",
  );
  writeFirefoxPlaces(join(firefox, "places.sqlite"), [
    { url: "https://www.mozilla.org/", title: "Mozilla", time: t0 },
    { url: "https://c2.bad.test/gate.php", time: t0 + 5_000, kind: 2, typed: true },
  ], { inLog: 1 });
  return { passwd, alice, bob };
}

Deno.test("parsePasswdHomes: one home per folder, comments and short lines left out", () => {
  deepStrictEqual(
    parsePasswdHomes("a:x:1:1::/home/a:/bin/sh\n#c:x:2:2::/x:/y\nb:x:2:2::/home/a:/bin/sh\nbad\n"),
    [{ username: "a", path: "/home/a", layout: "linux" }],
  );
});

Deno.test("createUrlHistoryCollector: Chrome and Firefox history of every home, the log included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { passwd, alice, bob } = await linuxHost(dir);
    const { items, skipped, stats } = await collect({ homes: linuxHomeSource(passwd) });
    deepStrictEqual(skipped, []);
    deepStrictEqual(stats.databases, 2);
    const byUrl = new Map(items.map((item) => [item.fields.URL, item]));
    deepStrictEqual(byUrl.get("https://news.example.org/")?.fields, {
      URL: "https://news.example.org/",
      HostName: "news.example.org",
      PageTitle: "News",
      Username: "alice",
      Profile: "Default",
      BrowserName: "Google Chrome",
      BrowserVersion: "120.0.6099.109",
      VisitType: "RELOAD",
      VisitCount: 2,
      Typed: true,
      Hidden: false,
      FirstVisitDate: "2026-11-01T12:00:00.000Z",
      LastVisitDate: "2026-11-01T12:02:00.000Z",
    });
    const evil = byUrl.get("https://evil.example.com/payload?id=7")!;
    strictEqual(evil.fields.VisitFrom, "https://news.example.org/");
    strictEqual(evil.fields.VisitType, "LINK");
    strictEqual(evil.provenance?.source, join(alice, ".config/google-chrome/Default/History"));
    strictEqual(evil.provenance?.time, "2026-11-01T12:01:00.000Z");
    // The Firefox visit that is only in places.sqlite-wal is read.
    const c2 = byUrl.get("https://c2.bad.test/gate.php")!;
    ok(c2, "the visit kept in the write-ahead log");
    deepStrictEqual(
      [c2.fields.BrowserName, c2.fields.BrowserVersion, c2.fields.Username, c2.fields.VisitType],
      ["Firefox", "121.0", "bob", "TYPED"],
    );
    strictEqual(c2.fields.Profile, "abcd1234.default-release");
    strictEqual(c2.key, "https://c2.bad.test/gate.php");
    ok(bob);
    const hosts = await readVisitedHostNames({ homes: linuxHomeSource(passwd), observe });
    deepStrictEqual(hosts.hosts.map((host) => host.hostName), [
      "c2.bad.test",
      "evil.example.com",
      "news.example.org",
      "www.mozilla.org",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createUrlHistoryCollector: hostile databases are skipped with the reason, the history unread", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { passwd, alice } = await linuxHost(dir);
    const chrome = join(alice, ".config", "google-chrome");
    // Not SQLite at all.
    await Deno.mkdir(join(chrome, "Profile 1"));
    await Deno.writeTextFile(join(chrome, "Profile 1", "History"), "not a database".repeat(20));
    // SQLite, but `urls` is a view (a crafted schema), not Chromium's table.
    await Deno.mkdir(join(chrome, "Profile 2"));
    const { DatabaseSync } = await import("node:sqlite");
    const crafted = new DatabaseSync(join(chrome, "Profile 2", "History"));
    crafted.exec(
      "CREATE TABLE visits(id, url, visit_time, from_visit, transition);" +
        "CREATE VIEW urls AS SELECT 1 AS id, 'x' AS url, '' AS title, 0 AS visit_count, " +
        "0 AS typed_count, 0 AS last_visit_time, 0 AS hidden",
    );
    crafted.close();
    // A FIFO in the database's place: never opened for a blocking read.
    await Deno.mkdir(join(chrome, "Profile 3"));
    await new Deno.Command("mkfifo", { args: [join(chrome, "Profile 3", "History")] }).output();
    const { items, skipped } = await collect({ homes: linuxHomeSource(passwd) });
    const reasons = skipped.map((entry) => [entry.object.split("/").at(-2), entry.reason]);
    deepStrictEqual(reasons, [
      ["Profile 1", "corrupt"],
      ["Profile 2", "unsupported"],
      ["Profile 3", "special-file"],
    ]);
    ok(skipped.every((entry) => entry.unreadDocuments?.includes("UrlHistoryItem")));
    ok(skipped[1]!.detail?.includes("urls is a view"), skipped[1]!.detail);
    strictEqual(items.length, 4, "the good databases are still read");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readHistoryDatabase: too large, and rows past the cap, are reported", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "History");
    writeChromiumHistory(
      file,
      Array.from({ length: 5 }, (_, i) => ({ url: `https://e${i}.test/`, time: t0 + i })),
    );
    const big = readHistoryDatabase(file, "chromium", { maxBytes: 1024 });
    ok(!big.ok && big.reason === "too-large", JSON.stringify(big));
    const capped = readHistoryDatabase(file, "chromium", { maxRows: 3 });
    ok(capped.ok);
    deepStrictEqual([capped.visits.length, capped.overCap], [3, 2]);
    const firefoxOnChrome = readHistoryDatabase(file, "firefox");
    ok(!firefoxOnChrome.ok && firefoxOnChrome.reason === "unsupported");
    const { skipped, warnings } = await collect({
      homes: {
        name: "one",
        homes: () =>
          Promise.resolve({ homes: [{ username: "u", path: dir, layout: "linux" }], unread: [] }),
        shown: (path) => path,
      },
    });
    deepStrictEqual(skipped, [], "no browser folder in this home: nothing to read");
    deepStrictEqual(warnings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createUrlHistoryCollector: below a mounted image, Windows paths, and WebCache unread", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const image = join(dir, "image");
    const profile = join(image, "Users", "carol");
    const edge = join(profile, "AppData", "Local", "Microsoft", "Edge", "User Data", "Default");
    await Deno.mkdir(edge, { recursive: true });
    writeChromiumHistory(join(edge, "History"), [{ url: "http://10.1.2.3:8080/a", time: t0 }]);
    const webCache = join(profile, "AppData", "Local", "Microsoft", "Windows", "WebCache");
    await Deno.mkdir(webCache, { recursive: true });
    await Deno.writeTextFile(join(webCache, "WebCacheV01.dat"), "ESE");
    // A profile whose database leads out of the image is refused.
    const firefox = join(profile, "AppData", "Roaming", "Mozilla", "Firefox", "Profiles", "x");
    await Deno.mkdir(firefox, { recursive: true });
    const outside = join(dir, "outside.sqlite");
    writeFirefoxPlaces(outside, [{ url: "https://analyst.example/", time: t0 }]);
    await Deno.symlink(outside, join(firefox, "places.sqlite"));
    const { items, skipped } = await collect({
      homes: imageHomeSource([{ path: image, drive: "C:" }], "linux"),
    });
    deepStrictEqual(items.map((item) => [item.fields.URL, item.fields.HostName]), [
      ["http://10.1.2.3:8080/a", "10.1.2.3"],
    ]);
    strictEqual(items[0]!.fields.BrowserName, "Microsoft Edge");
    strictEqual(
      items[0]!.unevaluated?.BrowserVersion,
      "the profile does not tell the browser's version",
    );
    deepStrictEqual(skipped.map((entry) => [entry.object, entry.reason]), [
      [
        "C:\\Users\\carol\\AppData\\Roaming\\Mozilla\\Firefox\\Profiles\\x\\places.sqlite",
        "symlink",
      ],
      [
        "C:\\Users\\carol\\AppData\\Local\\Microsoft\\Windows\\WebCache\\WebCacheV01.dat",
        "unsupported",
      ],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readHistoryDatabase: a URL or title stored as a BLOB or a number is read as the browser reads it (its text), not dropped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "History");
    writeChromiumHistory(file, [{ url: "https://plain.test/", time: t0 }]);
    const db = new DatabaseSync(file);
    try {
      // sqlite3_column_text, which Chromium reads urls.url with, gives a BLOB's bytes as text.
      db.prepare(
        "INSERT INTO urls(id, url, title, visit_count, typed_count, last_visit_time, hidden) " +
          "VALUES (2, ?, ?, 1, 0, 0, 0), (3, 12345, 678, 1, 0, 0, 0)",
      ).run(
        new TextEncoder().encode("https://evil.test/c2"),
        new TextEncoder().encode("blob title"),
      );
    } finally {
      db.close();
    }
    const read = readHistoryDatabase(file, "chromium");
    ok(read.ok, JSON.stringify(read));
    deepStrictEqual(
      read.visits.map((visit) => [visit.url, visit.title]),
      [
        ["https://plain.test/", undefined],
        ["https://evil.test/c2", "blob title"],
        ["12345", "678"],
      ],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readHistoryDatabase: a virtual table in a history table's place (an FTS5 table over a recursive view: unbounded work from a few KiB) is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "History");
    const db = new DatabaseSync(file);
    try {
      db.exec(
        "CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT, title TEXT, visit_count INTEGER, " +
          "typed_count INTEGER, last_visit_time INTEGER, hidden INTEGER)",
      );
      db.exec("INSERT INTO urls VALUES (1, 'https://a.test/', '', 1, 0, 0, 0)");
      // The real attack counts to 10^12; 10 rows are enough to show the table is read.
      db.exec(
        "CREATE VIEW endless AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c " +
          "WHERE n < 10) SELECT n AS rowid, n AS id, 1 AS url, 0 AS visit_time, 0 AS from_visit, " +
          "0 AS transition FROM c",
      );
      db.exec(
        "CREATE VIRTUAL TABLE visits USING fts5(id, url, visit_time, from_visit, transition, " +
          "content='endless', content_rowid='rowid')",
      );
    } finally {
      db.close();
    }
    const read = readHistoryDatabase(file, "chromium");
    ok(!read.ok && read.reason === "unsupported", JSON.stringify(read));
    ok(!read.ok && read.detail.includes("virtual"), JSON.stringify(read));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The browser's clock: every write is a minute later than the last. */
let browserTick = 0;

/** node:fs, but each read of the database is followed by a browser's write (a later mtime). */
function writingBrowser(file: string, writes: number): EvidenceFs {
  let left = writes;
  return {
    ...(nodeFs as unknown as EvidenceFs),
    readSync(fd, buffer, offset, length, position) {
      const read = nodeFs.readSync(fd, buffer, offset, length, position);
      if (left > 0) {
        left--;
        const when = new Date(Date.UTC(2026, 0, 1) + ++browserTick * 60_000);
        Deno.utimeSync(file, when, when);
      }
      return read;
    },
  };
}

Deno.test("readHistoryDatabase: a database written while it is read is read again, and skipped as changed-while-read when it never holds still", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "History");
    writeChromiumHistory(file, [{ url: "https://a.test/", time: t0 }]);
    const once = readHistoryDatabase(file, "chromium", { fs: writingBrowser(file, 1) });
    ok(once.ok && once.visits.length === 1, JSON.stringify(once));
    const always = readHistoryDatabase(file, "chromium", { fs: writingBrowser(file, 1_000) });
    ok(!always.ok && always.reason === "changed-while-read", JSON.stringify(always));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parsePasswdHomes: a home of a line glibc reads as an account (no shell field) is a home", () => {
  deepStrictEqual(
    parsePasswdHomes("u:x:1000:1000::/home/u\nv:x:1001:1001::/home/v:/bin/sh:x\n"),
    [
      { username: "u", path: "/home/u", layout: "linux" },
      { username: "v", path: "/home/v", layout: "linux" },
    ],
  );
});
