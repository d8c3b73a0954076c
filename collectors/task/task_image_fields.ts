/**
 * A task's lazy fields: `md5sum`, `sha1sum`, `sha256sum` of its first
 * `Exec` action's image, and, when an IOC reads an action's own digests
 * (`ActionList/Action/ExecProgramMd5sum`…), the whole `ActionList` with each
 * `Exec` action's digests. Each image is hashed once per run however many
 * tasks run it (collectors/process/'s `ImageHashing`, over the file
 * collector's lazy source).
 *
 * @module
 */
import type {
  FieldValue,
  LazyFieldSource,
  ObservedFields,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import type { ImageHashing } from "../process/mod.ts";
import type { TaskAction } from "./task_record.ts";

/** The digest fields, TaskItem's spelling → an action's spelling. */
const actionDigestFields: readonly (readonly [string, string])[] = [
  ["md5sum", "ExecProgramMd5sum"],
  ["sha1sum", "ExecProgramSha1sum"],
  ["sha256sum", "ExecProgramSha256sum"],
];

/** What one task's lazy fields are made of. */
export interface TaskImageParts {
  readonly hashing: ImageHashing;
  /** The first `Exec` action's program and the file opened for it, when known. */
  readonly program?: string;
  readonly openPath?: string;
  /** The task's actions and their eager fields, when `ActionList` is lazy (action digests asked). */
  readonly actions?: {
    readonly records: readonly TaskAction[];
    readonly fields: readonly { [name: string]: FieldValue }[];
  };
}

/** The lazy fields of one task. */
export class TaskImageFields implements LazyFieldSource {
  readonly #parts: TaskImageParts;
  readonly #main: LazyFieldSource | undefined;
  readonly #gaps: { [path: string]: string } = {};
  readonly #actionSources: (LazyFieldSource | undefined)[] = [];

  constructor(parts: TaskImageParts) {
    this.#parts = parts;
    this.#main = parts.program !== undefined && parts.openPath !== undefined
      ? parts.hashing.sourceFor(parts.program, parts.openPath)
      : undefined;
  }

  provides(name: string): boolean {
    if (name === "ActionList") return this.#parts.actions !== undefined;
    return this.#parts.program !== undefined && this.#parts.hashing.provides(name);
  }

  async load(names: readonly string[]): Promise<ObservedFields> {
    const out: ObservedFields = {};
    const digests = names.filter((name) => name !== "ActionList" && this.provides(name));
    if (digests.length > 0) {
      if (this.#main) Object.assign(out, await this.#main.load(digests));
      else {
        const why = `the program ${this.#parts.program} is not a path iocscan can open here`;
        for (const name of digests) this.#gaps[name] = why;
      }
    }
    if (names.includes("ActionList") && this.#parts.actions) {
      out.ActionList = { Action: await this.#actionList(this.#parts.actions) };
    }
    return out;
  }

  unevaluated(): Unevaluated | undefined {
    const gaps: { [path: string]: string } = { ...this.#main?.unevaluated?.(), ...this.#gaps };
    return Object.keys(gaps).length > 0 ? gaps : undefined;
  }

  async #actionList(
    actions: NonNullable<TaskImageParts["actions"]>,
  ): Promise<{ [name: string]: FieldValue }[]> {
    const wanted = actionDigestFields.filter(([name]) => this.#parts.hashing.provides(name));
    const out: { [name: string]: FieldValue }[] = [];
    for (const [index, record] of actions.records.entries()) {
      const fields = { ...actions.fields[index] };
      if (record.type === "Exec" && record.programPath !== undefined) {
        if (record.openPath === undefined) {
          const why = `the program ${record.programPath} is not a path iocscan can open here`;
          for (const [, field] of wanted) this.#gaps[`ActionList/Action/${field}`] = why;
        } else {
          this.#actionSources[index] ??= this.#parts.hashing.sourceFor(
            record.programPath,
            record.openPath,
          );
          const source = this.#actionSources[index]!;
          const loaded = await source.load(wanted.map(([name]) => name));
          for (const [name, field] of wanted) {
            if (loaded[name] !== undefined) fields[field] = loaded[name];
          }
          for (const [path, why] of Object.entries(source.unevaluated?.() ?? {})) {
            const field = actionDigestFields.find(([name]) => name === path)?.[1];
            if (field !== undefined) this.#gaps[`ActionList/Action/${field}`] = why;
          }
        }
      }
      out.push(fields);
    }
    return out;
  }
}
