/**
 * The lazy image fields of services and drivers: digests, PEInfo and the
 * signature as the file collector gives them (collectors/file/'s
 * `FileContentSource`, hashing through the hashing wing), under the names
 * each document gives them (`pathmd5sum`, `serviceDLLSignatureVerified`,
 * DriverItem's `Md5sum` and `PEInfo`). Computed only when an IOC needs them;
 * each file is read once per run however many entries name it.
 *
 * @module
 */
import type { CollectorReporter } from "../collector.ts";
import type {
  FieldValue,
  LazyFieldSource,
  ObservedFields,
  Unevaluated,
} from "../../contracts/observed_item.ts";
import {
  type ContentHasher,
  createInProcessHasher,
  createWorkerHasher,
  FileContentSource,
  type FileFieldName,
  type FileOpener,
} from "../file/mod.ts";
import { hostFileOpener } from "../hashing/mod.ts";

/** One lazy field of a document: which file field it reads, and where below it. */
export interface ImageField {
  /** The document's field, e.g. `pathmd5sum`. */
  readonly name: string;
  /** Which of the object's files it reads: `path`, `serviceDLL`, or `` for the only one. */
  readonly file: string;
  /** The file collector's field it comes from: `Md5sum`, `Sha1sum`, `Sha256sum` or `PEInfo`. */
  readonly fileField: FileFieldName;
  /** The path below `fileField`, e.g. `DigitalSignature/SignatureExists`; none for the whole. */
  readonly below?: string;
}

/** The image fields of one file a document names (the image, the service DLL). */
export function imageFieldsWithPrefix(prefix: string): ImageField[] {
  const signature = (name: string, below: string): ImageField => ({
    name: `${prefix}${name}`,
    file: prefix,
    fileField: "PEInfo",
    below: `DigitalSignature/${below}`,
  });
  return [
    { name: `${prefix}md5sum`, file: prefix, fileField: "Md5sum" },
    { name: `${prefix}sha1sum`, file: prefix, fileField: "Sha1sum" },
    { name: `${prefix}sha256sum`, file: prefix, fileField: "Sha256sum" },
    signature("SignatureExists", "SignatureExists"),
    signature("SignatureVerified", "SignatureVerified"),
    signature("SignatureDescription", "Description"),
    signature("CertificateSubject", "CertificateSubject"),
    signature("CertificateIssuer", "CertificateIssuer"),
  ];
}

/** How one collect run reads images: who hashes, who opens, and what is asked. */
export interface ImageReading {
  readonly collector: string;
  readonly reporter: CollectorReporter;
  /** Tests give an opener (and then hash in this thread). */
  readonly opener?: FileOpener;
  /** Hash workers; 0 hashes in this thread. Default 2. */
  readonly hashWorkers?: number;
  /** Whether a symbolic link is followed to the image (no below a mounted root). */
  readonly followSymlinks: boolean;
}

/** The images of one collect run: one file source per file, one hasher for all. */
export class ImageFiles {
  readonly #reading: ImageReading;
  readonly #fields: readonly ImageField[];
  readonly #wanted: ReadonlySet<FileFieldName>;
  readonly #byPath = new Map<string, FileContentSource>();
  #hasher: ContentHasher | undefined;

  /**
   * @param fields Every lazy field of the document.
   * @param needs The document's top-level fields the IOCs use (any case).
   */
  constructor(reading: ImageReading, fields: readonly ImageField[], needs: ReadonlySet<string>) {
    this.#reading = reading;
    const lower = new Set([...needs].map((name) => name.toLowerCase()));
    this.#fields = fields.filter((field) => lower.has(field.name.toLowerCase()));
    this.#wanted = new Set(this.#fields.map((field) => field.fileField));
  }

  /** Whether any lazy field is asked for at all. */
  get active(): boolean {
    return this.#fields.length > 0;
  }

  /** How many distinct image files were asked for. */
  get images(): number {
    return this.#byPath.size;
  }

  /**
   * The lazy source of one object. `files` maps each file (an
   * {@linkcode ImageField.file}) to where it is (`path` shown, `open`
   * opened) or to why it cannot be read; a file it does not name has no
   * fields (a service without a DLL).
   */
  sourceFor(
    files: ReadonlyMap<string, { path: string; open: string } | { unreadable: string }>,
  ): LazyFieldSource | undefined {
    if (!this.active) return undefined;
    const bound: BoundField[] = [];
    for (const field of this.#fields) {
      const file = files.get(field.file);
      if (file === undefined) continue;
      if ("unreadable" in file) bound.push({ field, unreadable: file.unreadable });
      else bound.push({ field, source: this.#source(file.path, file.open) });
    }
    return bound.length === 0 ? undefined : new MappedImageSource(bound);
  }

  /** Ends the run's hash workers. */
  release(): void {
    this.#hasher?.release();
  }

  #source(path: string, open: string): FileContentSource {
    let source = this.#byPath.get(open);
    if (source === undefined) {
      const reading = this.#reading;
      const opener = reading.opener ?? hostFileOpener();
      this.#hasher ??= reading.hashWorkers === 0 || reading.opener !== undefined
        ? createInProcessHasher(opener)
        : createWorkerHasher({ workers: reading.hashWorkers ?? 2 });
      source = new FileContentSource(
        {
          hasher: this.#hasher,
          opener,
          wanted: this.#wanted,
          followSymlinks: reading.followSymlinks,
          reporter: reading.reporter,
          collector: reading.collector,
          countBytes() {},
        },
        path,
        open,
      );
      this.#byPath.set(open, source);
    }
    return source;
  }
}

type BoundField =
  | { field: ImageField; source: FileContentSource }
  | { field: ImageField; unreadable: string };

/** One object's lazy image fields. */
class MappedImageSource implements LazyFieldSource {
  readonly #bound: readonly BoundField[];
  readonly #gaps: { [path: string]: string } = {};

  constructor(bound: readonly BoundField[]) {
    this.#bound = bound;
  }

  provides(name: string): boolean {
    const lower = name.toLowerCase();
    return this.#bound.some(({ field }) => field.name.toLowerCase() === lower);
  }

  async load(names: readonly string[]): Promise<ObservedFields> {
    const lower = new Set(names.map((name) => name.toLowerCase()));
    const fields: ObservedFields = {};
    for (const bound of this.#bound) {
      const { field } = bound;
      if (!lower.has(field.name.toLowerCase())) continue;
      if ("unreadable" in bound) {
        this.#gaps[field.name] = bound.unreadable;
        continue;
      }
      const loaded = await bound.source.load([field.fileField]);
      const value = pick(loaded[field.fileField], field.below);
      const full = field.below === undefined
        ? field.fileField
        : `${field.fileField}/${field.below}`;
      let whole: string | undefined;
      for (const [path, why] of Object.entries(bound.source.unevaluated() ?? {})) {
        const lower = path.toLowerCase();
        const mine = full.toLowerCase();
        if (lower === mine || mine.startsWith(`${lower}/`)) whole = why;
        else if (lower.startsWith(`${mine}/`)) {
          // A part of the field is unknown: its known parts count, the gap keeps its path.
          this.#gaps[`${field.name}${path.slice(full.length)}`] = why;
        }
      }
      if (whole !== undefined) this.#gaps[field.name] = whole;
      else if (value !== undefined) fields[field.name] = value;
    }
    return fields;
  }

  unevaluated(): Unevaluated | undefined {
    return Object.keys(this.#gaps).length === 0 ? undefined : { ...this.#gaps };
  }
}

/** The value at `below` (`/`-separated) inside `value`. */
function pick(value: FieldValue, below: string | undefined): FieldValue {
  if (below === undefined) return value;
  let current: FieldValue = value;
  for (const part of below.split("/")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    if (current instanceof Date) return undefined;
    current = (current as { [name: string]: FieldValue })[part];
  }
  return current;
}
