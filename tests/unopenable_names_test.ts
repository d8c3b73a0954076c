/**
 * A file whose name the scan cannot open is a blind spot the evidence's owner
 * chooses: one byte that is not UTF-8 in a name (`invalid-name`), or a path
 * past PATH_MAX (`path-too-long`), hides a file's content from every FileItem
 * term. Such a scan is incomplete (exit 3, INCOMPLETE naming the file), never
 * "No detections." with exit 0. Through the real CLI, on Linux.
 */
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./_cli.ts";

const linux = Deno.build.os === "linux";
const body = "malware-body";

async function md5(text: string): Promise<string> {
  const output = await new Deno.Command("md5sum", { stdin: "piped", stdout: "piped" }).spawn();
  const writer = output.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  return new TextDecoder().decode((await output.output()).stdout).split(" ")[0]!;
}

async function scan(folder: string, tree: string) {
  const ioc = join(folder, "m.ioc");
  await Deno.writeTextFile(
    ioc,
    `<?xml version="1.0"?>
<ioc xmlns="http://schemas.mandiant.com/2010/ioc" id="m-1"><short_description>By hash</short_description>
<definition><Indicator operator="OR" id="i"><IndicatorItem id="a" condition="is">
<Context document="FileItem" search="FileItem/Md5sum" type="mir"/><Content type="md5">${await md5(
      body,
    )}</Content></IndicatorItem></Indicator></definition></ioc>`,
  );
  const output = await runCli([
    "scan",
    "--ioc",
    ioc,
    "--scope",
    tree,
    "--depth",
    "100",
    "--db",
    join(folder, "results.db"),
    "--json",
  ]);
  return { code: output.code, summary: output.events.at(-1)! as Record<string, unknown> };
}

/** Makes `name` (raw bytes allowed) below `parent` through the shell, which takes any bytes. */
async function sh(script: string, cwd: string): Promise<void> {
  const result = await new Deno.Command("sh", { args: ["-c", script], cwd }).output();
  strictEqual(result.code, 0, new TextDecoder().decode(result.stderr));
}

Deno.test({
  name:
    "iocscan scan: a file with a name that is not UTF-8, or a path past PATH_MAX, makes the scan incomplete",
  ignore: !linux,
  fn: async () => {
    const folder = await Deno.makeTempDir({ prefix: "iocscan-names-" });
    try {
      const invalid = join(folder, "invalid");
      await Deno.mkdir(invalid);
      await sh(`printf '${body}' > "$(printf 'mal\\377.exe')"`, invalid);
      const named = await scan(folder, invalid);
      strictEqual(named.code, 3, JSON.stringify(named.summary));
      strictEqual(named.summary.complete, false);
      const entries = named.summary.incomplete as { kind: string; what: string; why: string }[];
      ok(entries.some((e) => e.why.includes("invalid-name")), JSON.stringify(entries));

      const deep = join(folder, "deep");
      await Deno.mkdir(deep);
      // 25 folders of 200 characters: the file's path is past PATH_MAX (4096). Made in a child
      // process that walks down with relative chdir(2), as no absolute path reaches that deep.
      const script = `for (let i = 0; i < 25; i++) { Deno.mkdirSync("${"d".repeat(200)}"); ` +
        `Deno.chdir("${"d".repeat(200)}"); } Deno.writeTextFileSync("mal.exe", "${body}");`;
      const made = await new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        cwd: deep,
        stderr: "piped",
      }).output();
      strictEqual(made.code, 0, new TextDecoder().decode(made.stderr));
      const long = await scan(folder, deep);
      strictEqual(long.code, 3, JSON.stringify(long.summary));
      const longEntries = long.summary.incomplete as { why: string }[];
      ok(longEntries.some((e) => e.why.includes("path-too-long")), JSON.stringify(longEntries));
    } finally {
      await new Deno.Command("rm", { args: ["-rf", folder] }).output();
    }
  },
});
