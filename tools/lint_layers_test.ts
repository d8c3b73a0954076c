import { deepStrictEqual, ok } from "node:assert/strict";
import {
  allowedImports,
  checkLayers,
  describeFinding,
  type ImportEdge,
  type Layer,
  layerOf,
  layerTableDocument,
  parseLayerTable,
  readImportGraph,
} from "./lint_layers.ts";

const layers: Layer[] = [
  { name: "ground", paths: ["low/shared.ts"] },
  { name: "low", paths: ["low/"] },
  { name: "high", paths: ["high/", "main.ts"] },
];

Deno.test("layerOf takes the longest path that holds the file", () => {
  deepStrictEqual(layerOf("low/shared.ts", layers), 0);
  deepStrictEqual(layerOf("low/parse.ts", layers), 1);
  deepStrictEqual(layerOf("main.ts", layers), 2);
  deepStrictEqual(layerOf("elsewhere/x.ts", layers), undefined);
});

Deno.test("checkLayers reports an import from a lower layer to a higher one, and no other", () => {
  const edges: ImportEdge[] = [
    { from: "high/cli.ts", to: "low/parse.ts" },
    { from: "low/parse.ts", to: "low/shared.ts" },
    { from: "low/parse.ts", to: "high/cli.ts" },
    { from: "low/parse_test.ts", to: "high/cli.ts" },
  ];
  const files = ["high/cli.ts", "low/parse.ts", "low/shared.ts", "low/parse_test.ts"];
  const findings = checkLayers(files, edges, layers, []);
  deepStrictEqual(findings.filter((finding) => finding.kind === "upward"), [
    { kind: "upward", from: "low/parse.ts", to: "high/cli.ts", detail: "low may not import high" },
  ]);
});

Deno.test("checkLayers reports a cycle inside one layer as a closed path", () => {
  const edges: ImportEdge[] = [
    { from: "low/a.ts", to: "low/b.ts" },
    { from: "low/b.ts", to: "low/c.ts" },
    { from: "low/c.ts", to: "low/a.ts" },
    { from: "low/c.ts", to: "low/shared.ts" },
  ];
  const findings = checkLayers(["low/a.ts", "low/b.ts", "low/c.ts"], edges, layers, []);
  deepStrictEqual(findings, [
    { kind: "cycle", files: ["low/a.ts", "low/b.ts", "low/c.ts", "low/a.ts"], circle: 3 },
  ]);
  ok(describeFinding(findings[0]!).startsWith("import cycle: low/a.ts → low/b.ts"));
});

Deno.test("checkLayers reports a test helper imported by code, and lets tests, helpers and the top layer import it", () => {
  const edges: ImportEdge[] = [
    { from: "low/parse.ts", to: "low/_fixtures.ts" },
    { from: "low/parse_test.ts", to: "low/_fixtures.ts" },
    { from: "low/_testing/builder.ts", to: "low/_fixtures.ts" },
    { from: "high/cli.ts", to: "low/_testing/builder.ts" },
    { from: "main.ts", to: "low/_fixtures.ts" },
  ];
  const files = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))];
  deepStrictEqual(checkLayers(files, edges, layers, []), [
    { kind: "helper-import", from: "low/parse.ts", to: "low/_fixtures.ts" },
  ]);
});

Deno.test("checkLayers reports a file no layer holds", () => {
  deepStrictEqual(checkLayers(["stray/x.ts"], [], layers, []), [
    { kind: "unplaced", file: "stray/x.ts" },
  ]);
});

Deno.test("checkLayers lets an allowed import through, and reports an allowance whose import is gone", () => {
  const allowed = [
    { from: "low/b.ts", to: "low/a.ts", owner: "someone", why: "closing" },
    { from: "low/gone.ts", to: "high/cli.ts", owner: "someone", why: "closed" },
  ];
  const edges: ImportEdge[] = [
    { from: "low/a.ts", to: "low/b.ts" },
    { from: "low/b.ts", to: "low/a.ts" },
  ];
  deepStrictEqual(checkLayers(["low/a.ts", "low/b.ts"], edges, layers, allowed), [
    { kind: "stale-allowance", from: "low/gone.ts", to: "high/cli.ts" },
  ]);
});

Deno.test("parseLayerTable reads the rows under ## Layers, lowest first", () => {
  const markdown = [
    "# Doc",
    "| not | this |",
    "## Layers",
    "",
    "| Layer | Paths | Holds |",
    "| ----- | ----- | ----- |",
    "| ground | `a/x.ts`, `w/` | shared |",
    "| top | `cli/` | commands |",
    "",
    "| other | table |",
  ].join("\n");
  deepStrictEqual(parseLayerTable(markdown), [
    { name: "ground", paths: ["a/x.ts", "w/"] },
    { name: "top", paths: ["cli/"] },
  ]);
});

Deno.test("the checkout keeps its layers and has no import cycle (deno task lint:layers)", async () => {
  const root = new URL("../", import.meta.url);
  const table = parseLayerTable(await Deno.readTextFile(new URL(layerTableDocument, root)));
  const { files, edges } = await readImportGraph(root);
  ok(files.includes("cli/main.ts") && edges.length > files.length);
  deepStrictEqual(checkLayers(files, edges, table, allowedImports).map(describeFinding), []);
});
