import { deepStrictEqual } from "node:assert/strict";
import {
  osPathOf,
  pathTooLong,
  type WalkEvent,
  walkFiles,
  walkFolders,
} from "./directory_walker.ts";

Deno.test("osPathOf adds the \\\\?\\ prefix to long Windows paths only", () => {
  const long = `C:\\${"a".repeat(300)}\\file.txt`;
  deepStrictEqual(osPathOf("windows", long), `\\\\?\\${long}`);
  const unc = `\\\\server\\share\\${"b".repeat(300)}`;
  deepStrictEqual(osPathOf("windows", unc), `\\\\?\\UNC\\server\\share\\${"b".repeat(300)}`);
  deepStrictEqual(osPathOf("windows", "C:\\short.txt"), "C:\\short.txt");
  deepStrictEqual(osPathOf("windows", `\\\\?\\${long}`), `\\\\?\\${long}`);
  deepStrictEqual(osPathOf("linux", `/${"c".repeat(5000)}`), `/${"c".repeat(5000)}`);
});

Deno.test("pathTooLong: Linux counts UTF-8 bytes against PATH_MAX, Windows characters against 32,767", () => {
  deepStrictEqual(pathTooLong("linux", `/${"a".repeat(4094)}`), undefined);
  deepStrictEqual(pathTooLong("linux", `/${"a".repeat(4095)}`), "4096 bytes; the limit is 4095");
  // 1,366 three-byte characters: short in UTF-16, too long in bytes.
  deepStrictEqual(pathTooLong("linux", `/${"文".repeat(1366)}`), "4099 bytes; the limit is 4095");
  deepStrictEqual(pathTooLong("windows", `C:\\${"a".repeat(4000)}`), undefined);
  deepStrictEqual(
    pathTooLong("windows", `C:\\${"a".repeat(32765)}`),
    "32768 characters; Windows allows 32767",
  );
});

Deno.test({
  name: "walkFolders yields a folder's events together, and walkFiles the same events one by one",
  ignore: Deno.build.os === "windows",
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      for (const folder of ["a", "a/deep", "b"]) await Deno.mkdir(`${root}/${folder}`);
      for (const file of ["a/1", "a/2", "a/deep/3", "b/4", "top"]) {
        await Deno.writeTextFile(`${root}/${file}`, file);
      }
      await Deno.symlink(`${root}/a`, `${root}/b/loop`);
      const options = { scopes: [{ path: root }, { path: `${root}/top` }], os: "linux" };
      const describe = (event: WalkEvent) =>
        event.kind === "file"
          ? event.fullPath.slice(root.length)
          : event.kind === "folder"
          ? `[${event.path.slice(root.length)}]`
          : `skip ${event.object.slice(root.length)} ${event.reason}`;
      const batches: string[][] = [];
      for await (const events of walkFolders(options)) batches.push(events.map(describe));
      deepStrictEqual(batches, [
        ["[]", "/top"],
        ["[/a]", "/a/1", "/a/2"],
        ["[/a/deep]", "/a/deep/3"],
        ["[/b]", "skip /b/loop symlink", "/b/4"],
        // The second scope is a file inside the first: it comes again, as named.
        ["/top"],
      ]);
      const flat: string[] = [];
      for await (const event of walkFiles(options)) flat.push(describe(event));
      deepStrictEqual(flat, batches.flat());
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "walkFolders lets the event loop run while it walks local folders: a timer's abort stops it",
  ignore: Deno.build.os === "windows",
  async fn() {
    // Local folders are listed synchronously: without a turn of the event loop now and then,
    // timers and I/O (an abort on a deadline, the results store opening) wait for the whole walk.
    const root = await Deno.makeTempDir();
    try {
      for (let folder = 0; folder < 200; folder++) {
        await Deno.mkdir(`${root}/${String(folder).padStart(3, "0")}`);
        await Deno.writeTextFile(`${root}/${String(folder).padStart(3, "0")}/file`, "x");
      }
      const stop = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let folders = 0;
      try {
        for await (
          const events of walkFolders({
            scopes: [{ path: root }],
            os: "linux",
            signal: stop.signal,
          })
        ) {
          // The deadline starts once the walk is under way (after the scope's own stat).
          timer ??= setTimeout(() => stop.abort(), 1);
          folders += events.filter((event) => event.kind === "folder").length;
          // A consumer busy with each folder (the engine evaluating its files) for 1 ms.
          const until = performance.now() + 1;
          while (performance.now() < until) { /* busy */ }
        }
      } finally {
        clearTimeout(timer);
      }
      deepStrictEqual(stop.signal.aborted, true);
      // Stopped within a few dozen folders of the deadline, not at the end of the 201.
      deepStrictEqual(
        folders < 100,
        true,
        `${folders} folders walked before the abort took effect`,
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
