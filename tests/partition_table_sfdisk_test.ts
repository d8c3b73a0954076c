/**
 * The partition-table parser against `sfdisk` (util-linux, Debian's `fdisk`
 * package): images partitioned by sfdisk on a file, the partition list the
 * parser reads compared with `sfdisk --json` of the same file. Skips loudly
 * when sfdisk is missing.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { byteSourceFromBytes } from "../formats/byte_source.ts";
import { parsePartitionTable } from "../formats/partition_table/mod.ts";

const sfdisk = await (async () => {
  try {
    const out = await new Deno.Command("sfdisk", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success ? "sfdisk" : undefined;
  } catch {
    return undefined;
  }
})();
if (sfdisk === undefined) {
  console.error(
    "\n*** SKIPPING the sfdisk comparison: sfdisk (apt-get install -y fdisk) is not installed ***\n",
  );
}

interface SfdiskPartition {
  node: string;
  start: number;
  size: number;
  type: string;
  uuid?: string;
  name?: string;
  bootable?: boolean;
}

async function partitioned(script: string, megabytes: number) {
  const dir = await Deno.makeTempDir({ prefix: "iocscan-sfdisk-" });
  const image = join(dir, "disk.img");
  await Deno.writeFile(image, new Uint8Array(megabytes << 20));
  const child = new Deno.Command("sfdisk", {
    args: ["-q", "--no-reread", "--no-tell-kernel", image],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const status = await child.output();
  strictEqual(status.code, 0, new TextDecoder().decode(status.stderr));
  const json = await new Deno.Command("sfdisk", { args: ["--json", image], stdout: "piped" })
    .output();
  strictEqual(json.code, 0);
  const table = JSON.parse(new TextDecoder().decode(json.stdout)).partitiontable as {
    label: string;
    id: string;
    partitions: SfdiskPartition[];
  };
  const bytes = await Deno.readFile(image);
  await Deno.remove(dir, { recursive: true });
  return { table, parsed: await parsePartitionTable(byteSourceFromBytes(bytes)) };
}

/** The partition number sfdisk gives in its node name (`disk.img5` → 5). */
const numberOf = (node: string) => Number(/(\d+)$/.exec(node)![1]);

Deno.test({
  name:
    "parsePartitionTable: an MBR made by sfdisk (primaries, extended, logicals) reads as sfdisk --json lists it",
  ignore: sfdisk === undefined,
  fn: async () => {
    const { table, parsed } = await partitioned(
      [
        "label: dos",
        "start=2048,size=2048,type=7,bootable",
        "start=4096,size=2048,type=83",
        "start=6144,size=1024,type=82",
        "start=8192,type=5",
        "start=8194,size=1000,type=83",
        "start=10240,size=2000,type=7",
        "start=14336,size=1000,type=8e",
        "",
      ].join("\n"),
      12,
    );
    strictEqual(parsed.scheme, "mbr");
    strictEqual(parsed.diskSignature, table.id);
    deepStrictEqual(
      parsed.partitions.map((p) => [p.number, p.startLba, p.sectors, p.typeId, p.bootable]),
      table.partitions.map((p) => [
        numberOf(p.node),
        p.start,
        p.size,
        `0x${p.type.padStart(2, "0")}`,
        p.bootable === true,
      ]),
    );
    strictEqual(parsed.partitions.filter((p) => p.role === "logical").length, 3);
    deepStrictEqual(parsed.problems, []);
  },
});

Deno.test({
  name:
    "parsePartitionTable: a GPT made by sfdisk (EFI System, basic data, Linux) reads as sfdisk --json lists it",
  ignore: sfdisk === undefined,
  fn: async () => {
    const { table, parsed } = await partitioned(
      [
        "label: gpt",
        'start=2048,size=4096,type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B,name="EFI system partition"',
        'start=6144,size=4096,type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7,name="Basic data"',
        "start=10240,size=6144,type=0FC63DAF-8483-4772-8E79-3D69D8477DE4,name=root",
        "",
      ].join("\n"),
      10,
    );
    strictEqual(parsed.scheme, "gpt");
    strictEqual(parsed.diskGuid, table.id.toLowerCase());
    deepStrictEqual(
      parsed.partitions.map((p) => [p.number, p.startLba, p.sectors, p.typeId, p.guid, p.name]),
      table.partitions.map((p) => [
        numberOf(p.node),
        p.start,
        p.size,
        p.type.toLowerCase(),
        p.uuid?.toLowerCase(),
        p.name,
      ]),
    );
    deepStrictEqual(parsed.partitions.map((p) => p.typeName), [
      "EFI System",
      "Microsoft basic data",
      "Linux filesystem",
    ]);
    ok(parsed.gpt?.headerCrcValid);
    deepStrictEqual(parsed.problems, []);
  },
});
