/**
 * The default key set: the autostart and persistence locations a responder
 * checks first. This is its one definition; docs/registry.md lists it.
 * Every entry is read recursively (the key, its values and all subkeys).
 * `HKCU` entries are read in every loaded user hive.
 *
 * @module
 */

/** One location of the key set. */
export interface KeySetEntry {
  /** The key path, with its root (`HKLM\…`, `HKCU\…`). */
  path: string;
  /** Why it is in the set. */
  why: string;
}

const RUN_KEYS = ["Run", "RunOnce", "RunOnceEx", "RunServices", "RunServicesOnce"];

function runKeys(root: string, why: string): KeySetEntry[] {
  return RUN_KEYS.map((name) => ({
    path: `${root}\\Microsoft\\Windows\\CurrentVersion\\${name}`,
    why,
  }));
}

/** The default key set. */
export const DEFAULT_KEY_SET: readonly KeySetEntry[] = [
  ...runKeys("HKLM\\SOFTWARE", "machine Run/RunOnce autostart"),
  ...runKeys("HKLM\\SOFTWARE\\Wow6432Node", "machine Run/RunOnce autostart, 32-bit view"),
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run",
    why: "policy-driven autostart",
  },
  ...runKeys("HKCU\\Software", "user Run/RunOnce autostart"),
  ...runKeys("HKCU\\Software\\Wow6432Node", "user Run/RunOnce autostart, 32-bit view"),
  {
    path: "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run",
    why: "policy-driven user autostart",
  },
  { path: "HKLM\\SYSTEM\\CurrentControlSet\\Services", why: "services and drivers" },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
    why: "Winlogon Shell, Userinit and Notify packages",
  },
  {
    path: "HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon",
    why: "per-user Winlogon Shell",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options",
    why: "IFEO debugger hijacks",
  },
  {
    path:
      "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options",
    why: "IFEO debugger hijacks, 32-bit view",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SilentProcessExit",
    why: "SilentProcessExit monitor processes",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
    why: "AppInit_DLLs and LoadAppInit_DLLs",
  },
  {
    path: "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
    why: "AppInit_DLLs, 32-bit view",
  },
  {
    path: "HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
    why: "per-user Load and Run values",
  },
  {
    path: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\AppCertDlls",
    why: "AppCertDlls injection",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\ShellServiceObjectDelayLoad",
    why: "ShellServiceObjectDelayLoad autostart",
  },
  {
    path:
      "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\ShellServiceObjectDelayLoad",
    why: "ShellServiceObjectDelayLoad autostart, 32-bit view",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache",
    why: "scheduled tasks (TaskCache tree, tasks, boot/logon triggers)",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components",
    why: "Active Setup StubPath autostart",
  },
  {
    path: "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Active Setup\\Installed Components",
    why: "Active Setup StubPath autostart, 32-bit view",
  },
  {
    path: "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Browser Helper Objects",
    why: "Internet Explorer Browser Helper Objects",
  },
  {
    path:
      "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Browser Helper Objects",
    why: "Browser Helper Objects, 32-bit view",
  },
];
