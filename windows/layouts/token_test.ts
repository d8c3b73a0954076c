import { deepStrictEqual, throws } from "node:assert/strict";
import {
  decodeTokenPrivileges,
  enabledPrivileges,
  luidAndAttributes,
  tokenApi,
  tokenPrivileges,
} from "./token.ts";

/** TOKEN_PRIVILEGES built by code: `[luid, attributes]` pairs, the count first. */
function encode(entries: readonly [bigint, number][], count = entries.length): Uint8Array {
  const bytes = new Uint8Array(
    tokenPrivileges.privileges + entries.length * luidAndAttributes.size,
  );
  const view = new DataView(bytes.buffer);
  view.setUint32(tokenPrivileges.privilegeCount, count, true);
  entries.forEach(([luid, attributes], i) => {
    const at = tokenPrivileges.privileges + i * luidAndAttributes.size;
    view.setUint32(at + luidAndAttributes.lowPart, Number(luid & 0xffff_ffffn), true);
    view.setUint32(at + luidAndAttributes.highPart, Number(luid >> 32n), true);
    view.setUint32(at + luidAndAttributes.attributes, attributes, true);
  });
  return bytes;
}

const enabled = tokenApi.sePrivilegeEnabled;
const byDefault = tokenApi.sePrivilegeEnabledByDefault;

Deno.test("decodeTokenPrivileges reads every LUID_AND_ATTRIBUTES, high part included", () => {
  const bytes = encode([
    [20n, enabled], // SeDebugPrivilege, enabled
    [23n, enabled | byDefault], // SeChangeNotifyPrivilege
    [19n, 0], // SeShutdownPrivilege, held but off
    [0x1_0000_0005n, byDefault], // enabled by default but switched off since
  ]);
  deepStrictEqual(decodeTokenPrivileges(bytes), [
    { luid: 20n, attributes: 2 },
    { luid: 23n, attributes: 3 },
    { luid: 19n, attributes: 0 },
    { luid: 0x1_0000_0005n, attributes: 1 },
  ]);
  deepStrictEqual(enabledPrivileges(decodeTokenPrivileges(bytes)).map((p) => p.luid), [20n, 23n]);
  deepStrictEqual(decodeTokenPrivileges(encode([])), []);
});

Deno.test("decodeTokenPrivileges refuses a count the bytes do not hold, never a shorter list", () => {
  throws(() => decodeTokenPrivileges(encode([[20n, enabled]], 2)), RangeError);
  throws(() => decodeTokenPrivileges(new Uint8Array(2)), RangeError);
  // One entry cut short.
  throws(() => decodeTokenPrivileges(encode([[20n, enabled]]).subarray(0, 10)), RangeError);
});
