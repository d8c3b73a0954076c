/**
 * An object read from offline evidence never names the machine that scans
 * it: the analyst's workstation is not the image's computer. Services,
 * drivers and browser history below a mounted root, through the real CLI,
 * with an IOC that hits each, and the evidence checked for `computer`.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { buildSystemHive } from "../collectors/service/_service_fixtures.ts";
import { writeChromiumHistory } from "../collectors/url_history/_browser_databases.ts";

const ioc = `<?xml version="1.0" encoding="utf-8"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="offline-provenance" last-modified="2026-12-07T00:00:00">
  <short_description>a service, a driver and a visit of the image</short_description>
  <definition>
    <Indicator operator="OR" id="root">
      <IndicatorItem id="s" condition="is"><Context document="ServiceItem" search="ServiceItem/name" type="mir"/><Content type="string">EvilSvc</Content></IndicatorItem>
      <IndicatorItem id="d" condition="is"><Context document="DriverItem" search="DriverItem/DriverName" type="mir"/><Content type="string">rootkit</Content></IndicatorItem>
      <IndicatorItem id="u" condition="contains"><Context document="UrlHistoryItem" search="UrlHistoryItem/URL" type="mir"/><Content type="string">badcdn.test</Content></IndicatorItem>
    </Indicator>
  </definition>
</ioc>
`;

Deno.test("objects of offline evidence (services, drivers, browser history) name no computer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-offline-provenance-" });
  try {
    const root = join(dir, "image");
    const config = join(root, "Windows", "System32", "config");
    await Deno.mkdir(config, { recursive: true });
    await Deno.writeFile(join(config, "SYSTEM"), buildSystemHive());
    const edge = join(
      root,
      "Users",
      "dave",
      "AppData",
      "Local",
      "Microsoft",
      "Edge",
      "User Data",
      "Default",
    );
    await Deno.mkdir(edge, { recursive: true });
    writeChromiumHistory(join(edge, "History"), [
      { url: "https://dl.badcdn.test/stage2/loader.bin", time: Date.UTC(2026, 0, 1) },
    ]);
    await Deno.writeTextFile(join(dir, "offline.ioc"), ioc);
    const run = await runCli<LooseEvent>([
      "scan",
      "--ioc",
      join(dir, "offline.ioc"),
      "--root",
      root,
      "--db",
      join(dir, "results.db"),
      "--json",
    ]);
    const evidence = run.events.filter((event) => event.type === "detection")
      .flatMap((detection) => detection.evidence);
    deepStrictEqual(
      [...new Set(evidence.map((part: LooseEvent) => part.document))].sort(),
      ["DriverItem", "ServiceItem", "UrlHistoryItem"],
      run.stderr,
    );
    for (const part of evidence) {
      ok(!("computer" in part), `${part.document} ${part.object} names ${part.computer}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
