/**
 * The import directory and the delay-load import directory.
 *
 * @module
 */
import { hex, type ImageReader, PeBudgetError, PeFormatError, view } from "./image_reader.ts";
import type { DataDirectory } from "./headers.ts";
import type { PeImportedModule } from "./pe_info.ts";
import type { GapList } from "./gap_list.ts";

const importDescriptorSize = 20;
const delayDescriptorSize = 32;
/** More modules than any real image imports from; stops runaway descriptor arrays. */
const maxModules = 4096;
const maxNameLength = 4096;
const thunkBatch = 256;

/** What a module list cut short (damaged or capped) leaves unknown: every module's facts. */
const moduleListFields: readonly string[] = ["ImportedModules"];
/** What a function list cut short leaves unknown: the names, and their count. */
const functionListFields: readonly string[] = [
  "ImportedModules/Module/ImportedFunctions",
  "ImportedModules/Module/NumberOfFunctions",
];

/** Shared budget for imported functions across both import directories. */
export type ImportBudget = { remaining: number };

/**
 * Reads the normal import directory. Stops at the all-zero descriptor, at
 * {@linkcode maxModules}, or at the first unreadable descriptor (with a warning).
 */
export async function readImports(
  reader: ImageReader,
  directory: DataDirectory,
  is64: boolean,
  budget: ImportBudget,
  gaps: GapList,
): Promise<PeImportedModule[]> {
  const modules: PeImportedModule[] = [];
  if (directory.address === 0) return modules;
  for (let index = 0; index < maxModules; index++) {
    const place = `import descriptor ${index} at RVA ${
      hex(directory.address + index * importDescriptorSize)
    }`;
    let descriptor: DataView;
    try {
      descriptor = view(
        await reader.readRva(
          directory.address + index * importDescriptorSize,
          importDescriptorSize,
          place,
        ),
      );
    } catch (error) {
      if (error instanceof PeFormatError) {
        gaps.add("pe-corrupt", `imports: ${error.message}`, moduleListFields);
        return modules;
      }
      throw error;
    }
    const originalFirstThunk = descriptor.getUint32(0, true);
    const nameRva = descriptor.getUint32(12, true);
    const firstThunk = descriptor.getUint32(16, true);
    if (nameRva === 0 && firstThunk === 0) return modules;
    const module = await readModule(
      reader,
      place,
      nameRva,
      originalFirstThunk || firstThunk,
      is64,
      0,
      budget,
      gaps,
    );
    if (module) modules.push(module);
  }
  gaps.add(
    "pe-capped",
    `imports: more than ${maxModules} import descriptors; the rest were ignored`,
    moduleListFields,
  );
  return modules;
}

/**
 * Reads the delay-load import directory. Old (Visual C++ 6) descriptors hold
 * virtual addresses rather than RVAs; `imageBase` converts them.
 */
export async function readDelayImports(
  reader: ImageReader,
  directory: DataDirectory,
  is64: boolean,
  imageBase: number | bigint,
  budget: ImportBudget,
  gaps: GapList,
): Promise<PeImportedModule[]> {
  const modules: PeImportedModule[] = [];
  if (directory.address === 0) return modules;
  const base = typeof imageBase === "bigint" ? 0 : imageBase;
  for (let index = 0; index < maxModules; index++) {
    const place = `delay-load descriptor ${index} at RVA ${
      hex(directory.address + index * delayDescriptorSize)
    }`;
    let descriptor: DataView;
    try {
      descriptor = view(
        await reader.readRva(
          directory.address + index * delayDescriptorSize,
          delayDescriptorSize,
          place,
        ),
      );
    } catch (error) {
      if (error instanceof PeFormatError) {
        gaps.add("pe-corrupt", `delay imports: ${error.message}`, moduleListFields);
        return modules;
      }
      throw error;
    }
    const attributes = descriptor.getUint32(0, true);
    let nameRva = descriptor.getUint32(4, true);
    let nameTableRva = descriptor.getUint32(16, true);
    if (nameRva === 0) return modules;
    // Bit 0 clear: the pre-VC7 layout that stores virtual addresses.
    const adjust = (attributes & 1) === 0 ? base : 0;
    nameRva -= adjust;
    nameTableRva = nameTableRva === 0 ? 0 : nameTableRva - adjust;
    const module = await readModule(
      reader,
      place,
      nameRva,
      nameTableRva,
      is64,
      adjust,
      budget,
      gaps,
    );
    if (module) modules.push(module);
  }
  gaps.add(
    "pe-capped",
    `delay imports: more than ${maxModules} descriptors; the rest were ignored`,
    moduleListFields,
  );
  return modules;
}

async function readModule(
  reader: ImageReader,
  place: string,
  nameRva: number,
  thunkRva: number,
  is64: boolean,
  nameAdjust: number,
  budget: ImportBudget,
  gaps: GapList,
): Promise<PeImportedModule | undefined> {
  let name: string;
  try {
    name = await reader.readCString(nameRva, maxNameLength, `${place}: module name`);
  } catch (error) {
    if (error instanceof PeFormatError) {
      gaps.add("pe-corrupt", `imports: ${error.message}`, moduleListFields);
      return undefined;
    }
    throw error;
  }
  const functions: string[] = [];
  const entrySize = is64 ? 8 : 4;
  let unreadableNames = 0;
  let firstProblem = "";
  if (thunkRva !== 0) {
    try {
      let rva = thunkRva;
      walk: while (true) {
        const batch = await reader.readRvaUpTo(
          rva,
          thunkBatch * entrySize,
          `${place}: thunk table of ${name}`,
        );
        const count = Math.floor(batch.length / entrySize);
        if (count === 0) {
          throw new PeFormatError(`${place}: thunk table of ${name} runs past its section`);
        }
        const batchView = view(batch);
        for (let index = 0; index < count; index++) {
          let byOrdinal: boolean;
          let low: number;
          if (is64) {
            const value = batchView.getBigUint64(index * 8, true);
            if (value === 0n) break walk;
            byOrdinal = (value >> 63n) === 1n;
            low = Number(value & 0x7fffffffn);
          } else {
            const value = batchView.getUint32(index * 4, true);
            if (value === 0) break walk;
            byOrdinal = value >= 0x80000000;
            low = value & 0x7fffffff;
          }
          if (budget.remaining <= 0) {
            gaps.add(
              "pe-capped",
              `imports: imported-function limit reached at ${name}; the rest were ignored`,
              functionListFields,
            );
            break walk;
          }
          budget.remaining--;
          if (byOrdinal) {
            functions.push(`#${low & 0xffff}`);
            continue;
          }
          try {
            // Skip the 2-byte hint before the name.
            functions.push(
              await reader.readCString(
                low - nameAdjust + 2,
                maxNameLength,
                `${place}: function name`,
              ),
            );
          } catch (error) {
            if (error instanceof PeBudgetError) throw error;
            if (!(error instanceof PeFormatError)) throw error;
            unreadableNames++;
            firstProblem ||= error.message;
          }
        }
        rva += count * entrySize;
      }
    } catch (error) {
      if (!(error instanceof PeFormatError)) throw error;
      gaps.add("pe-corrupt", `imports: ${error.message}`, functionListFields);
    }
  }
  if (unreadableNames > 0) {
    gaps.add(
      "pe-corrupt",
      `imports: ${unreadableNames} function names of ${name} unreadable (first: ${firstProblem})`,
      ["ImportedModules/Module/ImportedFunctions"],
    );
  }
  return {
    Name: name,
    NumberOfFunctions: functions.length + unreadableNames,
    ImportedFunctions: { string: functions },
  };
}
