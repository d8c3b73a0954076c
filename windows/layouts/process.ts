/**
 * The byte layouts of the Windows structures the process collector reads
 * (64-bit Windows): `SYSTEM_PROCESS_INFORMATION` of
 * `NtQuerySystemInformation(SystemProcessInformation)`,
 * `SYSTEM_HANDLE_INFORMATION_EX` and its `SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX`
 * entries of `NtQuerySystemInformation(SystemExtendedHandleInformation)`,
 * the `UNICODE_STRING` at the head of `OBJECT_NAME_INFORMATION`,
 * `OBJECT_TYPE_INFORMATION` and `ProcessCommandLineInformation`, and the
 * constants of those calls. One definition of each offset: the decoders
 * (process_decode.ts), the FFI source and the tests' encoder read them here.
 *
 * Offsets follow the public definitions (phnt, the Windows SDK's winternl.h)
 * for x64; they have not been checked against a live Windows yet. Checked
 * (review, 2026-12-07) against phnt's `ntexapi.h` layout of
 * `SYSTEM_PROCESS_INFORMATION` (`WorkingSetPrivateSize`, `HardFaultCount`,
 * `NumberOfThreadsHighWatermark`, `CycleTime` before `CreateTime` at 0x20;
 * `BasePriority` padded to 8 before `UniqueProcessId` at 0x50; the I/O
 * counters end at 0x100, where the threads start) and
 * `SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX` (`CreatorBackTraceIndex` at 0x1c, 0x28
 * bytes with the trailing `Reserved`), as in Process Hacker / System Informer.
 *
 * @module
 */

/** `UNICODE_STRING` (x64): `Length` and `MaximumLength` in bytes, then a pointer. */
export const unicodeString = {
  size: 16,
  length: 0x00,
  maximumLength: 0x02,
  buffer: 0x08,
} as const;

/** `SYSTEM_PROCESS_INFORMATION` (x64), the fields read. Records chain by `nextEntryOffset`. */
export const systemProcessInformation = {
  /** Bytes to the next record; 0 on the last. */
  nextEntryOffset: 0x00,
  numberOfThreads: 0x04,
  /** `LARGE_INTEGER` FILETIME (100 ns since 1601-01-01 UTC). */
  createTime: 0x20,
  /** `LARGE_INTEGER`, 100 ns units. */
  userTime: 0x28,
  /** `LARGE_INTEGER`, 100 ns units. */
  kernelTime: 0x30,
  /** `UNICODE_STRING`: the image's file name (no folder); empty for the idle process. */
  imageName: 0x38,
  /** `HANDLE`: the pid. */
  uniqueProcessId: 0x50,
  /** `HANDLE`: the parent's pid. */
  inheritedFromUniqueProcessId: 0x58,
  handleCount: 0x60,
  sessionId: 0x64,
  /** The size of the fixed part (the thread records follow). */
  size: 0x100,
} as const;

/** `SYSTEM_HANDLE_INFORMATION_EX` (x64): a count, a reserved word, then the entries. */
export const systemHandleInformationEx = {
  /** `ULONG_PTR` NumberOfHandles. */
  numberOfHandles: 0x00,
  /** Where the first entry starts. */
  handles: 0x10,
} as const;

/** `SYSTEM_HANDLE_TABLE_ENTRY_INFO_EX` (x64). */
export const systemHandleTableEntryInfoEx = {
  size: 0x28,
  /** `PVOID` kernel address of the object. */
  object: 0x00,
  /** `ULONG_PTR` the owning pid. */
  uniqueProcessId: 0x08,
  /** `ULONG_PTR` the handle's value in its process. */
  handleValue: 0x10,
  /** `ULONG` access mask. */
  grantedAccess: 0x18,
  /** `USHORT` the index of the object's type. */
  objectTypeIndex: 0x1e,
  /** `ULONG` attributes. */
  handleAttributes: 0x20,
} as const;

/** Information classes and flags of the calls. */
export const processApi = {
  /** `SYSTEM_INFORMATION_CLASS` SystemProcessInformation. */
  systemProcessInformation: 5,
  /** `SYSTEM_INFORMATION_CLASS` SystemExtendedHandleInformation. */
  systemExtendedHandleInformation: 64,
  /** `PROCESSINFOCLASS` ProcessCommandLineInformation (Windows 8.1+). */
  processCommandLineInformation: 60,
  /** `OBJECT_INFORMATION_CLASS` ObjectNameInformation. */
  objectNameInformation: 1,
  /** `OBJECT_INFORMATION_CLASS` ObjectTypeInformation. */
  objectTypeInformation: 2,
  /** `STATUS_INFO_LENGTH_MISMATCH`: the buffer is too small. */
  statusInfoLengthMismatch: 0xc0000004,
  /** `STATUS_BUFFER_TOO_SMALL`. */
  statusBufferTooSmall: 0xc0000023,
  /** `STATUS_BUFFER_OVERFLOW` (a warning: part of the data). */
  statusBufferOverflow: 0x80000005,
  processQueryLimitedInformation: 0x1000,
  processDupHandle: 0x0040,
  tokenQuery: 0x0008,
  /** `TOKEN_INFORMATION_CLASS` TokenUser. */
  tokenUser: 1,
  /** `DUPLICATE_SAME_ACCESS`. */
  duplicateSameAccess: 0x2,
  /** `ERROR_INSUFFICIENT_BUFFER`. */
  errorInsufficientBuffer: 122,
  /** `ERROR_ACCESS_DENIED`. */
  errorAccessDenied: 5,
} as const;

/** The handle buffer: start at 4 MiB, grow by 4 MiB up to 32 MiB on `STATUS_INFO_LENGTH_MISMATCH`. */
export const handleBuffer = {
  initialBytes: 4 << 20,
  growBytes: 4 << 20,
  maxBytes: 32 << 20,
} as const;

/** The process buffer: start at 1 MiB, double up to 64 MiB on `STATUS_INFO_LENGTH_MISMATCH`. */
export const processBuffer = {
  initialBytes: 1 << 20,
  maxBytes: 64 << 20,
} as const;

/**
 * Access masks of file handles on which `NtQueryObject(ObjectNameInformation)`
 * is known to block (synchronous named pipes): their names are not asked.
 */
export const blockingFileAccessMasks: readonly number[] = [
  0x0012019f,
  0x001a019f,
  0x00120189,
  0x00100000,
];

/** 100 ns intervals between 1601-01-01 and 1970-01-01 (FILETIME → Unix time). */
export const fileTimeEpochOffset = 116_444_736_000_000_000n;
