import { strictEqual } from "node:assert/strict";
import { decodeEntities } from "./rendered_xml.ts";

Deno.test("decodeEntities replaces the XML entities and leaves other names as written", () => {
  strictEqual(decodeEntities("&lt;a&gt; &amp;&quot;&apos; &#65;&#x42;"), `<a> &"' AB`);
  strictEqual(decodeEntities("&constructor; &toString; &nbsp;"), "&constructor; &toString; &nbsp;");
});
