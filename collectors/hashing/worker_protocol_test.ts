import { deepStrictEqual } from "node:assert/strict";
import type { HashRequest, WorkerAnswer } from "./types.ts";
import {
  type AnswerBatch,
  answerBatch,
  decodeAnswers,
  encodeRequest,
  type RequestBatch,
} from "./worker_protocol.ts";

Deno.test("answerBatch and decodeAnswers carry digests, failures and splits in request order", () => {
  const requests: [HashRequest, boolean][] = [
    [{ path: "/a", algorithms: ["sha256", "md5"], followSymlinks: false }, true],
    [{ path: "/gone", algorithms: ["sha1"], followSymlinks: true, maxSize: 10 }, false],
    [{ path: "/huge", algorithms: ["md5", "sha1"], followSymlinks: false }, true],
    [{ path: "/b", algorithms: ["sha1"], followSymlinks: false, maxSize: 0 }, false],
  ];
  const batch: RequestBatch = {
    paths: requests.map(([request]) => request.path),
    codes: requests.map(([request, split]) =>
      encodeRequest(request.algorithms, request.followSymlinks, split)
    ),
    maxSizes: requests.map(([request]) => request.maxSize ?? -1),
    splitAbove: 1000,
  };
  const seen: HashRequest[] = [];
  const hashOne = (request: HashRequest): WorkerAnswer => {
    seen.push(request);
    if (request.path === "/gone") return { ok: false, reason: "not-found", detail: "no such file" };
    if (request.path === "/huge") return { split: true };
    const digests: Record<string, string> = {};
    for (const algorithm of request.algorithms) {
      digests[algorithm] = `${algorithm}${request.path}`.padEnd(
        { md5: 32, sha1: 40, sha256: 64 }[algorithm],
        "0",
      );
    }
    return { ok: true, digests, bytes: request.path.length };
  };
  const posted: AnswerBatch[] = [];
  // A negative flush interval posts after every request: answers arrive in pieces.
  const oneByOne = (
    requests: readonly HashRequest[],
    settle: (index: number, answer: WorkerAnswer) => void,
  ) => requests.forEach((request, index) => settle(index, hashOne(request)));
  answerBatch(batch, oneByOne, (answers) => posted.push(structuredClone(answers)), -1);
  deepStrictEqual(posted.length, 4);
  deepStrictEqual(seen, [
    { path: "/a", algorithms: ["md5", "sha256"], followSymlinks: false, splitAbove: 1000 },
    { path: "/gone", algorithms: ["sha1"], followSymlinks: true, maxSize: 10 },
    { path: "/huge", algorithms: ["md5", "sha1"], followSymlinks: false, splitAbove: 1000 },
    { path: "/b", algorithms: ["sha1"], followSymlinks: false, maxSize: 0 },
  ]);
  const decoded: WorkerAnswer[] = [];
  for (const answers of posted) {
    const first = decoded.length;
    decodeAnswers(answers, (index) => batch.codes[first + index]!, (index, answer) => {
      decoded[first + index] = answer;
    });
  }
  deepStrictEqual(decoded, [
    {
      ok: true,
      digests: { md5: "md5/a".padEnd(32, "0"), sha256: "sha256/a".padEnd(64, "0") },
      bytes: 2,
    },
    { ok: false, reason: "not-found", detail: "no such file" },
    { split: true },
    { ok: true, digests: { sha1: "sha1/b".padEnd(40, "0") }, bytes: 2 },
  ]);
});

Deno.test("encodeRequest sets one bit per digest and per flag", () => {
  deepStrictEqual(encodeRequest(["md5"], false, false), 1);
  deepStrictEqual(encodeRequest(["sha256", "sha1", "md5"], true, true), 31);
});

Deno.test("answerBatch posts answers settled out of order in request order", () => {
  const batch: RequestBatch = {
    paths: ["/0", "/1", "/2"],
    codes: [1, 1, 1],
    maxSizes: [-1, -1, -1],
    splitAbove: 0,
  };
  const posted: AnswerBatch[] = [];
  const md5 = (digit: string) => digit.repeat(32);
  answerBatch(
    batch,
    (_requests, settle) => {
      settle(2, { ok: true, digests: { md5: md5("2") }, bytes: 2 });
      settle(0, { ok: true, digests: { md5: md5("0") }, bytes: 0 });
      settle(1, { ok: false, reason: "locked", detail: "in use" });
    },
    (answers) => posted.push(structuredClone(answers)),
    -1,
  );
  // Nothing could leave after the first settle; 0 left after the second; 1 and 2 after the third.
  deepStrictEqual(posted, [
    { hex: md5("0"), sizes: [0], failures: [] },
    { hex: md5("2"), sizes: [-1, 2], failures: ["locked", "in use"] },
  ]);
});
