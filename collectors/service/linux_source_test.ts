import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { linuxServiceSource, unitFilesOnly } from "./linux_source.ts";
import { parseLsbHeader } from "./init_scripts.ts";
import { splitExecLine } from "./unit_files.ts";
import { recordedCommand } from "../live/mod.ts";

/** A Linux root with unit files, links and init scripts, built in a temp folder. */
async function buildRoot(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-units-" });
  const etc = join(root, "etc/systemd/system");
  const lib = join(root, "lib/systemd/system");
  await Deno.mkdir(join(etc, "multi-user.target.wants"), { recursive: true });
  await Deno.mkdir(lib, { recursive: true });
  await Deno.mkdir(join(root, "usr/local/bin"), { recursive: true });
  await Deno.writeTextFile(join(root, "usr/local/bin/updater"), "#!/bin/sh\necho hi\n");
  await Deno.writeTextFile(
    join(etc, "evil.service"),
    [
      "# a comment",
      "[Unit]",
      "Description=System Updater",
      "[Service]",
      "Type=forking",
      "User=daemon",
      "ExecStart=-/usr/local/bin/updater --daemon \\",
      "  --quiet",
      "[Install]",
      "WantedBy=multi-user.target",
    ].join("\n"),
  );
  await Deno.symlink("../evil.service", join(etc, "multi-user.target.wants/evil.service"));
  // The same name in lib is overridden by etc's.
  await Deno.writeTextFile(join(lib, "evil.service"), "[Service]\nExecStart=/bin/false\n");
  await Deno.writeTextFile(
    join(lib, "plain.service"),
    "[Service]\nExecStart=/usr/bin/plain\n[Install]\nWantedBy=x\n",
  );
  await Deno.writeTextFile(
    join(lib, "static.service"),
    "[Service]\nExecStart='/opt/my app/run' a b\n",
  );
  await Deno.symlink("/dev/null", join(etc, "masked.service"));
  await Deno.mkdir(join(lib, "dir.service"));
  // A FIFO posing as a unit file must not hang the read; a link out of the root is not followed.
  new Deno.Command("mkfifo", { args: [join(lib, "fifo.service")] }).outputSync();
  await Deno.symlink("/etc/passwd", join(lib, "escape.service"));
  await Deno.mkdir(join(root, "etc/init.d"), { recursive: true });
  await Deno.mkdir(join(root, "etc/rc2.d"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "etc/init.d/legacy"),
    "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: legacy\n# Short-Description: Legacy daemon\n# Description: Runs the legacy thing\n### END INIT INFO\n",
  );
  await Deno.symlink("../init.d/legacy", join(root, "etc/rc2.d/S01legacy"));
  await Deno.writeTextFile(join(root, "etc/init.d/off"), "#!/bin/sh\n");
  return root;
}

Deno.test("linuxServiceSource: unit files (precedence, enabled, masked, static) and init scripts of a root", async () => {
  const root = await buildRoot();
  try {
    const read = await linuxServiceSource(root).read();
    const byName = new Map(read.entries.map((entry) => [entry.name, entry]));
    deepStrictEqual([...byName.keys()].sort(), [
      "evil.service",
      "legacy",
      "masked.service",
      "off",
      "plain.service",
      "static.service",
    ]);
    const evil = byName.get("evil.service")!;
    deepStrictEqual(
      [evil.path, evil.arguments, evil.mode, evil.startedAs, evil.type, evil.descriptiveName],
      [
        "/usr/local/bin/updater",
        "--daemon --quiet",
        "enabled",
        "daemon",
        "forking",
        "System Updater",
      ],
    );
    strictEqual(evil.sourceKey, join(root, "etc/systemd/system/evil.service"));
    strictEqual(evil.pathOpen, join(root, "usr/local/bin/updater"));
    strictEqual(byName.get("plain.service")!.mode, "disabled");
    strictEqual(byName.get("static.service")!.mode, "static");
    strictEqual(byName.get("static.service")!.path, "/opt/my app/run");
    strictEqual(byName.get("masked.service")!.mode, "masked");
    const legacy = byName.get("legacy")!;
    deepStrictEqual(
      [legacy.path, legacy.mode, legacy.descriptiveName, legacy.description],
      ["/etc/init.d/legacy", "enabled", "Legacy daemon", "Runs the legacy thing"],
    );
    strictEqual(byName.get("off")!.mode, "disabled");
    deepStrictEqual(read.unknown, { status: unitFilesOnly, pid: unitFilesOnly });
    ok(
      read.skips.some((skip) => skip.object.endsWith("dir.service")) || !byName.has("dir.service"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("splitExecLine: prefixes dropped, quoted programs kept whole", () => {
  deepStrictEqual(splitExecLine("-@/usr/bin/x a b"), { path: "/usr/bin/x", arguments: "a b" });
  deepStrictEqual(splitExecLine('"/opt/a b/c" --x'), { path: "/opt/a b/c", arguments: "--x" });
  deepStrictEqual(splitExecLine("/bin/true"), { path: "/bin/true", arguments: "" });
});

Deno.test("parseLsbHeader: descriptions only inside the header block", () => {
  deepStrictEqual(parseLsbHeader("# Description: outside\n"), {});
});

Deno.test("linuxServiceSource: with systemd running, state and main pid from systemctl", async () => {
  const root = await buildRoot();
  try {
    const listed = JSON.stringify([
      { unit: "evil.service", load: "loaded", active: "active", sub: "running", description: "x" },
      { unit: "plain.service", load: "loaded", active: "inactive", sub: "dead", description: "y" },
      { unit: "legacy.service", load: "loaded", active: "active", sub: "exited", description: "z" },
    ]);
    const shown =
      "Id=evil.service\nMainPID=4242\n\nId=plain.service\nMainPID=0\n\nId=legacy.service\nMainPID=0\n";
    const read = await linuxServiceSource(root, {
      systemd: true,
      runners: [recordedCommand(listed), recordedCommand(shown)],
    }).read();
    strictEqual(read.unknown, undefined);
    const byName = new Map(read.entries.map((entry) => [entry.name, entry]));
    deepStrictEqual([byName.get("evil.service")!.status, byName.get("evil.service")!.pid], [
      "running",
      4242,
    ]);
    deepStrictEqual([byName.get("plain.service")!.status, byName.get("plain.service")!.pid], [
      "dead",
      undefined,
    ]);
    strictEqual(byName.get("static.service")!.status, "inactive");
    strictEqual(byName.get("legacy")!.status, "exited");
    ok(byName.get("off")!.notKnown?.["status"]?.includes("does not list"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("linuxServiceSource: a failing systemctl leaves status and pid unknown, with a warning", async () => {
  const root = await buildRoot();
  try {
    const read = await linuxServiceSource(root, {
      systemd: true,
      runners: [recordedCommand("", 1, "boom")],
    })
      .read();
    ok(read.unknown?.["status"]?.startsWith("systemd could not be asked"));
    strictEqual(read.warnings[0]?.code, "systemctl-failed");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("linuxServiceSource: a unit file that cannot be read leaves ServiceItem unread; a dangling alias does not", async () => {
  const root = await Deno.makeTempDir();
  try {
    const units = join(root, "etc", "systemd", "system");
    await Deno.mkdir(units, { recursive: true });
    // systemd loads a padded unit; the collector stops at 256 KiB.
    await Deno.writeTextFile(
      join(units, "padded.service"),
      "#".repeat(300 * 1024) + "\n[Service]\nExecStart=/tmp/.x/beacon\n",
    );
    await Deno.symlink(join(root, "gone.service"), join(units, "alias.service"));
    const read = await linuxServiceSource(root, { systemd: false }).read();
    const skipOf = (name: string) => read.skips.find((skip) => skip.object.endsWith(name));
    deepStrictEqual(skipOf("padded.service")?.unreadDocuments, ["ServiceItem"]);
    strictEqual(skipOf("padded.service")?.reason, "too-large");
    ok(skipOf("alias.service"), "the dangling alias is reported");
    strictEqual(skipOf("alias.service")?.unreadDocuments, undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
