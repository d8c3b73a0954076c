/** The test helper that runs the CLI (`tests/_cli.ts`): stdin, environment, streamed events, signals, deadline. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { runCli, runProgram } from "./_cli.ts";
import denoConfig from "../deno.json" with { type: "json" };

Deno.test("runCli: code, stdout and stderr of the real CLI", async () => {
  const run = await runCli(["--version"]);
  deepStrictEqual([run.code, run.signal, run.stdout.trim(), run.stderr], [
    0,
    null,
    denoConfig.version,
    "",
  ]);
});

Deno.test("runProgram: stdin text, added and removed variables, events parsed from stdout", async () => {
  const run = await runProgram("sh", [
    "-c",
    'read line; printf \'{"type":"%s","v":"%s"}\\n\\n{"type":"end","i":"%s"}\\n\' "$line" "$ADDED" "${INIT_CWD-unset}"',
  ], {
    stdin: "hello\n",
    env: { ADDED: "yes", INIT_CWD: "/elsewhere" },
    withoutEnv: ["INIT_CWD", "HOME"],
  });
  strictEqual(run.code, 0, run.stderr);
  deepStrictEqual(run.events, [{ type: "hello", v: "yes" }, { type: "end", i: "/elsewhere" }]);
  const bare = await runProgram("sh", ["-c", 'echo "${HOME-unset}"'], { withoutEnv: ["HOME"] });
  strictEqual(bare.stdout, "unset\n");
});

Deno.test("runProgram: onEvent sees events as they come and may signal; the deadline kills", async () => {
  const seen: string[] = [];
  const run = await runProgram(
    "sh",
    [
      "-c",
      String
        .raw`trap 'echo "{\"type\":\"trapped\"}"; exit 7' TERM; echo '{"type":"ready"}'; while :; do sleep 0.05; done`,
    ],
    {
      deadlineMs: 30_000,
      onEvent: (event, control) => {
        seen.push(event.type);
        if (event.type === "ready") control.kill("SIGTERM");
      },
    },
  );
  deepStrictEqual([run.code, run.late, seen], [7, false, ["ready", "trapped"]]);
  const slow = await runProgram("sleep", ["30"], { deadlineMs: 200 });
  deepStrictEqual([slow.late, slow.signal], [true, "SIGKILL"]);
});

Deno.test("runProgram: a held stdin stays open until closeStdin; onStderr sees stderr so far", async () => {
  let closedAt = "";
  const run = await runProgram("sh", [
    "-c",
    'echo waiting >&2; cat >/dev/null; echo \'{"type":"eof"}\'',
  ], {
    holdStdin: true,
    deadlineMs: 30_000,
    onStderr: (text, control) => {
      if (text.includes("waiting") && closedAt === "") {
        closedAt = text;
        void control.closeStdin();
      }
    },
  });
  deepStrictEqual([run.code, run.late, closedAt, run.events], [0, false, "waiting\n", [{
    type: "eof",
  }]]);
  ok(run.stdoutBytes.length > 0);
});
