/**
 * Expansion of REG_EXPAND_SZ data (`%SystemRoot%\system32\x.dll`). Offline,
 * the variables come from the mounted hives (SOFTWARE's CurrentVersion and
 * ProfileList, SYSTEM's Session Manager\Environment, the user's Environment
 * key); live, from the process environment.
 *
 * @module
 */
import { recordText } from "./hive_mount.ts";
import { resolveCurrentControlSet } from "./resolve.ts";
import type { RegistryMount } from "./source.ts";

/** Variables by upper-cased name. */
export type Environment = ReadonlyMap<string, string>;

/**
 * Replaces `%NAME%` with the variable's value (names compared
 * case-insensitively); unknown variables stay as written.
 *
 * @example
 * ```ts
 * import { expandEnvironment } from "./environment.ts";
 * expandEnvironment("%SystemRoot%\\x.exe", new Map([["SYSTEMROOT", "C:\\Windows"]]));
 * // "C:\\Windows\\x.exe"
 * ```
 */
export function expandEnvironment(text: string, env: Environment): string {
  if (!text.includes("%")) return text;
  return text.replace(
    /%([^%\r\n]+)%/g,
    (whole, name: string) => env.get(name.toUpperCase()) ?? whole,
  );
}

/** The process environment (live Windows). */
export function processEnvironment(): Environment {
  const env = new Map<string, string>();
  try {
    for (const [name, value] of Object.entries(Deno.env.toObject())) {
      env.set(name.toUpperCase(), value);
    }
  } catch {
    // Without env permission, expansion leaves variables as written.
  }
  return env;
}

const CURRENT_VERSION = ["Microsoft", "Windows", "CurrentVersion"];
const NT_CURRENT_VERSION = ["Microsoft", "Windows NT", "CurrentVersion"];

/** The machine-wide variables an offline image defines. */
export function machineEnvironment(mounts: readonly RegistryMount[]): Map<string, string> {
  const env = new Map<string, string>();
  const software = mounts.find((m) => m.role === "SOFTWARE");
  const system = mounts.find((m) => m.role === "SYSTEM");
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== "" && !env.has(name)) env.set(name, value);
  };
  const systemRoot = recordText(software?.readValue(NT_CURRENT_VERSION, "SystemRoot")) ??
    "C:\\Windows";
  set("SYSTEMROOT", systemRoot);
  set("WINDIR", systemRoot);
  set("SYSTEMDRIVE", /^[A-Za-z]:/.test(systemRoot) ? systemRoot.slice(0, 2) : "C:");
  const drive = env.get("SYSTEMDRIVE")!;
  set("PROGRAMFILES", recordText(software?.readValue(CURRENT_VERSION, "ProgramFilesDir")));
  set(
    "PROGRAMFILES(X86)",
    recordText(software?.readValue(CURRENT_VERSION, "ProgramFilesDir (x86)")),
  );
  set("PROGRAMW6432", recordText(software?.readValue(CURRENT_VERSION, "ProgramW6432Dir")));
  set("COMMONPROGRAMFILES", recordText(software?.readValue(CURRENT_VERSION, "CommonFilesDir")));
  set(
    "COMMONPROGRAMFILES(X86)",
    recordText(software?.readValue(CURRENT_VERSION, "CommonFilesDir (x86)")),
  );
  const profiles = [...NT_CURRENT_VERSION, "ProfileList"];
  set("PROGRAMDATA", recordText(software?.readValue(profiles, "ProgramData")));
  set("ALLUSERSPROFILE", recordText(software?.readValue(profiles, "ProgramData")));
  set("PUBLIC", recordText(software?.readValue(profiles, "Public")));
  set("PROGRAMFILES", `${drive}\\Program Files`);
  set("PROGRAMDATA", `${drive}\\ProgramData`);
  set("ALLUSERSPROFILE", `${drive}\\ProgramData`);
  if (system) {
    const path = resolveCurrentControlSet(system, [
      "CurrentControlSet",
      "Control",
      "Session Manager",
      "Environment",
    ]);
    for (const visit of system.walk(path, false) ?? []) {
      for (const value of visit.values()) {
        const text = recordText(value);
        if (text !== undefined) set(value.name.toUpperCase(), text);
      }
    }
  }
  // Values may refer to each other (%SystemRoot%\system32): one pass resolves the usual cases.
  for (const [name, value] of env) env.set(name, expandEnvironment(value, env));
  return env;
}

/** The variables of one user hive on top of the machine's. */
export function userEnvironment(
  machine: Environment,
  mount: RegistryMount,
  mounts: readonly RegistryMount[],
): Map<string, string> {
  const env = new Map(machine);
  const software = mounts.find((m) => m.role === "SOFTWARE");
  let profile: string | undefined;
  if (mount.sid && software) {
    profile = recordText(
      software.readValue([...NT_CURRENT_VERSION, "ProfileList", mount.sid], "ProfileImagePath"),
    );
  }
  const drive = machine.get("SYSTEMDRIVE") ?? "C:";
  profile = expandEnvironment(profile ?? `${drive}\\Users\\${mount.username ?? "Default"}`, env);
  env.set("USERPROFILE", profile);
  env.set("HOMEDRIVE", profile.slice(0, 2));
  env.set("HOMEPATH", profile.slice(2));
  env.set("APPDATA", `${profile}\\AppData\\Roaming`);
  env.set("LOCALAPPDATA", `${profile}\\AppData\\Local`);
  env.set("TEMP", `${profile}\\AppData\\Local\\Temp`);
  env.set("TMP", `${profile}\\AppData\\Local\\Temp`);
  if (mount.username) env.set("USERNAME", mount.username);
  if (mount.role === "NTUSER") {
    for (const visit of mount.walk(["Environment"], false) ?? []) {
      for (const value of visit.values()) {
        const text = recordText(value);
        if (text !== undefined) env.set(value.name.toUpperCase(), expandEnvironment(text, env));
      }
    }
  }
  return env;
}
