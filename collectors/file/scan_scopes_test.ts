import { deepStrictEqual } from "node:assert/strict";
import type { FilePlatform } from "./platform.ts";
import { expandPreset, mergeScopes } from "./scan_scopes.ts";

// A fake machine: `folders` maps a folder to its sub-folders; `files` are other existing paths.
function fakePlatform(
  os: string,
  folders: Record<string, string[]>,
  files: string[] = [],
  env: Record<string, string> = {},
  drives: string[] = [],
): FilePlatform {
  const existing = new Set<string>(files);
  for (const [folder, children] of Object.entries(folders)) {
    existing.add(folder);
    const separator = os === "windows" ? "\\" : "/";
    for (const child of children) existing.add(`${folder}${separator}${child}`);
  }
  return {
    os,
    env: (name) => env[name],
    listFolders: (path) => Promise.resolve(folders[path] ?? []),
    exists: (path) => Promise.resolve(existing.has(path)),
    fixedDrives: () => Promise.resolve(drives),
  };
}

Deno.test("expandPreset important-areas on Windows: every profile's folders plus the shared ones", async () => {
  const profile = (user: string) => `C:\\Users\\${user}`;
  const perUser = (user: string) => [
    `${profile(user)}\\Downloads`,
    `${profile(user)}\\Desktop`,
    `${profile(user)}\\AppData\\Roaming`,
    `${profile(user)}\\AppData\\Local\\Temp`,
    `${profile(user)}\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup`,
  ];
  const platform = fakePlatform(
    "windows",
    { "C:\\Users": ["alice", "All Users", "bob", "Default", "Default User", "Public"] },
    [...perUser("alice"), ...perUser("bob").slice(0, 2), "C:\\Windows\\Temp", "C:\\ProgramData"],
    { SystemDrive: "C:", SystemRoot: "C:\\Windows", PUBLIC: "C:\\Users\\Public" },
  );
  const scopes = await expandPreset("important-areas", platform);
  deepStrictEqual(scopes.map((scope) => scope.path), [
    ...perUser("alice"),
    ...perUser("bob").slice(0, 2),
    "C:\\Windows\\Temp",
    "C:\\ProgramData",
    "C:\\Users\\Public",
  ]);
  // Startup lies inside Roaming: merging leaves it out.
  deepStrictEqual(
    mergeScopes(scopes, "windows").some((scope) => scope.path.endsWith("Startup")),
    false,
  );
});

Deno.test("expandPreset important-areas on Windows falls back to C: when variables are missing", async () => {
  const platform = fakePlatform("windows", {
    "C:\\Users": ["carol"],
    "C:\\Users\\carol": ["Desktop"],
  }, ["C:\\Windows\\Temp", "C:\\ProgramData", "C:\\Users\\Public"]);
  const scopes = await expandPreset("important-areas", platform);
  deepStrictEqual(scopes.map((scope) => scope.path), [
    "C:\\Users\\carol\\Desktop",
    "C:\\Windows\\Temp",
    "C:\\ProgramData",
    "C:\\Users\\Public",
  ]);
});

Deno.test("expandPreset all-drives: fixed drive roots on Windows, / on Linux", async () => {
  const windows = fakePlatform("windows", {}, ["C:\\", "D:\\"], {}, ["C:\\", "D:\\"]);
  deepStrictEqual(await expandPreset("all-drives", windows), [{ path: "C:\\" }, { path: "D:\\" }]);
  const linux = fakePlatform("linux", { "/": [] });
  deepStrictEqual(await expandPreset("all-drives", linux), [{ path: "/" }]);
});

Deno.test("expandPreset important-areas on Linux: temp folders, users' folders, cron and systemd", async () => {
  const platform = fakePlatform(
    "linux",
    {
      "/home": ["ann", "ben"],
      "/etc": ["cron.d", "cron.daily", "ssh", "systemd"],
      "/root": ["Desktop"],
      "/home/ann": ["Downloads", "Desktop"],
    },
    [
      "/tmp",
      "/var/tmp",
      "/dev/shm",
      "/home/ann/.config/autostart",
      "/home/ben/.config/systemd/user",
      "/etc/crontab",
      "/var/spool/cron",
      "/etc/systemd/system",
      "/usr/lib/systemd/system",
    ],
  );
  const scopes = await expandPreset("important-areas", platform);
  deepStrictEqual(scopes.map((scope) => scope.path), [
    "/tmp",
    "/var/tmp",
    "/dev/shm",
    "/root/Desktop",
    "/home/ann/Downloads",
    "/home/ann/Desktop",
    "/home/ann/.config/autostart",
    "/home/ben/.config/systemd/user",
    "/etc/cron.d",
    "/etc/cron.daily",
    "/etc/crontab",
    "/var/spool/cron",
    "/etc/systemd/system",
    "/usr/lib/systemd/system",
  ]);
});

Deno.test("mergeScopes drops duplicates and scopes inside unlimited ones, keeps the deeper duplicate", () => {
  deepStrictEqual(
    mergeScopes([
      { path: "/srv/a", depth: 1 },
      { path: "/srv" },
      { path: "/srv/" },
      { path: "/opt/x", depth: 1 },
      { path: "/opt/x", depth: 3 },
      { path: "/opt/x/y", depth: 0 },
      { path: "/srvx" },
    ], "linux"),
    [{ path: "/srv" }, { path: "/opt/x", depth: 3 }, { path: "/opt/x/y", depth: 0 }, {
      path: "/srvx",
    }],
  );
  deepStrictEqual(
    mergeScopes([{ path: "C:\\" }, { path: "c:\\Users\\Bob" }], "windows"),
    [{ path: "C:\\" }],
  );
});
