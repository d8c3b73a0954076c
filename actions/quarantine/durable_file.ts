/**
 * Writes that survive a crash or a power loss: a file written whole to a temporary name, synced,
 * renamed over its final name, and its folder synced (so the rename itself is on disk).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Syncs a folder's entries (a rename or a new name in it) to disk; a no-op on Windows. */
export async function syncFolder(folder: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const handle = await Deno.open(folder, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/** The temporary name `finalPath` is written under before its rename. */
export function temporaryName(finalPath: string): string {
  return join(dirname(finalPath), `${basename(finalPath)}.tmp`);
}

/** Writes `bytes` to `path` durably (temporary name, sync, rename, folder sync), mode 0600. */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = temporaryName(path);
  await Deno.remove(temporary).catch(() => {});
  const handle = await Deno.open(temporary, { write: true, createNew: true, mode: 0o600 });
  try {
    let written = 0;
    while (written < bytes.length) written += await handle.write(bytes.subarray(written));
    await handle.sync();
  } finally {
    handle.close();
  }
  await Deno.rename(temporary, path);
  await syncFolder(dirname(path));
}

/** Removes `path` when it exists; true when something was removed. */
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
