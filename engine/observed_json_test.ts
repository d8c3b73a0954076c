import { deepStrictEqual } from "node:assert/strict";
import { parseObservedJson } from "./observed_json.ts";

Deno.test("parseObservedJson() keeps integers beyond 2^53 exact, as bigints", () => {
  deepStrictEqual(
    parseObservedJson('{"a":9007199254740993,"b":-18446744073709551615,"c":[1,2.5,1e300]}'),
    { a: 9007199254740993n, b: -18446744073709551615n, c: [1, 2.5, 1e300] },
  );
  deepStrictEqual(parseObservedJson('{"a":9007199254740991,"s":"9007199254740993"}'), {
    a: 9007199254740991,
    s: "9007199254740993",
  });
});
