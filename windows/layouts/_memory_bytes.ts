/**
 * Builds `MEMORY_BASIC_INFORMATION` bytes with code, as `VirtualQueryEx`
 * would write them (64-bit, little-endian): the recorded outputs of the
 * layout's tests. A test helper.
 *
 * @module
 */
import {
  type MemoryBasicInformation,
  memoryBasicInformationOffsets,
  memoryBasicInformationSize,
} from "./memory.ts";

/** The bytes of one `MEMORY_BASIC_INFORMATION`, padding and `PartitionId` filled with `fill`. */
export function encodeMemoryBasicInformation(
  record: MemoryBasicInformation,
  fill = 0,
): Uint8Array {
  const bytes = new Uint8Array(memoryBasicInformationSize).fill(fill);
  const view = new DataView(bytes.buffer);
  const at = memoryBasicInformationOffsets;
  view.setBigUint64(at.baseAddress, record.baseAddress, true);
  view.setBigUint64(at.allocationBase, record.allocationBase, true);
  view.setUint32(at.allocationProtect, record.allocationProtect, true);
  view.setUint32(at.state, record.state, true);
  view.setUint32(at.protect, record.protect, true);
  view.setUint32(at.type, record.type, true);
  view.setBigUint64(at.regionSize, record.regionSize, true);
  return bytes;
}
