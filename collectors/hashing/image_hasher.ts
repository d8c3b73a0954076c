/**
 * The hasher of the images a host collector reads (a process's, a task's,
 * an autostart entry's): in this thread when a test asks for no workers or
 * brings its own opener, else a worker pool, started at once when digests
 * will be wanted so its start-up overlaps the listing.
 *
 * @example
 * ```ts ignore
 * import { createImageHasher } from "./mod.ts";
 * const hasher = createImageHasher({ hashWorkers: 2 }, true);
 * // … hash images …
 * hasher.release();
 * ```
 *
 * @module
 */
import { hostFileOpener } from "./file_opener.ts";
import { createInProcessHasher } from "./in_process_hasher.ts";
import type { ContentHasher, FileOpener } from "./types.ts";
import { createWorkerHasher } from "./worker_pool.ts";

/** How a host collector hashes: its workers (0: this thread) and, in tests, its opener. */
export interface ImageHasherOptions {
  readonly hashWorkers?: number;
  readonly opener?: FileOpener;
}

/** Makes the hasher; `digestsWanted` starts it at once. */
export function createImageHasher(
  options: ImageHasherOptions,
  digestsWanted: boolean,
): ContentHasher {
  const hasher = options.hashWorkers === 0 || options.opener !== undefined
    ? createInProcessHasher(options.opener ?? hostFileOpener())
    : createWorkerHasher({ workers: options.hashWorkers ?? 2 });
  if (digestsWanted) hasher.prepare();
  return hasher;
}
