import { deepStrictEqual } from "node:assert/strict";
import { join } from "node:path";
import { findIocFiles } from "./ioc_files.ts";

Deno.test("findIocFiles() never opens FIFOs, refusing them, and reports names that are not UTF-8", async () => {
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
    deepStrictEqual(walked.files, [join(dir, "good.ioc")]);
    deepStrictEqual(walked.warnings.map((warning) => warning.code), ["invalid-name"]);
    // An IOC-named FIFO is an IOC input that cannot be read: refused, so the load rejects it.
    deepStrictEqual(walked.refused, [{
      file: fifo,
      error: "not a regular file (a FIFO, socket or device is never opened)",
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
