/**
 * The hash worker's entry: serves the pool from this worker's global scope
 * (worker_program.ts). The pool does not load this file: it starts workers
 * from `hash_worker_source.ts`, this module and everything it imports bundled
 * into one text by `hash_worker_source_write.ts`.
 *
 * @module
 */
import { serveHashWorker, type WorkerScope } from "./worker_program.ts";

serveHashWorker(self as unknown as WorkerScope);
