/**
 * The resource directory tree (type / name / language), walked with bounds:
 * a visited set stops cycles, depth stops at three levels, and a leaf limit
 * stops huge trees.
 *
 * @module
 */
import { hex, type ImageReader, PeFormatError, view } from "./image_reader.ts";
import type { DataDirectory } from "./headers.ts";
import type { PeResourceInfoItem } from "./pe_info.ts";
import type { GapList } from "./gap_list.ts";
import type { WarningList } from "./warning_list.ts";

/** One resource leaf with where its data lives. */
export type ResourceLeaf = PeResourceInfoItem & { typeId: number | undefined; dataRva: number };

const directoryHeaderSize = 16;
const entrySize = 8;
const dataEntrySize = 16;
const maxNameChars = 1024;

const standardTypes: ReadonlyMap<number, string> = new Map([
  [1, "RT_CURSOR"],
  [2, "RT_BITMAP"],
  [3, "RT_ICON"],
  [4, "RT_MENU"],
  [5, "RT_DIALOG"],
  [6, "RT_STRING"],
  [7, "RT_FONTDIR"],
  [8, "RT_FONT"],
  [9, "RT_ACCELERATOR"],
  [10, "RT_RCDATA"],
  [11, "RT_MESSAGETABLE"],
  [12, "RT_GROUP_CURSOR"],
  [14, "RT_GROUP_ICON"],
  [16, "RT_VERSION"],
  [17, "RT_DLGINCLUDE"],
  [19, "RT_PLUGPLAY"],
  [20, "RT_VXD"],
  [21, "RT_ANICURSOR"],
  [22, "RT_ANIICON"],
  [23, "RT_HTML"],
  [24, "RT_MANIFEST"],
]);

/** The numeric resource type of version resources. */
export const rtVersion = 16;

type Label = { id: number | undefined; text: string };

/**
 * What a resource tree cut short (damaged or capped) leaves unknown: the resource list, and the
 * version strings a resource not read may hold.
 */
const resourceFields: readonly string[] = ["ResourceInfoList", "VersionInfoList"];

/**
 * Lists the resource leaves. Damage or a limit stops the affected branch with a
 * gap leaving the resource and version lists unknown; the leaves read so far
 * are kept. A subtree referenced twice is read once, with a warning.
 */
export async function readResources(
  reader: ImageReader,
  directory: DataDirectory,
  maxLeaves: number,
  warnings: WarningList,
  gaps: GapList,
): Promise<ResourceLeaf[]> {
  const damaged = (message: string) => gaps.add("pe-corrupt", message, resourceFields);
  const cut = (message: string) => gaps.add("pe-capped", message, resourceFields);
  const leaves: ResourceLeaf[] = [];
  if (directory.address === 0) return leaves;
  const root = directory.address;
  const visited = new Set<number>();
  let capped = false;
  // Entries that are not leaves (damaged or too deep) cost time too: bound them all.
  let entryBudget = Math.max(maxLeaves * 4, 65536);

  const walk = async (offset: number, path: Label[]): Promise<void> => {
    if (capped) return;
    if (visited.has(offset)) {
      warnings.add(
        `resources: directory at offset ${
          hex(offset)
        } is referenced twice (cycle or shared subtree); skipped`,
      );
      return;
    }
    visited.add(offset);
    const place = `resource directory at RVA ${hex(root + offset)}`;
    const header = view(await reader.readRva(root + offset, directoryHeaderSize, place));
    const count = header.getUint16(12, true) + header.getUint16(14, true);
    const entries = view(
      await reader.readRvaUpTo(root + offset + directoryHeaderSize, count * entrySize, place),
    );
    const present = Math.floor(entries.byteLength / entrySize);
    if (present < count) {
      damaged(`resources: ${place} lists ${count} entries, ${present} present`);
    }
    for (let index = 0; index < present; index++) {
      if (capped) return;
      if (--entryBudget < 0) {
        cut(
          `resources: more than ${
            Math.max(maxLeaves * 4, 65536)
          } directory entries; the rest were ignored`,
        );
        capped = true;
        return;
      }
      const nameField = entries.getUint32(index * entrySize, true);
      const target = entries.getUint32(index * entrySize + 4, true);
      let label: Label;
      try {
        label = await entryLabel(reader, root, nameField, cut);
      } catch (error) {
        if (!(error instanceof PeFormatError)) throw error;
        damaged(`resources: ${error.message}`);
        continue;
      }
      const isDirectory = (target & 0x80000000) !== 0;
      const childOffset = target & 0x7fffffff;
      try {
        if (isDirectory) {
          if (path.length >= 2) {
            damaged(`resources: ${place} nests deeper than type/name/language; branch skipped`);
            continue;
          }
          await walk(childOffset, [...path, label]);
        } else {
          if (leaves.length >= maxLeaves) {
            cut(`resources: more than ${maxLeaves} resources; the rest were ignored`);
            capped = true;
            return;
          }
          const data = view(
            await reader.readRva(
              root + childOffset,
              dataEntrySize,
              `resource data entry under ${place}`,
            ),
          );
          const [type, name, language] = [path[0] ?? label, path[1] ?? label, label];
          leaves.push({
            Type: type.id !== undefined
              ? (standardTypes.get(type.id) ?? String(type.id))
              : type.text,
            Name: name.text,
            Language: language.id !== undefined
              ? language.id.toString(16).toUpperCase().padStart(4, "0")
              : language.text,
            Size: data.getUint32(4, true),
            typeId: type.id,
            dataRva: data.getUint32(0, true),
          });
        }
      } catch (error) {
        if (!(error instanceof PeFormatError)) throw error;
        damaged(`resources: ${error.message}`);
      }
    }
  };

  try {
    await walk(0, []);
  } catch (error) {
    if (!(error instanceof PeFormatError)) throw error;
    damaged(`resources: ${error.message}`);
  }
  return leaves;
}

async function entryLabel(
  reader: ImageReader,
  root: number,
  nameField: number,
  cut: (message: string) => void,
): Promise<Label> {
  if ((nameField & 0x80000000) === 0) {
    return { id: nameField & 0xffff, text: String(nameField & 0xffff) };
  }
  const rva = root + (nameField & 0x7fffffff);
  const lengthBytes = view(await reader.readRva(rva, 2, "resource name"));
  const declared = lengthBytes.getUint16(0, true);
  if (declared > maxNameChars) {
    cut(`resources: name at RVA ${hex(rva)} is ${declared} characters; only ${maxNameChars} read`);
  }
  const chars = Math.min(declared, maxNameChars);
  const bytes = await reader.readRva(rva + 2, chars * 2, "resource name");
  return { id: undefined, text: new TextDecoder("utf-16le").decode(bytes) };
}
