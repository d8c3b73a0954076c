import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { parseIoc } from "../../../openioc/parse_ioc.ts";
import { ioc11, item11, utf8 } from "../../../openioc/_ioc_fixtures.ts";
import { stringListPatterns } from "./string_list_patterns.ts";

function documentOf(items: string) {
  return parseIoc(utf8(ioc11(`<Indicator id="root" operator="OR">${items}</Indicator>`)), "t.ioc")
    .document;
}

Deno.test("stringListPatterns takes the contains/is items of ProcessItem/StringList/string, with their case rule", () => {
  const document = documentOf(
    item11("a", "contains", "ProcessItem/StringList/string", "Evil-Mutex") +
      item11("b", "is", "ProcessItem/StringList/string", "Exact", { preserveCase: true }) +
      item11("c", "matches", "ProcessItem/StringList/string", "ev[i]l") +
      item11("d", "contains", "FileItem/StringList/string", "not-a-process") +
      item11("e", "contains", "processitem/stringlist/STRING", "lower-cased term") +
      item11("f", "contains", "ProcessItem/StringList/string", "   "),
  );
  const { patterns, unanswerable } = stringListPatterns([document]);
  deepStrictEqual(patterns, [
    { text: "Evil-Mutex", caseSensitive: false, condition: "contains" },
    { text: "Exact", caseSensitive: true, condition: "is" },
    { text: "lower-cased term", caseSensitive: false, condition: "contains" },
  ]);
  deepStrictEqual(unanswerable.map((item) => item.id), ["c"]);
});

Deno.test("stringListPatterns of IOCs without the term is empty", () => {
  const document = documentOf(item11("a", "is", "ProcessItem/name", "x.exe"));
  strictEqual(stringListPatterns([document]).patterns.length, 0);
});
