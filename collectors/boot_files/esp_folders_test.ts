import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { linuxEspBootFolders, windowsEspBootFolders } from "./esp_folders.ts";

Deno.test("linuxEspBootFolders: the mounted ESP's EFI folders that exist, else why there is none", async () => {
  const root = await Deno.makeTempDir({ prefix: "iocscan-esp-" });
  try {
    const boot = join(root, "boot/efi/EFI");
    await Deno.mkdir(boot, { recursive: true });
    const efi = join(root, "efi/EFI");
    deepStrictEqual(await linuxEspBootFolders([boot, efi]), { folders: [boot] });
    const none = await linuxEspBootFolders([efi]);
    deepStrictEqual(none.folders, []);
    ok(/no EFI system partition is mounted at .*\/efi/.test(none.none ?? ""), none.none);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("windowsEspBootFolders: <volume>\\EFI of each ESP volume the locator finds", async () => {
  const volume = "\\\\?\\Volume{0c1a2b3c-0000-0000-0000-100000000000}\\";
  const seen: string[] = [];
  const found = await windowsEspBootFolders(
    { espVolumes: () => Promise.resolve([volume]) },
    (path) => {
      seen.push(path);
      return Promise.resolve(true);
    },
  );
  deepStrictEqual(found, { folders: ["\\\\?\\Volume{0c1a2b3c-0000-0000-0000-100000000000}\\EFI"] });
  const none = await windowsEspBootFolders({ espVolumes: () => Promise.resolve([]) });
  deepStrictEqual(none.folders, []);
  ok(none.none);
});
