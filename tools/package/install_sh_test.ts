/**
 * deploy/install/install.sh against a small fake package (a module, a launcher, SHA256SUMS) and
 * a temporary prefix and data folder: install, run again, upgrade keeping the data, refuse a
 * damaged package, uninstall keeping or removing the results.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { type ArchiveEntry, EXECUTABLE_MODE, FILE_MODE } from "./archive_entry.ts";
import { sha256Sums, SHA256SUMS_NAME } from "./sha256sums.ts";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const INSTALL_SH = `${root}/deploy/install/install.sh`;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function writePackage(dir: string, version: string): Promise<void> {
  const files: ArchiveEntry[] = [
    {
      path: "IocScan/IocScan.psd1",
      data: encoder.encode(`@{\n    ModuleVersion        = '${version}'\n}\n`),
      mode: FILE_MODE,
    },
    {
      path: "IocScan/iocscan",
      data: encoder.encode(`#!/bin/sh\necho "fake iocscan ${version} $*"\n`),
      mode: EXECUTABLE_MODE,
    },
    { path: "IocScan/bin/deno", data: encoder.encode("#!/bin/sh\n"), mode: EXECUTABLE_MODE },
    { path: "install.sh", data: await Deno.readFile(INSTALL_SH), mode: EXECUTABLE_MODE },
  ];
  files.push({
    path: SHA256SUMS_NAME,
    data: encoder.encode(await sha256Sums(files)),
    mode: FILE_MODE,
  });
  for (const file of files) {
    await Deno.mkdir(`${dir}/${file.path.slice(0, file.path.lastIndexOf("/") + 1)}`, {
      recursive: true,
    });
    await Deno.writeFile(`${dir}/${file.path}`, file.data, { mode: file.mode });
    await Deno.chmod(`${dir}/${file.path}`, file.mode);
  }
}

async function run(command: string, args: string[]) {
  const result = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { PATH: "/usr/bin:/bin" },
    clearEnv: true,
  }).output();
  return {
    code: result.code,
    out: decoder.decode(result.stdout),
    err: decoder.decode(result.stderr),
  };
}

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test("install.sh installs, re-runs, upgrades keeping the data, refuses a damaged package, and uninstalls", async (t) => {
  const work = await Deno.makeTempDir({ prefix: "iocscan-install-" });
  const prefix = `${work}/prefix`;
  const data = `${work}/data`;
  const module = `${prefix}/share/powershell/Modules/IocScan`;
  const where = ["--prefix", prefix, "--data-dir", data];
  try {
    await writePackage(`${work}/v1`, "1.0.0");
    await writePackage(`${work}/v2`, "2.0.0");

    await t.step(
      "a fresh install creates the module, the command link and a 0700 data folder",
      async () => {
        const result = await run(`${work}/v1/install.sh`, where);
        deepStrictEqual(result.code, 0, result.err);
        ok(await exists(`${module}/IocScan.psd1`));
        deepStrictEqual(await Deno.readLink(`${prefix}/bin/iocscan`), `${module}/iocscan`);
        deepStrictEqual(
          (await run(`${prefix}/bin/iocscan`, ["--version"])).out,
          "fake iocscan 1.0.0 --version\n",
        );
        deepStrictEqual((await Deno.stat(data)).mode! & 0o777, 0o700);
        deepStrictEqual((await Deno.stat(`${data}/tasks`)).mode! & 0o777, 0o700);
      },
    );

    await t.step("running it again changes nothing and succeeds", async () => {
      deepStrictEqual((await run(`${work}/v1/install.sh`, where)).code, 0);
      deepStrictEqual(
        (await Array.fromAsync(Deno.readDir(`${prefix}/share/powershell/Modules`))).map((e) =>
          e.name
        ),
        ["IocScan"],
      );
    });

    await t.step(
      "an upgrade replaces the module and keeps the results and task definitions",
      async () => {
        await Deno.writeTextFile(`${data}/iocscan.db`, "results");
        await Deno.writeTextFile(`${data}/tasks/nightly.json`, "{}");
        deepStrictEqual((await run(`${work}/v2/install.sh`, where)).code, 0);
        deepStrictEqual((await run(`${prefix}/bin/iocscan`, [])).out, "fake iocscan 2.0.0 \n");
        deepStrictEqual(await Deno.readTextFile(`${data}/iocscan.db`), "results");
        ok(await exists(`${data}/tasks/nightly.json`));
        ok(!(await exists(`${module}.old`)) && !(await exists(`${module}.new`)));
      },
    );

    await t.step("a damaged package is refused and the installed version stays", async () => {
      await Deno.writeTextFile(`${work}/v1/IocScan/iocscan`, "#!/bin/sh\necho tampered\n");
      const result = await run(`${work}/v1/install.sh`, where);
      deepStrictEqual(result.code, 1);
      ok(result.err.includes("damaged"), result.err);
      deepStrictEqual((await run(`${prefix}/bin/iocscan`, [])).out, "fake iocscan 2.0.0 \n");
    });

    await t.step("bad arguments exit 2", async () => {
      deepStrictEqual((await run(`${work}/v2/install.sh`, ["--frobnicate"])).code, 2);
    });

    await t.step(
      "--uninstall removes the module, the link and the task definitions, and keeps the results",
      async () => {
        deepStrictEqual((await run(`${work}/v2/install.sh`, ["--uninstall", ...where])).code, 0);
        ok(!(await exists(module)));
        ok(!(await exists(`${prefix}/bin/iocscan`)));
        ok(!(await exists(`${data}/tasks`)));
        deepStrictEqual(await Deno.readTextFile(`${data}/iocscan.db`), "results");
      },
    );

    await t.step(
      "--uninstall --remove-results removes the data folder, and a second uninstall succeeds",
      async () => {
        deepStrictEqual(
          (await run(`${work}/v2/install.sh`, ["--uninstall", "--remove-results", ...where])).code,
          0,
        );
        ok(!(await exists(data)));
        deepStrictEqual(
          (await run(`${work}/v2/install.sh`, ["--uninstall", "--remove-results", ...where])).code,
          0,
        );
      },
    );
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
