import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { builtinCollectors, documentsOfCollector } from "../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "./collector_descriptor.ts";
import { collectorDescriptor, collectorDescriptors, registerCollector } from "./collector_list.ts";

Deno.test("collectorDescriptors: one per built-in collector of the catalogue, named as it is", () => {
  deepStrictEqual(collectorDescriptors.map((descriptor) => descriptor.name), [
    ...builtinCollectors,
  ]);
  strictEqual(collectorDescriptor("Registry")?.name, "registry");
  strictEqual(collectorDescriptor("prefetch"), undefined);
  strictEqual(collectorDescriptor("disk")?.name, "disk");
});

Deno.test("collectorDescriptors: each builds a collector with its name and documents, from the catalogue", async () => {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-descriptor-" });
  try {
    for (const descriptor of collectorDescriptors) {
      deepStrictEqual(descriptor.documents, documentsOfCollector(descriptor.name));
      // Offline evidence for a collector that reads it, else the live host it reads.
      const offline = descriptor.sources.includes("offline");
      // Collectors' own evidence options (the disk collector's images) name a file each.
      const task = { version: 1 as const, iocPaths: [], endpointNetwork: true, diskImages: [dir] };
      const outcome = await descriptor.build(
        task,
        { evtx: [], hives: [], roots: offline ? [dir] : [], offline, documents: [] },
        offline || descriptor.sources.includes("live-linux") ? "linux" : "windows",
      );
      if (!offline) {
        const mixed = await descriptor.build(
          { version: 1, iocPaths: [] },
          { evtx: [], hives: [], roots: [dir], offline: true, documents: [] },
          "linux",
        );
        ok("noSource" in mixed, `${descriptor.name} read the live system in an offline scan`);
      }
      if (!("collector" in outcome)) throw new Error(`${descriptor.name}: ${outcome.noSource}`);
      strictEqual(outcome.collector.name, descriptor.name);
      deepStrictEqual(outcome.collector.documents, descriptor.documents);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectorDescriptors: the live host-table collectors never read the live host in an offline scan", async () => {
  for (const name of ["dns", "arp", "route"]) {
    const descriptor = collectorDescriptor(name)!;
    deepStrictEqual(descriptor.sources, ["live-windows", "live-linux"]);
    const offline = await descriptor.build(
      { version: 1, iocPaths: [] },
      { evtx: [], hives: [], roots: ["/mnt/image"], offline: true, documents: [] },
      "linux",
    );
    deepStrictEqual(offline, {
      noSource: "a scan of offline evidence never reads the live host's tables",
    });
    deepStrictEqual(
      await descriptor.build(
        { version: 1, iocPaths: [] },
        { evtx: [], hives: [], roots: [], offline: false, documents: [] },
        "darwin",
      ),
      { noSource: "no live source on darwin" },
    );
  }
});

Deno.test("collectorDescriptors: options have one key and one flag each", () => {
  const options = collectorDescriptors.flatMap((descriptor) => descriptor.options);
  strictEqual(new Set(options.map((option) => option.key)).size, options.length);
  strictEqual(new Set(options.map((option) => option.flag)).size, options.length);
});

Deno.test("registerCollector() refuses a taken name, a document the catalogue gives another collector, and a taken flag", () => {
  const toy: CollectorDescriptor = {
    name: "prefetch",
    documents: ["PrefetchItem"],
    sources: ["live-linux"],
    options: [],
    build: () => Promise.resolve({ noSource: "toy" }),
  };
  throws(() => registerCollector({ ...toy, name: "file" }), /already registered/);
  throws(
    () => registerCollector({ ...toy, documents: ["FileItem"] }),
    /does not assign FileItem/,
  );
  throws(
    () =>
      registerCollector({
        ...toy,
        options: [{ key: "x", kind: "flag", flag: "--registry-full", help: "" }],
      }),
    /is taken/,
  );
  throws(() => registerCollector({ ...toy, name: "UrlHistory" }), /lower-case/);
});
