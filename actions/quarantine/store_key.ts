/**
 * The store's per-install key: 32 random bytes in `<store>/key`, mode 0600, made once. It is
 * written whole to a temporary file created exclusively (`O_EXCL`), synced, then linked to its
 * name (a link fails when the name exists): two processes opening a new store at once end with
 * one key, and nobody ever reads a half-written one. The key is never printed or logged.
 *
 * The key neuters copies (no scanner re-detects them, nobody runs one by accident) and binds the
 * chunks of a copy together; it is not a secret from root, who can read it.
 *
 * @module
 */
import { join } from "node:path";
import { syncFolder } from "./durable_file.ts";

/** The key's file name in the store. */
export const KEY_FILE = "key";
/** AES-256. */
export const KEY_BYTES = 32;
const KEY_FILE_MODE = 0o600;
const GROUP_AND_OTHERS = 0o077;

/**
 * Reads the store's key, creating it when the store has none.
 *
 * @throws Error when the key file is a link, has the wrong size, or others may read it.
 */
export async function loadStoreKey(dir: string): Promise<Uint8Array<ArrayBuffer>> {
  const path = join(dir, KEY_FILE);
  try {
    return await readKey(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const temporary = join(dir, `${KEY_FILE}.${crypto.randomUUID()}.tmp`);
  const handle = await Deno.open(temporary, { write: true, createNew: true, mode: KEY_FILE_MODE });
  try {
    await handle.write(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
    await handle.sync();
  } finally {
    handle.close();
  }
  try {
    await Deno.link(temporary, path);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  } finally {
    await Deno.remove(temporary);
  }
  await syncFolder(dir);
  return await readKey(path);
}

async function readKey(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const info = await Deno.lstat(path);
  if (info.isSymlink || !info.isFile) {
    throw new Error(`the quarantine key ${path} is not a regular file; the store is not used`);
  }
  if (Deno.build.os !== "windows") {
    const uid = Deno.uid();
    if (info.uid !== uid && info.uid !== 0) {
      throw new Error(`the quarantine key ${path} belongs to another user (uid ${info.uid})`);
    }
    if (((info.mode ?? 0) & GROUP_AND_OTHERS) !== 0) {
      throw new Error(
        `the quarantine key ${path} is readable or writable by other users (mode 0${
          ((info.mode ?? 0) & 0o777).toString(8)
        }); the store is not used`,
      );
    }
  }
  const bytes = await Deno.readFile(path);
  if (bytes.length !== KEY_BYTES) {
    throw new Error(`the quarantine key ${path} is ${bytes.length} bytes, not ${KEY_BYTES}`);
  }
  return new Uint8Array(bytes);
}
