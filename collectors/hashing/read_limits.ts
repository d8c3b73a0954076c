/**
 * How far a worker reads a file that grows while it is read.
 *
 * @module
 */

/**
 * Bytes a file may grow past the size seen at its open before its read is
 * given up (`changed-while-read`), so that a device swapped in, or a file
 * written without end, cannot keep a worker reading.
 */
export const growthAllowance = 64 * 1024 * 1024;
