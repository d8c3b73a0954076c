/**
 * End-to-end tests of the FileItem collector over generated trees that hold
 * every trap the collector must survive: deep and long paths, unicode and
 * non-UTF-8 names, link loops, a FIFO, a socket, an unreadable file, the size
 * cap, excludes, depth limits and PE files; and of its lazy fields together
 * with the matching engine.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import type { CollectorReporter, SkippedObject } from "../collectors/collector.ts";
import {
  createFileCollector,
  type FileCollectorOptions,
  type FileOpener,
  nodeFileOpener,
} from "../collectors/file/mod.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { compilePlan } from "../engine/mod.ts";
import { parseIoc } from "../openioc/mod.ts";
import { observeCollected } from "../scan/observe_collected.ts";
import { buildPe } from "../formats/pe/_testing/pe_builder.ts";
import * as fs from "node:fs";
import { relative as posixRelative } from "node:path";

const linux = Deno.build.os === "linux";
const allFields = [
  "FullPath",
  "FilePath",
  "FileName",
  "FileExtension",
  "SizeInBytes",
  "Created",
  "Modified",
  "Accessed",
  "Changed",
  "Username",
  "Md5sum",
  "Sha1sum",
  "Sha256sum",
  "PEInfo",
];

interface Run {
  items: ObservedItem[];
  skipped: SkippedObject[];
  warnings: string[];
}

async function collect(
  options: FileCollectorOptions,
  fields: readonly string[],
  load: readonly string[] = [],
): Promise<Run & { stats: ReturnType<typeof createFileCollector>["stats"] }> {
  const run: Run = { items: [], skipped: [], warnings: [] };
  const reporter: CollectorReporter = {
    skipped: (entry) => run.skipped.push(entry),
    warning: (entry) => run.warnings.push(`${entry.code}: ${entry.file}: ${entry.message}`),
    progress() {},
  };
  const collector = createFileCollector(options);
  const needs = new Map([["FileItem", new Set(fields)]]);
  for await (const item of collector.collect({ needs, reporter })) {
    if (load.length > 0 && item.lazy) Object.assign(item.fields, await item.lazy.load(load));
    run.items.push(item);
  }
  return { ...run, stats: collector.stats };
}

async function sh(command: string, ...args: string[]): Promise<void> {
  const result = await new Deno.Command(command, { args, stderr: "piped" }).output();
  ok(
    result.success,
    `${command} ${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`,
  );
}

const hex = (algorithm: string, bytes: Uint8Array) =>
  createHash(algorithm).update(bytes).digest("hex");

/** Builds the trap tree; returns its root and a few paths the tests name. */
async function buildTrapTree() {
  const root = await Deno.makeTempDir({ prefix: "file_collector_" });
  const text = new TextEncoder().encode("hello\n");
  await Deno.mkdir(`${root}/plain`);
  await Deno.writeFile(`${root}/plain/hello.txt`, text);
  await Deno.writeTextFile(`${root}/plain/Makefile`, "all:\n");
  await Deno.writeTextFile(`${root}/plain/.hidden`, "h");
  await Deno.mkdir(`${root}/unicode/文件夹`, { recursive: true });
  await Deno.writeTextFile(`${root}/unicode/naïve résumé.TXT`, "u");
  await Deno.writeTextFile(`${root}/unicode/文件夹/报告.exe`, "cjk");
  // A literal U+FFFD in a valid name must still be scanned.
  await Deno.writeTextFile(`${root}/unicode/replacement\uFFFD.txt`, "r");
  // Non-UTF-8 names: a file and a folder (with a file inside that cannot be reached).
  await sh(
    "python3",
    "-c",
    "import os,sys; r=sys.argv[1].encode(); open(r+b'/unicode/bad\\xff\\xfe.bin','wb').write(b'b'); " +
      "os.mkdir(r+b'/unicode/dir\\xc3\\x28'); open(r+b'/unicode/dir\\xc3\\x28/inner.txt','wb').write(b'i')",
    root,
  );
  // Link traps: a `..` loop, an absolute self-link, a link to a file, a dangling link.
  await Deno.mkdir(`${root}/links`);
  await Deno.symlink("..", `${root}/links/up`);
  await Deno.symlink(`${root}/links/self`, `${root}/links/self`);
  await Deno.symlink(`${root}/plain/hello.txt`, `${root}/links/to-hello`);
  await Deno.symlink(`${root}/nowhere`, `${root}/links/dangling`);
  // Special files.
  await Deno.mkdir(`${root}/special`);
  await sh("mkfifo", `${root}/special/fifo`);
  // Deno removes its own socket files on close: bind one from python, which leaves it.
  await sh(
    "python3",
    "-c",
    "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
    `${root}/special/socket`,
  );
  // Size cap and excludes.
  await Deno.mkdir(`${root}/sizes`);
  await Deno.writeFile(`${root}/sizes/big.bin`, new Uint8Array(5000).fill(7));
  await Deno.writeFile(`${root}/sizes/small.bin`, new Uint8Array(100).fill(7));
  await Deno.mkdir(`${root}/excluded-dir/inner`, { recursive: true });
  await Deno.writeTextFile(`${root}/excluded-dir/inner/x.txt`, "x");
  await Deno.writeTextFile(`${root}/plain/app.log`, "log");
  // Depth: deep/1/2/3/leaf.txt.
  await Deno.mkdir(`${root}/deep/1/2/3`, { recursive: true });
  await Deno.writeTextFile(`${root}/deep/top.txt`, "0");
  await Deno.writeTextFile(`${root}/deep/1/2/3/leaf.txt`, "3");
  // A long path that Linux still opens (~3,661 characters), and one over PATH_MAX.
  const segment = "L".repeat(240);
  let long = `${root}/long`;
  while (long.length + 241 + 12 < 3661) long += `/${segment}`;
  await Deno.mkdir(long, { recursive: true });
  const longFile = `${long}/${"f".repeat(3661 - long.length - 1)}`;
  await Deno.writeTextFile(longFile, "long");
  await sh(
    "python3",
    "-c",
    "import os,sys; os.chdir(sys.argv[1]); os.mkdir('toolong'); os.chdir('toolong')\n" +
      "for i in range(18):\n os.mkdir('T'*250); os.chdir('T'*250)\nopen('unreachable.txt','w').write('u')",
    root,
  );
  // A PE file (and a decoy that only starts with MZ).
  await Deno.mkdir(`${root}/pe`);
  const pe = buildPe({
    bits: 64,
    timeDateStamp: 0x5f5e1000,
    imports: [{ name: "KERNEL32.dll", functions: ["CreateFileW", "WriteFile"] }],
    exports: { dllName: "planted.dll", names: ["Run"] },
    version: { "040904B0": { CompanyName: "Planted Inc", OriginalFilename: "planted.dll" } },
    dll: true,
  }).bytes;
  await Deno.writeFile(`${root}/pe/planted.dll`, pe);
  await Deno.writeTextFile(`${root}/pe/fake.exe`, "MZ but nothing else");
  return { root, text, longFile, pe };
}

Deno.test({
  name: "createFileCollector walks a trap tree: exact files, fields and skip reasons",
  ignore: !linux,
  async fn() {
    const { root, text, longFile, pe } = await buildTrapTree();
    try {
      const run = await collect(
        { scopes: [{ path: root }], exclude: ["*.log", "**/excluded-dir/**"], maxFileSize: 4096 },
        allFields,
        ["Md5sum", "Sha1sum", "Sha256sum", "PEInfo"],
      );
      const keys = run.items.map((item) => item.key.slice(root.length + 1));
      deepStrictEqual(
        keys.sort(),
        [
          "deep/1/2/3/leaf.txt",
          "deep/top.txt",
          longFile.slice(root.length + 1),
          "pe/fake.exe",
          "pe/planted.dll",
          "plain/.hidden",
          "plain/Makefile",
          "plain/hello.txt",
          "sizes/big.bin",
          "sizes/small.bin",
          "unicode/naïve résumé.TXT",
          "unicode/replacement\uFFFD.txt",
          "unicode/文件夹/报告.exe",
        ].sort(),
      );

      const skips = Object.fromEntries(
        run.skipped.map((skip) => [skip.object.slice(root.length + 1), skip.reason]),
      );
      const toolong = Object.keys(skips).find((key) => key.startsWith("toolong/"));
      ok(toolong !== undefined, "the path over PATH_MAX is reported");
      deepStrictEqual(skips, {
        "unicode/bad\\xff\\xfe.bin": "invalid-name",
        "unicode/dir\\xc3(": "invalid-name",
        "links/dangling": "symlink",
        "links/self": "symlink",
        "links/to-hello": "symlink",
        "links/up": "symlink",
        "special/fifo": "special-file",
        "special/socket": "special-file",
        "excluded-dir": "excluded",
        "plain/app.log": "excluded",
        "sizes/big.bin": "too-large",
        [toolong]: "path-too-long",
      });
      deepStrictEqual(run.stats.skipped, {
        "invalid-name": 2,
        symlink: 4,
        "special-file": 2,
        excluded: 2,
        "too-large": 1,
        "path-too-long": 1,
      });
      deepStrictEqual(run.stats.files, 13);

      const hello = run.items.find((item) => item.key.endsWith("/plain/hello.txt"))!;
      const info = await Deno.lstat(`${root}/plain/hello.txt`);
      deepStrictEqual(hello.fields, {
        FullPath: `${root}/plain/hello.txt`,
        FilePath: `${root}/plain`,
        FileName: "hello.txt",
        FileExtension: "txt",
        SizeInBytes: 6,
        ...(info.birthtime ? { Created: info.birthtime.toISOString() } : {}),
        Modified: info.mtime!.toISOString(),
        Accessed: hello.fields.Accessed,
        Changed: info.ctime!.toISOString(),
        Username: info.uid === 0 ? "root" : hello.fields.Username,
        Md5sum: hex("md5", text),
        Sha1sum: hex("sha1", text),
        Sha256sum: hex("sha256", text),
      });
      const extensions = Object.fromEntries(
        run.items.map((item) => [item.fields.FileName, item.fields.FileExtension]),
      );
      deepStrictEqual(extensions["Makefile"], "");
      deepStrictEqual(extensions[".hidden"], "");
      deepStrictEqual(extensions["naïve résumé.TXT"], "TXT");
      deepStrictEqual(extensions["报告.exe"], "exe");

      const big = run.items.find((item) => item.key.endsWith("/sizes/big.bin"))!;
      deepStrictEqual([big.fields.SizeInBytes, big.fields.Md5sum], [5000, undefined]);

      const planted = run.items.find((item) => item.key.endsWith("/pe/planted.dll"))!;
      deepStrictEqual(planted.fields.Md5sum, hex("md5", pe));
      const peInfo = planted.fields.PEInfo as Record<string, unknown>;
      deepStrictEqual(peInfo.Type, "Dll");
      deepStrictEqual(
        peInfo.PETimeStamp,
        new Date(0x5f5e1000 * 1000).toISOString().replace(".000", ""),
      );
      deepStrictEqual(
        (peInfo.ImportedModules as { Module: { Name: string }[] }).Module.map((module) =>
          module.Name
        ),
        ["KERNEL32.dll"],
      );
      const fake = run.items.find((item) => item.key.endsWith("/pe/fake.exe"))!;
      deepStrictEqual(fake.fields.PEInfo, undefined);
      ok(
        run.warnings.some((warning) =>
          warning.startsWith("pe-corrupt") && warning.includes("fake.exe")
        ),
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "createFileCollector follows links when asked and still stops at loops",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_follow_" });
    try {
      await Deno.mkdir(`${root}/a/b`, { recursive: true });
      await Deno.writeTextFile(`${root}/a/b/f.txt`, "f");
      await Deno.symlink("..", `${root}/a/b/up`);
      await Deno.symlink(`${root}/a/b/f.txt`, `${root}/a/link.txt`);
      await Deno.symlink(`${root}/a/self`, `${root}/a/self`);
      const run = await collect({ scopes: [{ path: root }], followSymlinks: true }, ["FullPath"]);
      deepStrictEqual(run.items.map((item) => item.key).sort(), [
        `${root}/a/b/f.txt`,
        `${root}/a/link.txt`,
      ]);
      deepStrictEqual(
        run.skipped.map((skip) => [skip.object, skip.reason]).sort(),
        [[`${root}/a/b/up`, "loop"], [`${root}/a/self`, "loop"]],
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "createFileCollector honours depth: 0 is the scope's own files",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_depth_" });
    try {
      await Deno.mkdir(`${root}/1/2`, { recursive: true });
      for (const path of ["a", "1/b", "1/2/c"]) await Deno.writeTextFile(`${root}/${path}`, path);
      const names = async (depth?: number) =>
        (await collect({ scopes: [{ path: root, ...(depth === undefined ? {} : { depth }) }] }, [
          "FileName",
        ])).items.map((item) => item.fields.FileName);
      deepStrictEqual(await names(0), ["a"]);
      deepStrictEqual(await names(1), ["a", "b"]);
      deepStrictEqual(await names(), ["a", "b", "c"]);
      // A file as a scope, and a scope that does not exist.
      const single = await collect(
        { scopes: [{ path: `${root}/1/b` }, { path: `${root}/none` }] },
        [
          "FilePath",
          "FileName",
        ],
      );
      deepStrictEqual(single.items.map((item) => item.fields), [{
        FilePath: `${root}/1`,
        FileName: "b",
      }]);
      deepStrictEqual(single.skipped.map((skip) => skip.reason), ["not-found"]);
      // A relative scope with `..` is made absolute and normal.
      const relative = `${posixRelative(Deno.cwd(), root)}/1/2/../2`;
      const resolved = await collect({ scopes: [{ path: relative }] }, ["FullPath"]);
      deepStrictEqual(resolved.items.map((item) => item.key), [`${root}/1/2/c`]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** An opener that counts opens and reads, and can refuse files by name. */
function countingOpener(refuse: Record<string, string> = {}) {
  const base = nodeFileOpener(fs as never, false);
  const counts = { opens: 0, reads: 0, bytes: 0 };
  const opener: FileOpener = {
    async open(path, options) {
      counts.opens++;
      const code = Object.entries(refuse).find(([name]) => path.endsWith(name))?.[1];
      if (code) throw Object.assign(new Error(`${code}: ${path}`), { code });
      const file = await base.open(path, options);
      return {
        size: file.size,
        async read(buffer, position) {
          counts.reads++;
          const count = await file.read(buffer, position);
          counts.bytes += count;
          return count;
        },
        close: () => file.close(),
      };
    },
  };
  return { opener, counts };
}

Deno.test({
  name:
    "createFileCollector computes only what is asked: no hashing without a hash term, one read for three hashes",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_lazy_" });
    try {
      const bytes = new Uint8Array(300_000).map((_, index) => index & 0xff);
      await Deno.writeFile(`${root}/data.bin`, bytes);
      await Deno.writeTextFile(`${root}/small.txt`, "s");

      const cheap = countingOpener();
      const noHash = await collect({ scopes: [{ path: root }], opener: cheap.opener }, [
        "FileName",
      ]);
      deepStrictEqual(noHash.items.map((item) => [item.fields, item.lazy]), [
        [{ FileName: "data.bin" }, undefined],
        [{ FileName: "small.txt" }, undefined],
      ]);
      deepStrictEqual(cheap.counts.opens, 0);

      // Hash terms present, but nothing loads: still no read.
      const unread = countingOpener();
      await collect({ scopes: [{ path: root }], opener: unread.opener }, ["FileName", "Md5sum"]);
      deepStrictEqual(unread.counts.opens, 0);

      const all = countingOpener();
      const hashed = await collect(
        { scopes: [{ path: root }], opener: all.opener, chunkSize: 1 << 20 },
        ["Md5sum", "Sha1sum", "Sha256sum"],
        ["Md5sum", "Sha1sum", "Sha256sum"],
      );
      deepStrictEqual(all.counts, { opens: 2, reads: 2, bytes: 300_001 });
      deepStrictEqual(hashed.items[0]!.fields, {
        Md5sum: hex("md5", bytes),
        Sha1sum: hex("sha1", bytes),
        Sha256sum: hex("sha256", bytes),
      });
      // Only digests are wanted: they come with the item, nothing is left to load.
      deepStrictEqual(hashed.items[0]!.lazy, undefined);

      // With a cheap field too, digests load lazily, once: loading again reads nothing more.
      const lazy = countingOpener();
      const loaded = await collect(
        { scopes: [{ path: root }], opener: lazy.opener, chunkSize: 1 << 20 },
        ["FileName", "Md5sum", "Sha256sum"],
        ["Md5sum", "Sha256sum"],
      );
      deepStrictEqual(lazy.counts, { opens: 2, reads: 2, bytes: 300_001 });
      deepStrictEqual(loaded.items[0]!.fields.Md5sum, hex("md5", bytes));
      await loaded.items[0]!.lazy!.load(["Md5sum", "Sha256sum"]);
      deepStrictEqual(lazy.counts.opens, 2);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "createFileCollector reports locked and unreadable files once, by reason",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_refuse_" });
    try {
      for (const name of ["locked.bin", "secret.bin", "fine.bin"]) {
        await Deno.writeTextFile(`${root}/${name}`, name);
      }
      const { opener } = countingOpener({ "locked.bin": "EBUSY", "secret.bin": "EACCES" });
      const run = await collect(
        { scopes: [{ path: root }], opener },
        ["FileName", "Md5sum", "PEInfo"],
        ["Md5sum", "PEInfo"],
      );
      deepStrictEqual(
        run.skipped.map((skip) => [skip.object.slice(root.length + 1), skip.reason]),
        [
          ["locked.bin", "locked"],
          ["secret.bin", "unreadable"],
        ],
      );
      deepStrictEqual(run.items.map((item) => item.fields.Md5sum !== undefined), [
        true,
        false,
        false,
      ]);
      deepStrictEqual(run.stats.skipped, { locked: 1, unreadable: 1 });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "createFileCollector skips a really unreadable file (root without CAP_DAC_OVERRIDE)",
  // chmod 000 does not stop root: run the collector in a child without the DAC capabilities.
  ignore: !linux || Deno.uid() !== 0,
  async fn() {
    const setpriv = await new Deno.Command("setpriv", { args: ["--version"] }).output().catch(() =>
      undefined
    );
    if (!setpriv?.success) {
      console.warn("setpriv missing: the real unreadable-file test is skipped");
      return;
    }
    const root = await Deno.makeTempDir({ prefix: "file_collector_unreadable_" });
    try {
      await Deno.writeTextFile(`${root}/open.txt`, "o");
      await Deno.writeTextFile(`${root}/closed.txt`, "c");
      await Deno.chmod(`${root}/closed.txt`, 0o000);
      await Deno.mkdir(`${root}/closed-dir`);
      await Deno.writeTextFile(`${root}/closed-dir/x.txt`, "x");
      await Deno.chmod(`${root}/closed-dir`, 0o000);
      const module = new URL("../collectors/file/mod.ts", import.meta.url).href;
      const script = `
        import { createFileCollector } from ${JSON.stringify(module)};
        const out = [];
        const reporter = { skipped: (s) => out.push(["skip", s.object, s.reason]), warning() {}, progress() {} };
        const needs = new Map([["FileItem", new Set(["FileName", "Sha256sum"])]]);
        for await (const item of createFileCollector({ scopes: [{ path: ${
        JSON.stringify(root)
      } }] })
          .collect({ needs, reporter })) {
          const loaded = await item.lazy.load(["Sha256sum"]);
          out.push(["file", item.fields.FileName, loaded.Sha256sum !== undefined]);
        }
        console.log(JSON.stringify(out));`;
      const child = await new Deno.Command("setpriv", {
        args: [
          "--bounding-set=-dac_override,-dac_read_search",
          Deno.execPath(),
          "eval",
          script,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      ok(child.success, new TextDecoder().decode(child.stderr));
      deepStrictEqual(JSON.parse(new TextDecoder().decode(child.stdout)), [
        ["skip", `${root}/closed.txt`, "unreadable"],
        ["file", "closed.txt", false],
        ["file", "open.txt", true],
        ["skip", `${root}/closed-dir`, "unreadable"],
      ]);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

function fileIoc(id: string, items: string): Uint8Array {
  return new TextEncoder().encode(
    `<?xml version="1.0" encoding="us-ascii"?>\n` +
      `<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="${id}" last-modified="2026-01-01T00:00:00">` +
      `<short_description>${id}</short_description><definition>${items}</definition></ioc>`,
  );
}

function fileItem(id: string, search: string, value: string, type = "string"): string {
  return `<IndicatorItem id="${id}" condition="is"><Context document="FileItem" search="FileItem/${search}" type="mir"/>` +
    `<Content type="${type}">${value}</Content></IndicatorItem>`;
}

Deno.test({
  name:
    "createFileCollector with the engine: exact detections, and a file whose name rules it out is never read",
  ignore: !linux,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_engine_" });
    try {
      const evil = new TextEncoder().encode("planted payload");
      await Deno.mkdir(`${root}/a/b`, { recursive: true });
      await Deno.writeFile(`${root}/a/b/evil.exe`, evil);
      // Decoys: the right name with other content, the right content under another name.
      await Deno.writeTextFile(`${root}/a/evil.exe`, "decoy");
      await Deno.writeFile(`${root}/a/other.bin`, evil);
      for (let index = 0; index < 20; index++) {
        await Deno.writeTextFile(`${root}/a/n${index}.txt`, "n");
      }
      const ioc = parseIoc(
        fileIoc(
          "and-ioc",
          `<Indicator operator="AND" id="top">${fileItem("name", "FileName", "evil.exe")}${
            fileItem("md5", "Md5sum", hex("md5", evil), "md5")
          }</Indicator>`,
        ),
        "and.ioc",
      ).document;
      const plan = compilePlan([ioc]);
      const { opener, counts } = countingOpener();
      const collector = createFileCollector({ scopes: [{ path: root }], opener });
      const session = plan.createSession();
      const skipped: SkippedObject[] = [];
      const reporter = {
        skipped: (entry: SkippedObject) => skipped.push(entry),
        warning() {},
        progress() {},
      };
      await observeCollected(collector, { needs: plan.needs, reporter }, session, 8);
      const detections = session.finish();
      deepStrictEqual(
        detections.map((detection) => detection.evidence.map((evidence) => evidence.object)),
        [
          [`${root}/a/b/evil.exe`],
        ],
      );
      // Only the two files named evil.exe were opened.
      deepStrictEqual(counts.opens, 2);
      deepStrictEqual(skipped, []);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name: "createFileCollector walks a bind-mount loop once",
  ignore: !linux || Deno.uid() !== 0,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "file_collector_bind_" });
    const mountPoint = `${root}/a/b`;
    await Deno.mkdir(mountPoint, { recursive: true });
    await Deno.writeTextFile(`${root}/f.txt`, "f");
    const mounted = await new Deno.Command("mount", { args: ["--bind", root, mountPoint] })
      .output();
    try {
      if (!mounted.success) {
        console.warn("mount --bind not permitted here: the bind-loop test is skipped");
        return;
      }
      const run = await collect({ scopes: [{ path: root }] }, ["FullPath"]);
      deepStrictEqual(run.items.map((item) => item.key), [`${root}/f.txt`]);
      deepStrictEqual(run.skipped.map((skip) => [skip.object, skip.reason]), [[
        mountPoint,
        "loop",
      ]]);
    } finally {
      if (mounted.success) await new Deno.Command("umount", { args: [mountPoint] }).output();
      await Deno.remove(root, { recursive: true });
    }
  },
});
