/**
 * The byte layouts of the connection tables that iphlpapi's
 * `GetExtendedTcpTable` and `GetExtendedUdpTable` fill, for the classes
 * `TCP_TABLE_OWNER_MODULE_ALL` and `UDP_TABLE_OWNER_MODULE` (x64 and x86 alike:
 * every member is a fixed-size integer). One definition of each offset, size
 * and constant; `tcp_table_rows.ts` decodes with them and the port collector's
 * FFI source (collectors/port/windows_source.ts) calls with them.
 *
 * A table is `DWORD dwNumEntries` followed by the rows; the rows hold a
 * `LARGE_INTEGER`, so they start at the next 8-byte boundary: offset 8, not 4.
 * Addresses (`DWORD` for IPv4, `UCHAR[16]` for IPv6) are in network byte
 * order; a port is a `DWORD` whose first two bytes are the port in network
 * byte order; the creation time is a FILETIME (100 ns since 1601-01-01 UTC),
 * 0 when Windows did not record one.
 *
 * Checked (review, 2026-12-07) against the structure pages on learn.microsoft.com
 * (`ns-tcpmib-mib_tcprow_owner_module`, `ns-tcpmib-mib_tcp6row_owner_module`,
 * `ns-udpmib-mib_udprow_owner_module`, `ns-udpmib-mib_udp6row_owner_module`):
 * member order and types as above, `LARGE_INTEGER` aligned to 8 (hence the
 * padding before `liCreateTimestamp` in the UDP rows and after `dwFlags`),
 * `TCPIP_OWNING_MODULE_SIZE` = 16; the `TCP_TABLE_CLASS` / `UDP_TABLE_CLASS`
 * values from their enum pages.
 *
 * @module
 */

/** `AF_INET`: the IPv4 table. */
export const afInet = 2;
/** `AF_INET6`: the IPv6 table. */
export const afInet6 = 23;
/** `TCP_TABLE_OWNER_MODULE_ALL`: listeners and connections, with owner pid and creation time. */
export const tcpTableOwnerModuleAll = 8;
/** `UDP_TABLE_OWNER_MODULE`: UDP endpoints with owner pid and creation time. */
export const udpTableOwnerModule = 2;
/** `NO_ERROR`. */
export const noError = 0;
/** `ERROR_INSUFFICIENT_BUFFER`: the size argument now holds the size needed. */
export const errorInsufficientBuffer = 122;

/** Where the rows of any of the four tables start (after `dwNumEntries`, aligned to 8). */
export const tableRowsOffset = 8;
/** Where `dwNumEntries` sits. */
export const tableCountOffset = 0;

/** The bytes of `OwningModuleInfo` (`ULONGLONG[TCPIP_OWNING_MODULE_SIZE]`, 16 of them). */
export const owningModuleInfoSize = 16 * 8;

/** `MIB_TCPROW_OWNER_MODULE`: one IPv4 TCP row. */
export const tcpRowOwnerModule = {
  size: 32 + owningModuleInfoSize,
  state: 0,
  localAddr: 4,
  localPort: 8,
  remoteAddr: 12,
  remotePort: 16,
  owningPid: 20,
  createTimestamp: 24,
  owningModuleInfo: 32,
} as const;

/** `MIB_TCP6ROW_OWNER_MODULE`: one IPv6 TCP row. */
export const tcp6RowOwnerModule = {
  size: 64 + owningModuleInfoSize,
  localAddr: 0,
  localScopeId: 16,
  localPort: 20,
  remoteAddr: 24,
  remoteScopeId: 40,
  remotePort: 44,
  state: 48,
  owningPid: 52,
  createTimestamp: 56,
  owningModuleInfo: 64,
} as const;

/** `MIB_UDPROW_OWNER_MODULE`: one IPv4 UDP row (no remote address: Windows keeps none). */
export const udpRowOwnerModule = {
  size: 32 + owningModuleInfoSize,
  localAddr: 0,
  localPort: 4,
  owningPid: 8,
  createTimestamp: 16,
  flags: 24,
  owningModuleInfo: 32,
} as const;

/** `MIB_UDP6ROW_OWNER_MODULE`: one IPv6 UDP row (no remote address either). */
export const udp6RowOwnerModule = {
  size: 48 + owningModuleInfoSize,
  localAddr: 0,
  localScopeId: 16,
  localPort: 20,
  owningPid: 24,
  createTimestamp: 32,
  flags: 40,
  owningModuleInfo: 48,
} as const;

/** The bytes of an address: `DWORD` for IPv4, `UCHAR[16]` for IPv6. */
export const addressSize = { ipv4: 4, ipv6: 16 } as const;

/** Seconds from the FILETIME epoch (1601-01-01) to the Unix epoch. */
export const fileTimeEpochOffsetSeconds = 11_644_473_600n;
/** FILETIME ticks (100 ns) per millisecond. */
export const fileTimeTicksPerMillisecond = 10_000n;
