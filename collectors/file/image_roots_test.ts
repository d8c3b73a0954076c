/**
 * Files below a mounted Windows volume (`roots`) are shown as the Windows
 * paths they had, with the real location as their provenance.
 */
import { deepStrictEqual } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { ObservedItem } from "../../contracts/observed_item.ts";
import { createFileCollector } from "./file_collector.ts";
import { imageOwnerUnknown } from "./file_fields.ts";
import { ImagePaths } from "./image_paths.ts";

const reporter = { skipped() {}, warning() {}, progress() {} };

async function collect(
  options: Parameters<typeof createFileCollector>[0],
  fields: string[],
): Promise<ObservedItem[]> {
  const collector = createFileCollector({ hashWorkers: 0, ...options });
  const items: ObservedItem[] = [];
  for await (
    const item of collector.collect({ needs: new Map([["FileItem", new Set(fields)]]), reporter })
  ) {
    if (item.lazy) Object.assign(item.fields, await item.lazy.load(["Md5sum"]));
    delete item.lazy;
    items.push(item);
  }
  return items.sort((a, b) => a.key < b.key ? -1 : 1);
}

Deno.test({
  name: "createFileCollector shows files below a root as the Windows paths they had",
  ignore: Deno.build.os === "windows",
  async fn() {
    const image = await Deno.makeTempDir();
    try {
      await Deno.mkdir(join(image, "Windows", "Temp"), { recursive: true });
      await Deno.writeTextFile(join(image, "Windows", "Temp", "x.exe"), "MZ payload");
      await Deno.writeTextFile(join(image, "pagefile.sys"), "");
      const items = await collect(
        { roots: [{ path: image, drive: "D:" }] },
        ["FullPath", "FilePath", "FileName", "FileExtension", "Drive", "Username", "Md5sum"],
      );
      deepStrictEqual(items, [
        {
          document: "FileItem",
          key: "D:\\Windows\\Temp\\x.exe",
          fields: {
            FullPath: "D:\\Windows\\Temp\\x.exe",
            FilePath: "D:\\Windows\\Temp",
            FileName: "x.exe",
            FileExtension: "exe",
            Drive: "D:",
            // No Username: the owner the mount shows is not the Windows owner.
            Md5sum: createHash("md5").update("MZ payload").digest("hex"),
          },
          provenance: { source: join(image, "Windows", "Temp", "x.exe") },
          // Not absent either: unknown, so that a negated Username item does not hold.
          unevaluated: imageOwnerUnknown,
        },
        {
          document: "FileItem",
          key: "D:\\pagefile.sys",
          fields: {
            FullPath: "D:\\pagefile.sys",
            FilePath: "D:\\",
            FileName: "pagefile.sys",
            FileExtension: "sys",
            Drive: "D:",
            Md5sum: createHash("md5").update("").digest("hex"),
          },
          provenance: { source: join(image, "pagefile.sys") },
          unevaluated: imageOwnerUnknown,
        },
      ]);
      // A scope is not a root: its files keep their own paths.
      const plain = await collect({ scopes: [{ path: image }] }, ["FullPath", "Drive"]);
      deepStrictEqual(plain.map((item) => [item.key, item.fields.Drive, item.provenance]), [
        [join(image, "Windows", "Temp", "x.exe"), undefined, undefined],
        [join(image, "pagefile.sys"), undefined, undefined],
      ]);
    } finally {
      await Deno.remove(image, { recursive: true });
    }
  },
});

Deno.test("ImagePaths: the deepest root wins; names a Windows volume cannot hold are escaped", () => {
  const paths = new ImagePaths([
    { path: "/mnt/img", drive: "C:" },
    { path: "/mnt/img/data", drive: "E:" },
  ], "linux");
  deepStrictEqual(paths.view("/mnt/img/Users/a.txt", "/mnt/img/Users"), {
    fullPath: "C:\\Users\\a.txt",
    folder: "C:\\Users",
    drive: "C:",
  });
  deepStrictEqual(paths.view("/mnt/img/data/a.txt", "/mnt/img/data")?.fullPath, "E:\\a.txt");
  // A name with a backslash (possible on the mount, never on NTFS) cannot pose as a path.
  deepStrictEqual(
    paths.view("/mnt/img/Temp/..\\..\\Windows\\x.exe", "/mnt/img/Temp")?.fullPath,
    "C:\\Temp\\..\\x5c..\\x5cWindows\\x5cx.exe",
  );
  deepStrictEqual(paths.view("/mnt/image2/a.txt", "/mnt/image2"), undefined);
  deepStrictEqual(paths.view("/mnt/img", "/mnt"), undefined);
});

Deno.test("ImagePaths on Windows: roots compare without case, separators are backslashes", () => {
  const paths = new ImagePaths([{ path: "E:\\", drive: "C:" }], "windows");
  deepStrictEqual(paths.view("e:\\Windows\\x.exe", "e:\\Windows")?.fullPath, "C:\\Windows\\x.exe");
  const nested = new ImagePaths([{ path: "D:\\Cases\\Img", drive: "C:" }], "windows");
  deepStrictEqual(nested.view("D:\\cases\\img\\a.txt", "D:\\cases\\img")?.folder, "C:\\");
});
