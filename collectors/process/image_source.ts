/**
 * A process's image digests (`md5sum`, `sha1sum`, `sha256sum`) and PEInfo,
 * computed only when an IOC needs them, through the file collector's lazy
 * source (collectors/file/, which hashes through the hashing wing and parses
 * PE headers with formats/pe). The image is opened through what the source
 * names (`/proc/<pid>/exe` on Linux, so that a deleted image is still read),
 * and each image file, told by (device, inode, size, modification time), is
 * read once per run however many processes run it.
 *
 * @module
 */
import type {
  LazyFieldSource,
  ObservedFields,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import { type ContentContext, FileContentSource } from "../file/mod.ts";

/** ProcessItem's lazy field → the file collector's field (the same facts, other spellings). */
const imageFields: ReadonlyMap<string, string> = new Map([
  ["md5sum", "Md5sum"],
  ["sha1sum", "Sha1sum"],
  ["sha256sum", "Sha256sum"],
  ["peinfo", "PEInfo"],
]);

/** The canonical ProcessItem spelling of each lazy field. */
const processSpelling: ReadonlyMap<string, string> = new Map([
  ["Md5sum", "md5sum"],
  ["Sha1sum", "sha1sum"],
  ["Sha256sum", "sha256sum"],
  ["PEInfo", "PEInfo"],
]);

/** Tells an image file apart from others: `dev:ino:size:mtime`, or throws what stat throws. */
export type ImageIdentity = (openPath: string) => Promise<string>;

/** The identity from `Deno.stat` (following `/proc/<pid>/exe`). */
export const statImageIdentity: ImageIdentity = async (openPath) => {
  const info = await Deno.stat(openPath);
  return `${info.dev}:${info.ino}:${info.size}:${info.mtime?.getTime() ?? ""}`;
};

/** What the image sources of one run share: the file context, and one lazy source per image. */
export class ImageHashing {
  readonly #context: ContentContext;
  readonly #identity: ImageIdentity;
  readonly #byImage = new Map<string, FileContentSource>();

  /** `context.wanted` holds the file collector's spellings (`Md5sum`, `PEInfo`). */
  constructor(context: ContentContext, identity: ImageIdentity = statImageIdentity) {
    this.#context = context;
    this.#identity = identity;
  }

  /** Whether this run computes the ProcessItem field `name` (any case). */
  provides(name: string): boolean {
    const fileField = imageFields.get(name.toLowerCase());
    return fileField !== undefined && this.#context.wanted.has(fileField as never);
  }

  /** How many distinct image files were asked for. */
  get images(): number {
    return this.#byImage.size;
  }

  /** The lazy source of one process's image. */
  sourceFor(imagePath: string, openPath: string): LazyFieldSource {
    return new ProcessImageSource(this, imagePath, openPath);
  }

  /** The shared lazy source of the image behind `openPath`, or why it cannot be told. */
  async fileSource(
    imagePath: string,
    openPath: string,
  ): Promise<FileContentSource | { failure: string }> {
    let identity: string;
    try {
      identity = await this.#identity(openPath);
    } catch (error) {
      const why = `${openPath}: ${error instanceof Error ? error.message : String(error)}`;
      this.#context.reporter.skipped({
        collector: this.#context.collector,
        object: imagePath,
        reason: error instanceof Deno.errors.PermissionDenied ? "unreadable" : "not-found",
        detail: why,
      });
      return { failure: why };
    }
    let source = this.#byImage.get(identity);
    if (source === undefined) {
      source = new FileContentSource(this.#context, imagePath, openPath);
      this.#byImage.set(identity, source);
    }
    return source;
  }
}

/** The lazy image fields of one process. */
class ProcessImageSource implements LazyFieldSource {
  readonly #shared: ImageHashing;
  readonly #imagePath: string;
  readonly #openPath: string;
  #file: FileContentSource | undefined;
  #unevaluated: { [path: string]: string } | undefined;

  constructor(shared: ImageHashing, imagePath: string, openPath: string) {
    this.#shared = shared;
    this.#imagePath = imagePath;
    this.#openPath = openPath;
  }

  provides(name: string): boolean {
    return this.#shared.provides(name);
  }

  async load(names: readonly string[]): Promise<ObservedFields> {
    const wanted = names.filter((name) => this.provides(name));
    if (wanted.length === 0) return {};
    if (this.#file === undefined && this.#unevaluated === undefined) {
      const found = await this.#shared.fileSource(this.#imagePath, this.#openPath);
      if ("failure" in found) {
        this.#unevaluated = Object.fromEntries(
          [...imageFields.keys()].map((
            name,
          ) => [processSpelling.get(imageFields.get(name)!)!, found.failure]),
        );
        return {};
      }
      this.#file = found;
    }
    if (this.#file === undefined) return {};
    const loaded = await this.#file.load(
      wanted.map((name) => imageFields.get(name.toLowerCase())!),
    );
    const fields: ObservedFields = {};
    for (const [fileField, value] of Object.entries(loaded)) {
      fields[processSpelling.get(fileField) ?? fileField] = value;
    }
    return fields;
  }

  unevaluated(): Unevaluated | undefined {
    if (this.#unevaluated !== undefined) return this.#unevaluated;
    const gaps = this.#file?.unevaluated();
    if (gaps === undefined) return undefined;
    const renamed: { [path: string]: string } = {};
    for (const [path, why] of Object.entries(gaps)) {
      const [first, ...rest] = path.split("/");
      renamed[[processSpelling.get(first!) ?? first, ...rest].join("/")] = why;
    }
    return renamed;
  }
}
