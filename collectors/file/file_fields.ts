/**
 * The FileItem fields, sorted by what they cost: path fields come free with
 * the walk, stat fields need one `lstat`, content fields need the file read.
 *
 * @module
 */
import type { ObservedFields, Unevaluated } from "../../contracts/observed_item.ts";
import type { OwnerLookup } from "./owner_names.ts";

/** Fields known from the path alone. */
export const pathFieldNames = [
  "FullPath",
  "FilePath",
  "FileName",
  "FileExtension",
  "Drive",
] as const;

/** A Windows path's drive: `C:` of `C:\x` (not of `C:x`, nor of a UNC path). */
const windowsDrive = /^([A-Za-z]:)\\/;

/**
 * Why `Username` is unknown on a file below `--root`: ntfs-3g and its kin show
 * whoever mounted the image as every file's owner.
 */
export const imageOwnerUnknown: Unevaluated = Object.freeze({
  Username:
    "the owner a mounted image shows is the mount's, not the file's Windows owner (--root, or a volume given as evidence)",
});

/** Why `Username` is unknown on a file whose owner the {@linkcode OwnerLookup} could not tell. */
export const ownerNotTold: Unevaluated = Object.freeze({
  Username: "its owner could not be told here (no owner reader for this system or file)",
});

/** Fields that need the file's stat. */
export const statFieldNames = [
  "SizeInBytes",
  "Created",
  "Modified",
  "Accessed",
  "Changed",
  "Username",
] as const;

/** Fields that need the file's content: computed lazily. */
export const contentFieldNames = ["Md5sum", "Sha1sum", "Sha256sum", "PEInfo"] as const;

/** Whether `wanted` asks for a digest (the content fields other than PEInfo): a file is read whole. */
export function wantsDigests(wanted: ReadonlySet<string>): boolean {
  return contentFieldNames.some((name) => name !== "PEInfo" && wanted.has(name));
}

/** A FileItem field this collector produces. */
export type FileFieldName =
  | typeof pathFieldNames[number]
  | typeof statFieldNames[number]
  | typeof contentFieldNames[number];

const canonical = new Map<string, FileFieldName>(
  [...pathFieldNames, ...statFieldNames, ...contentFieldNames].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);

/**
 * Maps the field names a plan asks for (any case) to the ones this collector
 * produces; names it does not produce are left out.
 */
export function wantedFileFields(needs: Iterable<string>): Set<FileFieldName> {
  const wanted = new Set<FileFieldName>();
  for (const name of needs) {
    const field = canonical.get(name.toLowerCase());
    if (field) wanted.add(field);
  }
  return wanted;
}

/**
 * The extension without its dot: `gz` for `a.tar.gz`, `""` for `Makefile` or
 * `.bashrc` (a leading dot marks a hidden file, not an extension).
 */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1);
}

/**
 * Adds the wanted path fields of a file in `folder` named `name`, its path as
 * written on `os` (`Drive`, `C:`, only for a Windows path on a drive).
 */
export function addPathFields(
  fields: ObservedFields,
  wanted: ReadonlySet<FileFieldName>,
  fullPath: string,
  folder: string,
  name: string,
  os: string,
): void {
  if (wanted.has("FullPath")) fields.FullPath = fullPath;
  if (wanted.has("FilePath")) fields.FilePath = folder;
  if (wanted.has("FileName")) fields.FileName = name;
  if (wanted.has("FileExtension")) fields.FileExtension = fileExtension(name);
  if (wanted.has("Drive") && os === "windows") {
    const drive = windowsDrive.exec(fullPath)?.[1];
    if (drive !== undefined) fields.Drive = drive.toUpperCase();
  }
}

/** Whether any wanted field needs a stat. */
export function needsStat(wanted: ReadonlySet<FileFieldName>): boolean {
  return statFieldNames.some((name) => wanted.has(name));
}

/**
 * Adds the wanted stat fields. Times are ISO 8601 UTC strings; `Created` is the
 * birth time where the file system records one (absent otherwise), `Changed`
 * the inode change time (absent on Windows, where Deno has none). Returns
 * {@linkcode ownerNotTold} when `Username` is wanted but the owner cannot be
 * told: the object's `unevaluated`, so that the field is unknown, not absent.
 */
export async function addStatFields(
  fields: ObservedFields,
  wanted: ReadonlySet<FileFieldName>,
  fullPath: string,
  info: Deno.FileInfo,
  owners: OwnerLookup,
): Promise<Unevaluated | undefined> {
  if (wanted.has("SizeInBytes")) fields.SizeInBytes = info.size;
  if (wanted.has("Created") && info.birthtime) fields.Created = info.birthtime.toISOString();
  if (wanted.has("Modified") && info.mtime) fields.Modified = info.mtime.toISOString();
  if (wanted.has("Accessed") && info.atime) fields.Accessed = info.atime.toISOString();
  if (wanted.has("Changed") && info.ctime) fields.Changed = info.ctime.toISOString();
  if (wanted.has("Username")) {
    const owner = await owners.ownerOf(fullPath, info);
    if (owner === undefined) return ownerNotTold;
    fields.Username = owner;
  }
  return undefined;
}
