/**
 * The export directory.
 *
 * @module
 */
import {
  hex,
  type ImageReader,
  PeBudgetError,
  PeFormatError,
  unixToIso,
  view,
} from "./image_reader.ts";
import type { DataDirectory } from "./headers.ts";
import type { PeExports } from "./pe_info.ts";
import type { GapList } from "./gap_list.ts";

const exportDirectorySize = 40;
const maxNameLength = 4096;
/** What a name list cut short (damaged or capped) leaves unknown. */
const nameListFields: readonly string[] = ["Exports/ExportedFunctions"];

/**
 * Reads the export directory, or `undefined` when there is none or its
 * header is unreadable (a gap leaving `Exports` unknown). Names past the limit
 * or unreadable are left out, with a gap leaving the name list unknown.
 */
export async function readExports(
  reader: ImageReader,
  directory: DataDirectory,
  maxNames: number,
  gaps: GapList,
): Promise<PeExports | undefined> {
  if (directory.address === 0) return undefined;
  let header: DataView;
  try {
    header = view(await reader.readRva(directory.address, exportDirectorySize, "export directory"));
  } catch (error) {
    if (error instanceof PeFormatError) {
      gaps.add("pe-corrupt", `exports: ${error.message}`, ["Exports"]);
      return undefined;
    }
    throw error;
  }
  const timeDateStamp = header.getUint32(4, true);
  const nameRva = header.getUint32(12, true);
  const numberOfFunctions = header.getUint32(20, true);
  const numberOfNames = header.getUint32(24, true);
  const namesRva = header.getUint32(32, true);
  const exports: PeExports = {
    NumberOfFunctions: numberOfFunctions,
    NumberOfNames: numberOfNames,
    ExportedFunctions: { string: [] },
  };
  if (timeDateStamp !== 0) exports.ExportsTimeStamp = unixToIso(timeDateStamp);
  if (nameRva !== 0) {
    try {
      exports.DllName = await reader.readCString(
        nameRva,
        maxNameLength,
        "export directory: DLL name",
      );
    } catch (error) {
      if (!(error instanceof PeFormatError)) throw error;
      gaps.add("pe-corrupt", `exports: ${error.message}`, ["Exports/DllName"]);
    }
  }
  let count = numberOfNames;
  if (count > maxNames) {
    gaps.add(
      "pe-capped",
      `exports: ${numberOfNames} names declared, only the first ${maxNames} read`,
      nameListFields,
    );
    count = maxNames;
  }
  if (count === 0) return exports;
  let pointers: DataView;
  try {
    const table = await reader.readRvaUpTo(namesRva, count * 4, "export name pointer table");
    if (table.length < count * 4) {
      gaps.add(
        "pe-corrupt",
        `exports: name pointer table at RVA ${hex(namesRva)} holds ${
          Math.floor(table.length / 4)
        } of ${count} entries`,
        nameListFields,
      );
      count = Math.floor(table.length / 4);
    }
    pointers = view(table);
  } catch (error) {
    if (error instanceof PeFormatError) {
      gaps.add("pe-corrupt", `exports: ${error.message}`, nameListFields);
      return exports;
    }
    throw error;
  }
  let unreadable = 0;
  let firstProblem = "";
  for (let index = 0; index < count; index++) {
    try {
      exports.ExportedFunctions.string.push(
        await reader.readCString(
          pointers.getUint32(index * 4, true),
          maxNameLength,
          `export name ${index}`,
        ),
      );
    } catch (error) {
      if (!(error instanceof PeFormatError)) throw error;
      unreadable++;
      firstProblem ||= error.message;
      // A budget failure will fail every later name too.
      if (error instanceof PeBudgetError) {
        unreadable += count - index - 1;
        break;
      }
    }
  }
  if (unreadable > 0) {
    gaps.add(
      "pe-corrupt",
      `exports: ${unreadable} names unreadable (first: ${firstProblem})`,
      nameListFields,
    );
  }
  return exports;
}
