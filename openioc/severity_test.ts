import { strictEqual } from "node:assert/strict";
import { ioc10, ioc11, item11, param11, utf8 } from "./_ioc_fixtures.ts";
import { parseIoc } from "./parse_ioc.ts";
import { iocSeverity, severityOfScore } from "./severity.ts";

const criteria = `<Indicator id="root" operator="OR">` +
  item11("a", "is", "FileItem/FileName", "x.exe") + `</Indicator>`;

function severityOf(xml: string) {
  return iocSeverity(parseIoc(utf8(xml), "t.ioc").document);
}

Deno.test("iocSeverity: a severity parameter wins, then score, then links, else medium", () => {
  strictEqual(severityOf(ioc11(criteria)).severity, "medium");
  strictEqual(severityOf(ioc11(criteria)).source, "default");
  const severity = ioc11(criteria, { parameters: param11("root", "Severity", "HIGH") });
  strictEqual(severityOf(severity).severity, "high");
  strictEqual(severityOf(severity).source, "parameter:severity");
  const score = ioc11(criteria, { parameters: param11("root", "score", "95") });
  strictEqual(severityOf(score).severity, "critical");
  const both = ioc11(criteria, {
    parameters: param11("root", "score", "95") + param11("a", "severity", "low"),
  });
  strictEqual(severityOf(both).severity, "low");
});

Deno.test("iocSeverity: links rel=severity or grade, bad values passed over", () => {
  const head = (links: string) => `  <links>${links}</links>\n`;
  const indicators = `<Indicator id="i" operator="OR"/>`;
  strictEqual(
    severityOf(ioc10(indicators, { head: head(`<link rel="grade">critical</link>`) })).severity,
    "critical",
  );
  strictEqual(
    severityOf(ioc10(indicators, {
      head: head(`<link rel="severity">bogus</link><link rel="grade">30</link>`),
    })).source,
    "link:grade",
  );
  strictEqual(
    severityOf(ioc10(indicators, { head: head(`<link rel="severity">999</link>`) })).severity,
    "medium",
  );
});

Deno.test("severityOfScore: the bands and what is not a score", () => {
  strictEqual(severityOfScore("0"), "informational");
  strictEqual(severityOfScore("10"), "low");
  strictEqual(severityOfScore("40"), "medium");
  strictEqual(severityOfScore("70"), "high");
  strictEqual(severityOfScore("100"), "critical");
  strictEqual(severityOfScore("-1"), undefined);
  strictEqual(severityOfScore("high"), undefined);
});
