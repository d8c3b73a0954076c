/**
 * Rows of the Windows connection tables (windows/layouts/tcp_table_rows.ts)
 * to endpoints, with each owner's image named: pure, so the FFI source and
 * the tests share it.
 *
 * Windows' UDP tables keep no peer: a UDP endpoint's remote address and port
 * are `unevaluated`, never read as "none". A row whose creation FILETIME is 0
 * has `CreationTime` unevaluated. Pid 0 owns no socket (TIME_WAIT rows);
 * pid 4 is the kernel (`System`), which has no image file.
 *
 * @module
 */
import type { WindowsPortRow } from "../../windows/layouts/tcp_table_rows.ts";
import { addressText } from "./ip_text.ts";
import type { PortRecord } from "./port_record.ts";
import { windowsTcpState } from "./tcp_states.ts";

/** What is known of a process's image: its full path, or why it could not be read. */
export type WindowsImage =
  | { readonly imagePath: string }
  | { readonly error: string };

/** Looks up the image of a pid (cached by the caller). */
export type WindowsImageLookup = (pid: number) => WindowsImage;

/** The pid Windows gives sockets no process holds. */
export const noOwnerPid = 0;
/** The pid of the kernel ("System"), which has no image file. */
export const systemPid = 4;
/** The name Windows shows for pid 4. */
export const systemProcessName = "System";

const udpNoPeer = "Windows' UDP tables keep no remote address";

/** The endpoints of decoded rows, observed at `observedAt`. */
export function windowsRowsToRecords(
  rows: readonly WindowsPortRow[],
  imageOf: WindowsImageLookup,
  observedAt: string,
): PortRecord[] {
  return rows.map((row) => {
    const unevaluated: Record<string, string> = {};
    const record: Record<string, unknown> = {
      protocol: row.protocol,
      isIPv6: row.family === "ipv6",
      localIP: addressText(row.localAddress),
      localPort: row.localPort,
      observedAt,
    };
    if (row.remoteAddress !== undefined) {
      record.remoteIP = addressText(row.remoteAddress);
      record.remotePort = row.remotePort;
    } else {
      unevaluated.remoteIP = udpNoPeer;
      unevaluated.remotePort = udpNoPeer;
    }
    if (row.stateCode !== undefined) record.state = windowsTcpState(row.stateCode);
    if (row.creationTime !== undefined) record.creationTime = row.creationTime;
    else unevaluated.CreationTime = "Windows recorded no creation time for this socket";
    Object.assign(record, ownerFields(row.pid, imageOf, unevaluated));
    return { ...record, unevaluated } as unknown as PortRecord;
  });
}

/** The owner fields of a pid, with what could not be read added to `unevaluated`. */
export function ownerFields(
  pid: number,
  imageOf: WindowsImageLookup,
  unevaluated: Record<string, string>,
): Record<string, unknown> {
  if (pid === noOwnerPid) return {};
  if (pid === systemPid) {
    unevaluated.path = "the System process (pid 4) has no image file";
    return { pid, process: systemProcessName };
  }
  const image = imageOf(pid);
  if ("error" in image) {
    const why = `the image of pid ${pid} could not be read: ${image.error}`;
    unevaluated.process = why;
    unevaluated.path = why;
    return { pid };
  }
  const slash = image.imagePath.lastIndexOf("\\");
  if (slash < 0) unevaluated.path = `the image of pid ${pid} has no folder: ${image.imagePath}`;
  return {
    pid,
    process: image.imagePath.slice(slash + 1),
    ...(slash < 0 ? {} : { path: image.imagePath.slice(0, slash) }),
    imagePath: image.imagePath,
  };
}
