/**
 * The Service Control Manager's numbers (`Start`, `Type`, service states) and
 * the names ServiceItem and DriverItem give them, as data.
 *
 * @module
 */

/** The key of the live current control set's services, as an analyst writes it. */
export const liveServicesKey = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services";

/** `Start` → ServiceItem `mode`. */
export const startModes: ReadonlyMap<number, string> = new Map([
  [0, "SERVICE_BOOT_START"],
  [1, "SERVICE_SYSTEM_START"],
  [2, "SERVICE_AUTO_START"],
  [3, "SERVICE_DEMAND_START"],
  [4, "SERVICE_DISABLED"],
]);

/** `Type` bits → their names, the service bits first. */
export const typeBits: readonly (readonly [number, string])[] = [
  [0x10, "SERVICE_WIN32_OWN_PROCESS"],
  [0x20, "SERVICE_WIN32_SHARE_PROCESS"],
  [0x1, "SERVICE_KERNEL_DRIVER"],
  [0x2, "SERVICE_FILE_SYSTEM_DRIVER"],
  [0x4, "SERVICE_ADAPTER"],
  [0x8, "SERVICE_RECOGNIZER_DRIVER"],
  [0x40, "SERVICE_USER_SERVICE"],
  [0x80, "SERVICE_USERSERVICE_INSTANCE"],
  [0x100, "SERVICE_INTERACTIVE_PROCESS"],
];

/** The `Type` bits of a service: a process the SCM starts. */
export const serviceTypeMask = 0x30;
/** The `Type` bits of a kernel driver (kernel, file system, recognizer). */
export const driverTypeMask = 0x0b;

/** `dwCurrentState` → ServiceItem `status`. */
export const serviceStates: ReadonlyMap<number, string> = new Map([
  [1, "SERVICE_STOPPED"],
  [2, "SERVICE_START_PENDING"],
  [3, "SERVICE_STOP_PENDING"],
  [4, "SERVICE_RUNNING"],
  [5, "SERVICE_CONTINUE_PENDING"],
  [6, "SERVICE_PAUSE_PENDING"],
  [7, "SERVICE_PAUSED"],
]);

/** The names of a `Type` value's bits, joined by ` | ` (the number in hex when none is known). */
export function typeName(type: number): string {
  const names = typeBits.filter(([bit]) => (type & bit) !== 0).map(([, name]) => name);
  return names.length > 0 ? names.join(" | ") : `0x${type.toString(16)}`;
}

/** Whether a `Type` value is a service, a driver, or neither (an adapter, say). */
export function kindOfType(type: number): "service" | "driver" | undefined {
  if ((type & serviceTypeMask) !== 0) return "service";
  if ((type & driverTypeMask) !== 0) return "driver";
  return undefined;
}
