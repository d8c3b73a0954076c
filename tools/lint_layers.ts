/**
 * `deno task lint:layers`: fails on an import from a lower layer to a higher
 * one and on any import cycle between files.
 *
 * The layers are the table under "## Layers" in docs/architecture.md, lowest
 * first; this script reads that table, so the document is the one definition
 * of the order. The import graph is `deno info --json` over every TypeScript
 * file of the checkout (static, type-only and dynamic imports alike; JSON and
 * text imports are data, not code, and are left out). Test files
 * (`*_test.ts`) may import any layer, since nothing imports them; they still
 * count for cycles. Test helpers (a file or folder whose name starts with `_`)
 * are imported only by tests, other helpers and the top layer (tests/, bench/).
 *
 * @module
 */

/** One row of the layer table: its name and the folders (`engine/`) or files it holds. */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
}

/** One import between two files of the checkout, as paths relative to its root. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** An import the gate lets through for now: who removes it, and why it is still there. */
export interface AllowedImport extends ImportEdge {
  readonly owner: string;
  readonly why: string;
}

/** What the gate found. Any finding fails it. */
export type LayerFinding =
  | { readonly kind: "upward"; readonly from: string; readonly to: string; readonly detail: string }
  | { readonly kind: "cycle"; readonly files: readonly string[]; readonly circle: number }
  | { readonly kind: "unplaced"; readonly file: string }
  | { readonly kind: "helper-import"; readonly from: string; readonly to: string }
  | { readonly kind: "stale-allowance"; readonly from: string; readonly to: string };

/** The document that holds the layer table, relative to the checkout's root. */
export const layerTableDocument = "docs/architecture.md";

/** The heading the layer table sits under. */
const layerTableHeading = "## Layers";

/** Test files: they may import from any layer (they are leaves of the graph). */
const testFilePattern = /_test\.ts$/;

/** Test helpers: a file or folder whose name starts with an underscore (`_ioc_fixtures.ts`, `_testing/`). */
const testHelperPattern = /(^|\/)_[^/]+(\/|\.ts$)/;

/** Source files the graph is built from. */
const sourceFilePattern = /\.(ts|tsx|mts|js|mjs)$/;

/**
 * Imports that break the layers or close a cycle today and are being removed
 * on another branch of issue 14. Each entry names who removes it; the lead
 * deletes the entries at the merge. An entry whose import is gone is itself a
 * finding, so the list cannot outlive what it excuses.
 */
export const allowedImports: readonly AllowedImport[] = [];

/**
 * Reads the layer table: the first Markdown table under `## Layers`, one row a
 * layer, lowest first; the first column names the layer and the second holds
 * its folders and files in backticks.
 *
 * @example
 * ```ts
 * import { parseLayerTable } from "./lint_layers.ts";
 * const layers = parseLayerTable(
 *   "## Layers\n\n| Layer | Paths |\n| - | - |\n| formats | `formats/` |\n| cli | `cli/`, `mod.ts` |\n",
 * );
 * // layers[1] → { name: "cli", paths: ["cli/", "mod.ts"] }
 * ```
 */
export function parseLayerTable(markdown: string): Layer[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === layerTableHeading);
  if (start < 0) throw new Error(`no "${layerTableHeading}" heading`);
  const layers: Layer[] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    if (!line.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const isSeparator = cells.every((cell) => /^:?-+:?$/.test(cell));
    if (!inTable || isSeparator) {
      inTable = true; // the header row, then the separator
      continue;
    }
    const [name = "", pathCell = ""] = cells;
    const paths = [...pathCell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
    if (paths.length === 0) throw new Error(`layer "${name}" names no path`);
    layers.push({ name, paths });
  }
  if (layers.length === 0) throw new Error(`no table under "${layerTableHeading}"`);
  return layers;
}

/**
 * The layer of `file` (its index in `layers`, lowest 0): the layer of the
 * longest path that names the file or a folder holding it; undefined when no
 * layer holds it.
 */
export function layerOf(file: string, layers: readonly Layer[]): number | undefined {
  let best: { index: number; length: number } | undefined;
  layers.forEach((layer, index) => {
    for (const path of layer.paths) {
      const holds = path.endsWith("/") ? file.startsWith(path) : file === path;
      if (holds && (best === undefined || path.length > best.length)) {
        best = { index, length: path.length };
      }
    }
  });
  return best?.index;
}

/**
 * Checks an import graph against the layers: imports to a higher layer, files
 * no layer holds, cycles between files, and allowances whose import is gone.
 *
 * @example
 * ```ts
 * import { checkLayers } from "./lint_layers.ts";
 * const layers = [{ name: "low", paths: ["low/"] }, { name: "high", paths: ["high/"] }];
 * const findings = checkLayers(["low/a.ts", "high/b.ts"], [{ from: "low/a.ts", to: "high/b.ts" }], layers, []);
 * // findings[0].kind === "upward"
 * ```
 */
export function checkLayers(
  files: readonly string[],
  edges: readonly ImportEdge[],
  layers: readonly Layer[],
  allowed: readonly AllowedImport[],
): LayerFinding[] {
  const findings: LayerFinding[] = [];
  const key = (edge: ImportEdge) => `${edge.from}\0${edge.to}`;
  const present = new Set(edges.map(key));
  for (const allowance of allowed) {
    if (!present.has(key(allowance))) {
      findings.push({ kind: "stale-allowance", from: allowance.from, to: allowance.to });
    }
  }
  const excused = new Set(allowed.map(key));
  const checked = edges.filter((edge) => !excused.has(key(edge)));

  for (const file of files) {
    if (layerOf(file, layers) === undefined) findings.push({ kind: "unplaced", file });
  }
  const top = layers.length - 1;
  for (const edge of checked) {
    if (testFilePattern.test(edge.from)) continue;
    const from = layerOf(edge.from, layers);
    if (
      testHelperPattern.test(edge.to) && !testHelperPattern.test(edge.from) && from !== top
    ) {
      findings.push({ kind: "helper-import", from: edge.from, to: edge.to });
    }
    const to = layerOf(edge.to, layers);
    if (from === undefined || to === undefined || to <= from) continue;
    const detail = `${layers[from]?.name} may not import ${layers[to]?.name}`;
    findings.push({ kind: "upward", from: edge.from, to: edge.to, detail });
  }
  for (const cycle of findCycles(checked)) {
    findings.push({ kind: "cycle", files: cycle.path, circle: cycle.circle.length });
  }
  return findings;
}

/**
 * Every import cycle: one per circle of files that reach each other (a
 * strongly connected group), with the group and a shortest closed path
 * through it (`a.ts → b.ts → a.ts`).
 */
export function findCycles(
  edges: readonly ImportEdge[],
): { circle: string[]; path: string[] }[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const targets = next.get(from) ?? [];
    targets.push(to);
    next.set(from, targets);
  }
  return stronglyConnected(next)
    .filter((group) =>
      group.length > 1 || (next.get(group[0] as string) ?? []).includes(group[0] as string)
    )
    .map((group) => ({ circle: group, path: cycleThrough(group, next) }));
}

/** Tarjan's algorithm, iterative (the graph has hundreds of files). */
function stronglyConnected(next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  for (const root of [...next.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; child: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.child < targets.length) {
        const target = targets[frame.child++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, child: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group.sort());
      }
    }
  }
  return groups;
}

/** A shortest closed path from the group's first file back to itself, inside the group. */
function cycleThrough(group: readonly string[], next: ReadonlyMap<string, readonly string[]>) {
  const members = new Set(group);
  const start = group[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (
          let at: string | undefined = node;
          at !== undefined && at !== start;
          at = cameFrom.get(at)
        ) {
          path.splice(1, 0, at);
        }
        return [start, ...path.slice(1), start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [...group];
}

/** One line per finding, for a terminal. */
export function describeFinding(finding: LayerFinding): string {
  switch (finding.kind) {
    case "upward":
      return `upward import: ${finding.from} → ${finding.to} (${finding.detail})`;
    case "cycle":
      return `import cycle: ${finding.files.join(" → ")}` +
        (finding.circle > finding.files.length - 1
          ? ` (one of the cycles among ${finding.circle} files that import each other)`
          : "");
    case "helper-import":
      return `test helper imported by code: ${finding.from} → ${finding.to} (only tests, helpers and ${layerTableDocument}'s top row may)`;
    case "unplaced":
      return `not in any layer: ${finding.file} (add its folder to ${layerTableDocument}, "## Layers")`;
    case "stale-allowance":
      return `allowance no longer needed: ${finding.from} → ${finding.to} (delete it from tools/lint_layers.ts)`;
  }
}

/** The shape of `deno info --json` this script reads. */
interface DenoInfo {
  modules: {
    specifier: string;
    kind?: string;
    dependencies?: { code?: { specifier?: string }; type?: { specifier?: string } }[];
  }[];
}

/**
 * The checkout's import graph: every source file under `root` (but hidden
 * folders and deno.json's `exclude`), and the imports between them.
 */
export async function readImportGraph(
  root: URL,
): Promise<{ files: string[]; edges: ImportEdge[] }> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
    exclude?: string[];
  };
  const excluded = (config.exclude ?? []).map((path) => path.replace(/\/?$/, "/"));
  const files = (await listSources(root, "", excluded)).sort();
  const entry = files.map((file) => `import ${JSON.stringify(new URL(file, root).href)};`).join(
    "\n",
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "info",
      "--json",
      "--config",
      new URL("deno.json", root).pathname,
      `data:application/typescript;base64,${base64(entry)}`,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno info failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as DenoInfo;
  const local = (specifier: string | undefined) =>
    specifier?.startsWith(root.href) ? specifier.slice(root.href.length) : undefined;
  const code = new Set(info.modules.filter((m) => m.kind === "esm").map((m) => m.specifier));
  const edges = new Map<string, ImportEdge>();
  for (const module of info.modules) {
    const from = local(module.specifier);
    if (from === undefined || module.kind !== "esm") continue;
    for (const dependency of module.dependencies ?? []) {
      for (const target of [dependency.code?.specifier, dependency.type?.specifier]) {
        const to = local(target);
        if (to === undefined || !code.has(target as string)) continue;
        edges.set(`${from}\0${to}`, { from, to });
      }
    }
  }
  return { files, edges: [...edges.values()] };
}

/** Base64 of the UTF-8 bytes of `text` (btoa alone takes Latin-1 only). */
function base64(text: string): string {
  return btoa(
    Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join(""),
  );
}

async function listSources(root: URL, folder: string, excluded: readonly string[]) {
  const found: string[] = [];
  for await (const entry of Deno.readDir(new URL(folder || ".", root))) {
    const path = `${folder}${entry.name}`;
    if (entry.name.startsWith(".") || excluded.some((prefix) => `${path}/`.startsWith(prefix))) {
      continue;
    }
    if (entry.isDirectory && entry.name !== "node_modules") {
      found.push(...await listSources(root, `${path}/`, excluded));
    } else if (entry.isFile && sourceFilePattern.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const layers = parseLayerTable(await Deno.readTextFile(new URL(layerTableDocument, root)));
  const { files, edges } = await readImportGraph(root);
  const findings = checkLayers(files, edges, layers, allowedImports);
  for (const finding of findings) console.error(describeFinding(finding));
  const summary = `${files.length} files, ${edges.length} imports, ${layers.length} layers`;
  if (findings.length > 0) {
    console.error(`lint:layers: ${findings.length} finding(s) (${summary})`);
    Deno.exit(1);
  }
  console.error(
    `lint:layers: ok (${summary}; ${allowedImports.length} allowed import(s) left to close)`,
  );
}
