/**
 * The x64 layouts of the Service Control Manager structures the service
 * collector reads over FFI (advapi32): `ENUM_SERVICE_STATUS_PROCESSW` (an
 * array of them, from `EnumServicesStatusExW(SC_ENUM_PROCESS_INFO)`) and
 * `QUERY_SERVICE_CONFIGW` (from `QueryServiceConfigW`), and the constants
 * of those calls. Their strings are pointers into the same buffer.
 *
 * @module
 */

/** The access and selection constants of the calls. */
export const scm = {
  SC_MANAGER_CONNECT: 0x0001,
  SC_MANAGER_ENUMERATE_SERVICE: 0x0004,
  SERVICE_QUERY_CONFIG: 0x0001,
  SC_ENUM_PROCESS_INFO: 0,
  /** SERVICE_WIN32 (own and shared processes). */
  SERVICE_WIN32: 0x30,
  /** SERVICE_DRIVER (kernel, file system, recognizer). */
  SERVICE_DRIVER: 0x0b,
  SERVICE_STATE_ALL: 3,
  ERROR_MORE_DATA: 234,
  ERROR_INSUFFICIENT_BUFFER: 122,
} as const;

/**
 * `ENUM_SERVICE_STATUS_PROCESSW` (x64): two string pointers, then `SERVICE_STATUS_PROCESS`
 * inline, nine DWORDs (type, state, controls, exit codes, check point, wait hint, process id,
 * flags): 8 + 8 + 36 = 52, padded to 56. As declared at
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-enum_service_status_processw
 * and https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_status_process
 * (services_decode_test.ts derives these offsets from the declarations).
 */
export const enumServiceStatusProcess = {
  size: 56,
  serviceName: 0,
  displayName: 8,
  serviceType: 16,
  currentState: 20,
  processId: 44,
  serviceFlags: 48,
} as const;

/**
 * `QUERY_SERVICE_CONFIGW` (x64): three DWORDs, 4 bytes of padding, two string pointers, `dwTagId`
 * and 4 bytes of padding, three string pointers. As declared at
 * https://learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-query_service_configw
 */
export const queryServiceConfig = {
  size: 64,
  serviceType: 0,
  startType: 4,
  errorControl: 8,
  binaryPathName: 16,
  loadOrderGroup: 24,
  tagId: 32,
  dependencies: 40,
  serviceStartName: 48,
  displayName: 56,
} as const;
