import { deepStrictEqual } from "node:assert/strict";
import { recordedCommand } from "../../collectors/live/mod.ts";
import { hostDnsServers, nameserverLines, resolvectlServers } from "./dns_servers.ts";

Deno.test("nameserverLines reads nameserver lines, drops scoped link-local ones and comments", () => {
  deepStrictEqual(
    nameserverLines(
      "# c\nnameserver 10.0.0.1\nsearch x\nnameserver fd00::53\nnameserver fe80::1%eth0\n;nameserver 9.9.9.9\n",
    ),
    ["10.0.0.1", "fd00::53"],
  );
});

Deno.test("resolvectlServers reads the global and per-link servers", () => {
  deepStrictEqual(
    resolvectlServers(
      "Global: 1.1.1.1 2606:4700:4700::1111\nLink 2 (eth0): 10.0.0.1 fe80::1%eth0 9.9.9.9#dns.quad9.net\nLink 3 (docker0):\n",
    ),
    ["1.1.1.1", "2606:4700:4700::1111", "10.0.0.1", "9.9.9.9"],
  );
});

Deno.test("hostDnsServers asks resolvectl for the upstreams behind 127.0.0.53, once each", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/resolv.conf`, "nameserver 127.0.0.53\n");
    const reading = await hostDnsServers({
      resolvConf: `${dir}/resolv.conf`,
      runner: recordedCommand("Global: 10.0.0.1\nLink 2 (eth0): 10.0.0.1 fd00::1\n"),
    });
    deepStrictEqual(reading.servers.map((server) => server.address), [
      "127.0.0.53",
      "10.0.0.1",
      "fd00::1",
    ]);
    deepStrictEqual(reading.problems, []);
    const missing = await hostDnsServers({ resolvConf: `${dir}/none` });
    deepStrictEqual(missing.servers, []);
    deepStrictEqual(missing.problems.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
