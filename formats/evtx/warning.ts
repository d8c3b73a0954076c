/**
 * Damage the EVTX reader worked around.
 *
 * @module
 */

/** One problem found while reading an EVTX file; parsing went on past it. */
export interface EvtxWarning {
  /**
   * Stable code: `evtx-not-evtx`, `evtx-header-crc`, `evtx-truncated`,
   * `evtx-chunk-signature`, `evtx-chunk-zero`, `evtx-chunk-header-crc`,
   * `evtx-chunk-data-crc`, `evtx-record-corrupt`, `evtx-record-decode`.
   */
  code: string;
  /** What was found and what the reader did about it. */
  message: string;
  /** Byte offset in the file. */
  offset: number;
}
