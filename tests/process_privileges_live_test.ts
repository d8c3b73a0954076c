/**
 * `ProcessItem/EnabledPrivilege/Name` on this Linux machine, through the real
 * CLI: a `sleep` started by the test is read back with its effective
 * capabilities (`CapEff`) named as `<linux/capability.h>` names them, an IOC
 * naming one of them hits it, and one naming the Windows `SeDebugPrivilege`
 * does not (Linux has no Windows privileges). The CLI runs in a child
 * process, since the `test` permission set cannot read `/proc`.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { type LooseEvent, runCli } from "./_cli.ts";
import { effectiveCapabilitiesOf } from "../collectors/process/linux_capabilities.ts";

const linux = Deno.build.os === "linux";

/** A 1.1 IOC: `pid is <pid> AND EnabledPrivilege/Name is <name>`. */
function privilegeIoc(pid: number, name: string): string {
  const item = (id: string, search: string, value: string) =>
    `<IndicatorItem id="${id}" condition="is" preserve-case="false" negate="false">` +
    `<Context document="ProcessItem" search="ProcessItem/${search}" type="mir"/>` +
    `<Content type="string">${value}</Content></IndicatorItem>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="priv-${name}" last-modified="2026-12-07T00:00:00Z">
  <metadata><short_description>${name}</short_description><authored_by>test</authored_by>
  <authored_date>2026-12-07T00:00:00Z</authored_date><links/></metadata>
  <criteria><Indicator id="top" operator="AND">${item("p", "pid", String(pid))}${
    item("n", "EnabledPrivilege/Name", name)
  }</Indicator></criteria>
  <parameters/>
</OpenIOC>`;
}

Deno.test({
  name:
    "collect process and scan: a live process's effective capabilities are its enabled privileges",
  ignore: !linux,
  async fn() {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-privileges-" });
    const sleeper = new Deno.Command("sleep", { args: ["600"], stdin: "null", stdout: "null" })
      .spawn();
    try {
      const status = await new Deno.Command("cat", { args: [`/proc/${sleeper.pid}/status`] })
        .output();
      const expected = effectiveCapabilitiesOf(new TextDecoder().decode(status.stdout));
      ok(expected !== undefined, "the sleep's status has a CapEff line");

      const collected = await runCli<LooseEvent>(["collect", "process", "--json"]);
      const item = collected.events.find((event) =>
        event.type === "item" && event.document === "ProcessItem" &&
        event.fields.pid === sleeper.pid
      );
      ok(item !== undefined, `pid ${sleeper.pid} not listed`);
      const fields = item.fields;
      deepStrictEqual(
        fields.EnabledPrivilege.map((privilege: { Name: string }) => privilege.Name),
        expected,
      );

      const scan = async (name: string) => {
        const ioc = join(folder, `${name}.ioc`);
        await Deno.writeTextFile(ioc, privilegeIoc(sleeper.pid, name));
        const out = await runCli<LooseEvent>([
          "scan",
          "--ioc",
          ioc,
          "--db",
          join(folder, `${name}.db`),
          "--json",
        ]);
        return { code: out.code, summary: out.events.find((event) => event.type === "summary") };
      };
      const windows = await scan("SeDebugPrivilege");
      deepStrictEqual([windows.code, windows.summary?.detections], [0, 0]);
      if (expected.length > 0) {
        const hit = await scan(expected.at(-1)!);
        deepStrictEqual([hit.code, hit.summary?.detections], [1, 1]);
      } else {
        console.error("this test runs without capabilities: the hit case is not shown");
      }
    } finally {
      sleeper.kill("SIGKILL");
      await sleeper.status;
      await Deno.remove(folder, { recursive: true });
    }
  },
});
