import { deepStrictEqual, rejects } from "node:assert/strict";
import type { Collector } from "../collectors/collector.ts";
import type { ObservedItem } from "../contracts/observed_item.ts";
import { observeCollected } from "./observe_collected.ts";

const reporter = { skipped() {}, warning() {}, progress() {} };
const request = { needs: new Map(), reporter };

function item(key: string): ObservedItem {
  return { document: "FileItem", key, fields: {} };
}

/** A collector of `count` objects, in batches of `batch` when `batch` is given. */
function collector(count: number, batch?: number): Collector {
  const items = Array.from({ length: count }, (_, index) => item(`/f${index}`));
  return {
    name: "fake",
    documents: ["FileItem"],
    async *collect() {
      yield* items;
    },
    ...(batch === undefined ? {} : {
      async *collectBatches() {
        for (let at = 0; at < items.length; at += batch) yield items.slice(at, at + batch);
      },
    }),
  };
}

Deno.test("observeCollected() observes every object in order, batched or not", async () => {
  for (const source of [collector(300), collector(300, 128)]) {
    const seen: string[] = [];
    const count = await observeCollected(source, request, {
      observe(object) {
        seen.push(object.key);
        return undefined;
      },
    });
    deepStrictEqual(count, 300);
    deepStrictEqual(seen, Array.from({ length: 300 }, (_, index) => `/f${index}`));
  }
});

Deno.test("observeCollected() keeps at most `concurrency` loads in flight and waits for all", async () => {
  let inFlight = 0;
  let most = 0;
  let finished = 0;
  const count = await observeCollected(collector(100, 32), request, {
    observe(object) {
      // Every third object needs a load; the others are evaluated at once.
      if (Number(object.key.slice(2)) % 3 !== 0) return undefined;
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          inFlight--;
          finished++;
          resolve();
        }, 1)
      );
    },
  }, 4);
  deepStrictEqual(count, 100);
  deepStrictEqual(most, 4);
  deepStrictEqual(finished, 34);
  deepStrictEqual(inFlight, 0);
});

Deno.test("observeCollected() throws the first failure, from a load or from the session", async () => {
  await rejects(
    observeCollected(collector(50, 10), request, {
      observe: (object) =>
        object.key === "/f7" ? Promise.reject(new Error("load broke")) : undefined,
    }),
    /load broke/,
  );
  await rejects(
    observeCollected(collector(50), request, {
      observe(object) {
        if (object.key === "/f3") throw new Error("evaluation broke");
        return undefined;
      },
    }),
    /evaluation broke/,
  );
});
