/**
 * The registry collector's descriptor: hive files and mounted roots of
 * offline evidence, or the live registry on Windows.
 *
 * @module
 */
import { iocItems } from "../../openioc/mod.ts";
import { documentsOfCollector } from "../../openioc/term_catalogue.ts";
import type { CollectorDescriptor } from "../collector_descriptor.ts";

/** The registry collector: RegistryItem objects from the default key set and the keys IOCs name. */
export const registryDescriptor: CollectorDescriptor = {
  name: "registry",
  documents: documentsOfCollector("registry"),
  sources: ["live-windows", "offline"],
  options: [
    {
      key: "registryKeys",
      kind: "strings",
      flag: "--registry-key",
      value: "paths",
      help: "registry keys to read beyond the default key set",
    },
    { key: "registryFull", kind: "flag", flag: "--registry-full", help: "read the whole registry" },
  ],
  async build(task, evidence, platform) {
    // Only Windows has a live registry; elsewhere hives or a mounted root are needed.
    if (evidence.hives.length === 0 && evidence.roots.length === 0 && platform !== "windows") {
      return { noSource: "no hive and no mounted root, and no live registry on this platform" };
    }
    const { createRegistryCollector, registryKeyPathsOf } = await import(
      "../../collectors/registry/mod.ts"
    );
    return {
      collector: createRegistryCollector({
        hives: [...evidence.hives],
        roots: [...evidence.roots],
        registryKeys: task.registryKeys ?? [],
        registryFull: task.registryFull ?? false,
        iocKeyPaths: registryKeyPathsOf(
          evidence.documents.flatMap((document) => iocItems(document)),
        ),
      }),
    };
  },
};
