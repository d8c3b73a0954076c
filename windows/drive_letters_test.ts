import { deepStrictEqual } from "node:assert/strict";
import { driveNamedBy, imageDrive, parseDriveLetter } from "./drive_letters.ts";

Deno.test("parseDriveLetter accepts a letter with or without its colon", () => {
  deepStrictEqual(
    ["D:", "d", "z:", "C:\\", "CD", "1:", "", "D:x"].map(parseDriveLetter),
    ["D:", "D:", "Z:", "C:", undefined, undefined, undefined, undefined],
  );
});

Deno.test("driveNamedBy reads the drive from how a mount or collection names it", () => {
  deepStrictEqual(
    [
      "/mnt/d", // WSL, and many mount points
      "/cases/host1/E",
      "/cases/host1/E:",
      "/cases/host1/F$", // an admin share copied as is
      "/home/u/.wine/drive_c", // Wine
      "/cases/c_drive",
      "/cases/D-drive",
      "/cases/kape/uploads/auto/C%3A", // Velociraptor
      "/cases/uploads/ntfs/%5C%5C.%5CD%3A", // Velociraptor, raw NTFS
      "/cases/kape/D/", // trailing separator
    ].map(driveNamedBy),
    ["D:", "E:", "E:", "F:", "C:", "C:", "D:", "C:", "D:", "D:"],
  );
  deepStrictEqual(
    ["/mnt/image", "/cases/cd", "/", "/cases/drive", "/cases/%ZZ", "/mnt/image1"].map(driveNamedBy),
    [undefined, undefined, undefined, undefined, undefined, undefined],
  );
});

Deno.test("imageDrive: the override, else the mount's name, else C:", () => {
  deepStrictEqual(imageDrive("/mnt/image"), "C:");
  deepStrictEqual(imageDrive("/mnt/e"), "E:");
  deepStrictEqual(imageDrive("/mnt/e", "G:"), "G:");
});
