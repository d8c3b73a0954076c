import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { IndicatorNode } from "../openioc/model.ts";
import type {
  LazyFieldSource,
  ObservedFields,
  ObservedItem,
  Unevaluated,
} from "../contracts/observed_item.ts";
import { and, ioc, item, or } from "./_model_fixtures.ts";
import { compilePlan } from "./plan.ts";

const verified = "FileItem/PEInfo/DigitalSignature/SignatureVerified";
const notChecked = "signature not checked: digest algorithm 1.2.3 is not supported";

function file(
  key: string,
  fields: ObservedFields,
  unevaluated?: Unevaluated,
  lazy?: LazyFieldSource,
): ObservedItem {
  return {
    document: "FileItem",
    key,
    fields,
    ...(unevaluated ? { unevaluated } : {}),
    ...(lazy ? { lazy } : {}),
  };
}

async function run(roots: IndicatorNode[], objects: ObservedItem[]) {
  const documents = roots.map((root, index) => ioc(root, { id: `ioc-${index}` }));
  const session = compilePlan(documents, { objects: "given" }).createSession();
  for (const object of objects) await session.observe(object);
  const detections = session.finish();
  return {
    detected: detections.map((d) => d.ioc.id),
    undecided: session.undecided().map((u) => ({ id: u.ioc.id, unevaluated: u.unevaluated })),
    session,
  };
}

const unchecked = file("/a.exe", { FileName: "a.exe", PEInfo: { DigitalSignature: {} } }, {
  "PEInfo/DigitalSignature/SignatureVerified": notChecked,
});

Deno.test("MatchSession: an item on a field the object could not evaluate neither holds nor fails", async () => {
  const { detected, undecided } = await run([
    item(verified, "is", "false", { id: "is-false", contentType: "bool" }),
    item(verified, "is", "true", { id: "not-true", negate: true, contentType: "bool" }),
    item(verified, "is", "true", { id: "is-true", contentType: "bool" }),
  ], [unchecked]);
  deepStrictEqual(detected, []);
  deepStrictEqual(
    undecided,
    [0, 1, 2].map((index) => ({
      id: `ioc-${index}`,
      unevaluated: [{
        itemId: ["is-false", "not-true", "is-true"][index]!,
        search: verified,
        reason: notChecked,
        objects: 1,
      }],
    })),
  );
});

Deno.test("MatchSession: a checked signature on another object still decides", async () => {
  const signed = file("/b.exe", { PEInfo: { DigitalSignature: { SignatureVerified: true } } });
  const unsigned = file("/c.exe", { PEInfo: { DigitalSignature: { SignatureVerified: false } } });
  const { detected, undecided } = await run([
    item(verified, "is", "false", { id: "is-false", contentType: "bool" }),
    item(verified, "is", "true", { id: "not-true", negate: true, contentType: "bool" }),
  ], [signed, unchecked, unsigned]);
  // The unsigned file decides both; the unchecked one adds nothing.
  deepStrictEqual(detected, ["ioc-0", "ioc-1"]);
  deepStrictEqual(undecided, []);
  const alone = await run([
    item(verified, "is", "false", { contentType: "bool" }),
    item(verified, "is", "true", { negate: true, contentType: "bool" }),
  ], [signed]);
  deepStrictEqual([alone.detected, alone.undecided], [[], []]);
});

Deno.test("MatchSession: a value the object does carry under an unevaluated path still matches", async () => {
  const partial = file("/d.exe", {
    PEInfo: { ImportedModules: { Module: [{ Name: "kernel32.dll" }] } },
  }, { "PEInfo/ImportedModules": "the import table was cut short" });
  const { detected, undecided } = await run([
    item("FileItem/PEInfo/ImportedModules/Module/Name", "is", "kernel32.dll", { id: "hit" }),
    item("FileItem/PEInfo/ImportedModules/Module/Name", "is", "ws2_32.dll", { id: "miss" }),
    item("FileItem/PEInfo/ImportedModules/Module/Name", "is", "kernel32.dll", {
      id: "negated-hit",
      negate: true,
    }),
  ], [partial]);
  deepStrictEqual(detected, ["ioc-0"]);
  // The miss is not known to be a miss; the negated item is false (a value matched).
  deepStrictEqual(undecided.map((u) => [u.id, u.unevaluated.map((e) => e.itemId)]), [
    ["ioc-1", ["miss"]],
  ]);
});

Deno.test("MatchSession: a same-object group is unknown only where its other items hold", async () => {
  const root = and(
    item("FileItem/FileName", "is", "x.exe", { id: "name" }),
    item("FileItem/Username", "is", "alice", { id: "user", negate: true }),
  );
  const image = { Username: "the owner on a mounted image is not the Windows owner" };
  // Ruled out by its name: the unknown owner does not matter.
  const other = await run([root], [file("/y.exe", { FileName: "y.exe" }, image)]);
  deepStrictEqual([other.detected, other.undecided], [[], []]);
  const named = await run([root], [
    file("/x.exe", { FileName: "x.exe" }, image),
    file("/x2.exe", { FileName: "x.exe" }, image),
  ]);
  deepStrictEqual(named.detected, []);
  deepStrictEqual(named.undecided, [{
    id: "ioc-0",
    unevaluated: [{
      itemId: "user",
      search: "FileItem/Username",
      reason: image.Username,
      objects: 2,
    }],
  }]);
  // The same file with its owner known decides it.
  const live = await run([root], [file("/x.exe", { FileName: "x.exe", Username: "bob" })]);
  deepStrictEqual([live.detected, live.undecided], [["ioc-0"], []]);
});

Deno.test("MatchSession: a group satisfied another way is a detection; its evidence omits unknown items", async () => {
  const root = or(
    and(
      item("FileItem/FileName", "is", "x.exe", { id: "name" }),
      or(
        item("FileItem/Username", "is", "alice", { id: "user", negate: true }),
        item("FileItem/FileExtension", "is", "exe", { id: "ext" }),
      ),
    ),
  );
  const session = compilePlan([ioc(root)], { objects: "given" }).createSession();
  await session.observe(
    file("/x.exe", { FileName: "x.exe", FileExtension: "exe" }, { Username: "not known" }),
  );
  const [detection] = session.finish();
  deepStrictEqual(detection?.evidence.map((e) => e.items.map((i) => i.id)), [["name", "ext"]]);
  deepStrictEqual(session.undecided(), []);
});

Deno.test("MatchSession: unevaluated fields reported by a lazy source after loading are unknown", async () => {
  let loads = 0;
  const lazy: LazyFieldSource = {
    provides: (name) => name === "PEInfo",
    load: () => {
      loads++;
      return Promise.resolve({ PEInfo: { DigitalSignature: { SignatureExists: true } } });
    },
    unevaluated: () => ({ "PEInfo/DigitalSignature/SignatureVerified": notChecked }),
  };
  const { detected, undecided } = await run([
    item(verified, "is", "true", { id: "not-true", negate: true, contentType: "bool" }),
  ], [file("/e.exe", { FileName: "e.exe" }, undefined, lazy)]);
  strictEqual(loads, 1);
  deepStrictEqual(detected, []);
  deepStrictEqual(undecided.map((u) => u.unevaluated.map((e) => e.reason)), [[notChecked]]);
});

Deno.test("MatchSession: fields whose lazy load failed are unknown, not missing", async () => {
  const lazy: LazyFieldSource = {
    provides: (name) => name === "Md5sum",
    load: () => Promise.reject(new Error("disk went away")),
  };
  const { detected, undecided, session } = await run([
    item("FileItem/Md5sum", "is", "0123456789abcdef0123456789abcdef", { id: "md5", negate: true }),
  ], [file("/f.exe", { FileName: "f.exe" }, undefined, lazy)]);
  deepStrictEqual(detected, []);
  deepStrictEqual(undecided.map((u) => u.unevaluated.map((e) => [e.itemId, e.reason])), [
    [["md5", "computing it failed: disk went away"]],
  ]);
  ok(session.warnings.some((w) => w.code === "lazy-load-failed"));
});

Deno.test("MatchSession: distinct reasons per item are capped, the rest counted together", async () => {
  const objects = Array.from(
    { length: 12 },
    (_, index) => file(`/${index}`, { FileName: "x" }, { Username: `reason ${index}` }),
  );
  const { undecided } = await run([
    item("FileItem/Username", "is", "alice", { negate: true }),
  ], objects);
  const entries = undecided[0]!.unevaluated;
  strictEqual(entries.length, 9);
  deepStrictEqual(entries.at(-1)!.reason, "other reasons");
  strictEqual(entries.reduce((sum, e) => sum + e.objects, 0), 12);
});
