/**
 * Where browsers keep their history below a user's home, as data: one row
 * per browser, with its engine (which tells the database's name and schema)
 * and the folders holding its profiles on Linux and on Windows. Adding a
 * Chromium-based browser is adding a row.
 *
 * @module
 */

/** The two history database families iocscan reads. */
export type BrowserEngine = "chromium" | "firefox";

/** One browser: its name in `BrowserName`, its engine and its profile folders. */
export interface BrowserPlace {
  /** `BrowserName` as reported, e.g. `Google Chrome`. */
  readonly name: string;
  readonly engine: BrowserEngine;
  /** Folders below a Linux home holding one folder per profile. */
  readonly linux: readonly string[];
  /** Folders below a Windows user profile (`C:\Users\<name>`) holding one folder per profile. */
  readonly windows: readonly string[];
}

/** The browsers whose history iocscan reads. */
export const browserPlaces: readonly BrowserPlace[] = [
  {
    name: "Google Chrome",
    engine: "chromium",
    linux: [".config/google-chrome"],
    windows: ["AppData/Local/Google/Chrome/User Data"],
  },
  {
    name: "Microsoft Edge",
    engine: "chromium",
    linux: [".config/microsoft-edge"],
    windows: ["AppData/Local/Microsoft/Edge/User Data"],
  },
  {
    name: "Chromium",
    engine: "chromium",
    linux: [".config/chromium", "snap/chromium/common/chromium"],
    windows: ["AppData/Local/Chromium/User Data"],
  },
  {
    name: "Brave",
    engine: "chromium",
    linux: [".config/BraveSoftware/Brave-Browser"],
    windows: ["AppData/Local/BraveSoftware/Brave-Browser/User Data"],
  },
  {
    name: "Firefox",
    engine: "firefox",
    linux: [".mozilla/firefox", "snap/firefox/common/.mozilla/firefox"],
    windows: ["AppData/Roaming/Mozilla/Firefox/Profiles"],
  },
];

/** What an engine's profile holds: the history database, and where the browser's version is. */
export interface EngineFiles {
  /** The history database in a profile folder. */
  readonly database: string;
  /**
   * The file telling the browser's version, and whether it sits in the profile folder or in the
   * folder of profiles (Chromium's `User Data/Last Version`).
   */
  readonly version: { readonly file: string; readonly inProfile: boolean };
}

/** The files of each engine. */
export const engineFiles: Readonly<Record<BrowserEngine, EngineFiles>> = {
  chromium: { database: "History", version: { file: "Last Version", inProfile: false } },
  firefox: { database: "places.sqlite", version: { file: "compatibility.ini", inProfile: true } },
};

/**
 * Legacy Internet Explorer / Edge (EdgeHTML) history: an ESE database iocscan
 * does not read. Its presence is reported as a skip naming the file.
 */
export const webCacheDatabase = "AppData/Local/Microsoft/Windows/WebCache/WebCacheV01.dat";

/**
 * The browser version a version file tells: Chromium's `Last Version` holds
 * it alone (`120.0.6099.109`), Firefox's `compatibility.ini` as
 * `LastVersion=121.0_20231211174248/20231211174248`.
 */
export function versionOfFile(engine: BrowserEngine, text: string): string | undefined {
  if (engine === "chromium") {
    const version = text.trim();
    return /^[0-9][0-9.]{0,40}$/.test(version) ? version : undefined;
  }
  const line = /^LastVersion=([0-9][0-9A-Za-z.]{0,40})/m.exec(text);
  return line?.[1];
}
