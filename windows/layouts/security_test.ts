import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { decodeLuid, encodeEnablePrivilege } from "./security.ts";
import { decodeTokenPrivileges, tokenApi } from "./token.ts";

Deno.test("encodeEnablePrivilege builds one enabled LUID_AND_ATTRIBUTES that token.ts reads back", () => {
  deepStrictEqual(decodeTokenPrivileges(encodeEnablePrivilege(18n)), [
    { luid: 18n, attributes: tokenApi.sePrivilegeEnabled },
  ]);
  deepStrictEqual(decodeTokenPrivileges(encodeEnablePrivilege(0x7_0000_0008n)), [
    { luid: 0x7_0000_0008n, attributes: tokenApi.sePrivilegeEnabled },
  ]);
  strictEqual(encodeEnablePrivilege(18n).byteLength, 16);
});

Deno.test("decodeLuid reads LowPart and HighPart", () => {
  const bytes = new Uint8Array([18, 0, 0, 0, 1, 0, 0, 0]);
  strictEqual(decodeLuid(bytes), 0x1_0000_0012n);
  throws(() => decodeLuid(bytes.subarray(0, 7)), RangeError);
});
