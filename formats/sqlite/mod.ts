/**
 * SQLite file-format helpers that need no SQLite: the replay of a
 * write-ahead log onto its database's bytes.
 *
 * @module
 */
export { replayWal, type WalReplay } from "./wal_replay.ts";
