import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { join } from "node:path";
import { findIocFiles } from "./ioc_files.ts";

Deno.test("findIocFiles() never opens FIFOs and reports names that are not UTF-8", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "good.ioc"), "<ioc/>");
    await Deno.writeTextFile(join(dir, "notes.txt"), "not an IOC");
    const fifo = join(dir, "pipe.ioc");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    await new Deno.Command("bash", {
      args: ["-c", `printf '<ioc/>' > "$1"/$'bad\\xffname.ioc'`, "-", dir],
    }).output();

    const walked = await findIocFiles([dir]);
    assertEquals(walked.files, [join(dir, "good.ioc")]);
    assertEquals(walked.warnings.map((warning) => warning.code).sort(), [
      "invalid-name",
      "not-a-regular-file",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
