/**
 * Text forms: how a string term's values are brought to one spelling before
 * they are compared. The same fold is applied to the IOC's value and to the
 * observed value, so both sides meet whatever spelling each one uses. Which
 * terms use which form is a fact of the term catalogue (`textForm`).
 *
 * - `file-extension`: one leading dot is dropped (real files write `exe` and `.exe`).
 * - `registry-path`: root names, user hives and control sets are folded to the
 *   spelling IOC authors write (see {@linkcode foldRegistryPath}).
 * - `registry-key-path`: as `registry-path`, without the root; an observed key
 *   path is also tested relative to its hive's root
 *   (see {@linkcode hiveRelativeKeyPath}).
 * - `mac-address`: lower case, `-` separators as `:` (Windows writes
 *   `00-50-56-C0-00-08`, Linux `00:50:56:c0:00:08`); a whole 48-bit address
 *   written otherwise (`005056C00008`, Cisco's `0050.56c0.0008`, macOS's
 *   `0:50:56:c0:0:8`) as six bytes of two digits.
 *
 * @module
 */
import type { TextForm } from "../openioc/term_catalogue.ts";
import { splitRoot } from "../windows/registry_roots.ts";

/**
 * Brings a string to a term's text form for `is`, `contains`, `starts-with`
 * and `ends-with`.
 *
 * @example
 * ```ts
 * import { applyTextForm } from "./text_form.ts";
 * applyTextForm(".exe", "file-extension"); // "exe"
 * applyTextForm("HKLM\\Software\\Run", "registry-path"); // "HKEY_LOCAL_MACHINE\\Software\\Run"
 * ```
 */
export function applyTextForm(text: string, form: TextForm): string {
  switch (form) {
    case "plain":
      return text;
    case "file-extension":
      return text.startsWith(".") ? text.slice(1) : text;
    case "registry-path":
      return foldRegistryPath(text);
    case "registry-key-path":
      return foldRegistryKeyPath(text);
    case "mac-address":
      return foldMacAddress(text);
  }
}

/**
 * The second spelling an observed value is tested in, when its form has one
 * (undefined otherwise, or when it is the same as `folded`, the first): a
 * `registry-key-path` without its first component, the mount, folded. An
 * item holds when either spelling matches (a negated one when neither does).
 *
 * @example
 * ```ts
 * import { observedAlternative } from "./text_form.ts";
 * observedAlternative("alice\\Software\\Run", "registry-key-path"); // "Software\\Run"
 * observedAlternative("SYSTEM\\ControlSet001\\Services", "registry-key-path"); // "CurrentControlSet\\Services"
 * ```
 */
export function observedAlternative(
  text: string,
  form: TextForm,
  folded: string = applyTextForm(text, form),
): string | undefined {
  if (form !== "registry-key-path") return undefined;
  const relative = hiveRelativeKeyPath(text);
  return relative === undefined || relative === folded ? undefined : relative;
}

/**
 * A key path (`RegistryItem/KeyPath`: below the root, mount included) made
 * relative to its hive's root: the mount (`SOFTWARE`, `SYSTEM`, a user's SID
 * or profile folder name) is dropped and the rest folded. IOCs write key paths
 * either way; the user hive's mount name, unlike `HKEY_USERS\<mount>` in a
 * `Path`, cannot be told from a key name by its spelling.
 */
export function hiveRelativeKeyPath(keyPath: string): string | undefined {
  const cut = keyPath.indexOf("\\");
  return cut > 0 && cut < keyPath.length - 1
    ? foldRegistryKeyPath(keyPath.slice(cut + 1))
    : undefined;
}

const leadingControlSet = /^ControlSet\d{3}(?=\\|$)/i;

/**
 * Folds a `KeyPath` as {@linkcode foldRegistryPath} does, then drops a root
 * (`HKLM\SYSTEM\…` → `SYSTEM\…`, `HKCU\Software\…` → `Software\…`): a key
 * path has none, but IOC authors sometimes write one. A leading control set
 * (a path relative to the SYSTEM hive) folds too.
 */
export function foldRegistryKeyPath(path: string): string {
  const folded = foldRegistryPath(path);
  const { root, rest } = splitRoot(folded);
  const keyPath = root === undefined ? folded : rest.replace(/^\\+/, "");
  return keyPath.replace(leadingControlSet, "CurrentControlSet");
}

/**
 * The form a `matches` regex is run against. A regex is used as written, so
 * only folds that cannot clash with how a pattern is written apply: registry
 * paths are folded (a pattern written against `CurrentControlSet` or
 * `HKEY_CURRENT_USER` then finds keys read as `ControlSet001` or
 * `HKEY_USERS\<SID>`), and so are link-layer addresses (a pattern is written
 * against either spelling, the observed value is folded to one); extensions
 * keep their dot.
 */
export function regexTextForm(text: string, form: TextForm): string {
  return form === "registry-path"
    ? foldRegistryPath(text)
    : form === "registry-key-path"
    ? foldRegistryKeyPath(text)
    : form === "mac-address"
    ? foldMacAddress(text)
    : text;
}

/**
 * A link-layer address in one spelling: lower case, bytes separated by `:`.
 *
 * @example
 * ```ts
 * import { foldMacAddress } from "./text_form.ts";
 * foldMacAddress("00-50-56-C0-00-08"); // "00:50:56:c0:00:08"
 * ```
 */
export function foldMacAddress(text: string): string {
  const lower = text.trim().toLowerCase();
  const bytes = macBytes(lower);
  return bytes === undefined ? lower.replaceAll("-", ":") : bytes.join(":");
}

/** Six bytes of 1–2 hex digits between `:` or `-` (`0:50:56:c0:0:8`, as BSD and macOS print them). */
const separatedMac = /^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2}){4}$/;
/** Twelve hex digits in one run (`005056c00008`) or three dotted groups of four (`0050.56c0.0008`). */
const packedMac = /^(?:[0-9a-f]{12}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/;

/** The six bytes of a whole 48-bit address in any of its spellings, two hex digits each. */
function macBytes(lower: string): string[] | undefined {
  if (separatedMac.test(lower)) return lower.split(/[:-]/).map((byte) => byte.padStart(2, "0"));
  if (packedMac.test(lower)) return lower.replaceAll(".", "").match(/../g)!;
  return undefined;
}

const userHive = /^HKEY_USERS\\(?!\.DEFAULT(?:\\|$))[^\\]+?(_Classes)?(?=\\|$)/i;
const leadingUserSid = /^S-1-5-[0-9-]+(_Classes)?(?:\\|$)/i;
const controlSet = /\\ControlSet\d{3}(?=\\|$)/gi;

/**
 * Folds a registry path (a full path, a key path without root, or a bare
 * root name) to the spelling IOC authors write:
 *
 * - root aliases to long names: `HKLM`, `\REGISTRY\MACHINE` → `HKEY_LOCAL_MACHINE`;
 *   `HKCR` → `HKEY_LOCAL_MACHINE\SOFTWARE\Classes`;
 * - every user hive to `HKEY_CURRENT_USER`: `HKEY_USERS\<SID or mount name>\X` →
 *   `HKEY_CURRENT_USER\X` (all but `.DEFAULT`; an offline hive without a known SID is
 *   mounted under its profile folder's name),
 *   `HKEY_USERS\<SID>_Classes\X` → `HKEY_CURRENT_USER\Software\Classes\X`, and a key
 *   path that starts with a user SID loses it (RegistryItem/KeyPath of a user hive);
 * - `ControlSet001`, `ControlSet002`… → `CurrentControlSet` (Sysmon and most IOCs
 *   write the latter; an offline hive stores the former).
 *
 * Case is kept; comparisons decide case-sensitivity. The object's evidence
 * keeps the path as observed.
 *
 * @example
 * ```ts
 * import { foldRegistryPath } from "./text_form.ts";
 * foldRegistryPath("HKU\\S-1-5-21-1-2-3-1001\\Software\\Run"); // "HKEY_CURRENT_USER\\Software\\Run"
 * foldRegistryPath("SYSTEM\\ControlSet001\\Services\\x"); // "SYSTEM\\CurrentControlSet\\Services\\x"
 * ```
 */
export function foldRegistryPath(path: string): string {
  const { root, rest } = splitRoot(path);
  // HKEY_CLASSES_ROOT is the machine's classes merged with the user's; hives store the former.
  let text = root === undefined
    ? path
    : (root === "HKEY_CLASSES_ROOT" ? "HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes" : root) + rest;
  text = text.replace(
    userHive,
    (_match, classes?: string) =>
      classes ? "HKEY_CURRENT_USER\\Software\\Classes" : "HKEY_CURRENT_USER",
  );
  text = text.replace(leadingUserSid, (match, classes?: string) => {
    const rest = match.endsWith("\\") ? "\\" : "";
    return classes ? `Software\\Classes${rest}` : "";
  });
  return text.replace(controlSet, "\\CurrentControlSet");
}
