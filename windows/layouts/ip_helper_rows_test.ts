import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  decodeIpForwardTable2,
  decodeIpNetTable2,
  decodeSockaddrInet,
  formatIpv6,
} from "./ip_helper_rows.ts";
import { MibIpforwardRow2, MibIpnetRow2, SockaddrInet } from "./ip_helper.ts";
import {
  encodeIpForwardTable2,
  encodeIpNetTable2,
  encodeSockaddrInet,
  luidOf,
} from "./_ip_helper_encode.ts";

Deno.test("ip_helper layouts: the x64 sizes Windows documents", () => {
  strictEqual(SockaddrInet.size, 28);
  strictEqual(MibIpnetRow2.size, 88);
  strictEqual(MibIpforwardRow2.size, 104);
  // Each offset lies inside its row, after the one before it.
  const offsets = Object.entries(MibIpforwardRow2).filter(([name]) => name !== "size")
    .map(([, offset]) => offset);
  deepStrictEqual([...offsets].sort((a, b) => a - b), offsets);
});

Deno.test("decodeSockaddrInet reads IPv4 and IPv6 in network order, the port big-endian", () => {
  const bytes = new Uint8Array(2 * SockaddrInet.size);
  const view = new DataView(bytes.buffer);
  encodeSockaddrInet(view, 0, { address: "10.0.0.5", port: 49812 });
  encodeSockaddrInet(view, SockaddrInet.size, { address: "fe80::1:2", port: 443 });
  // The port's bytes as they are in memory: 49812 = 0xC294, high byte first.
  deepStrictEqual([bytes[2], bytes[3]], [0xc2, 0x94]);
  deepStrictEqual(decodeSockaddrInet(view, 0), { version: 4, address: "10.0.0.5", port: 49812 });
  deepStrictEqual(decodeSockaddrInet(view, SockaddrInet.size), {
    version: 6,
    address: "fe80::1:2",
    port: 443,
  });
  deepStrictEqual(decodeSockaddrInet(new DataView(new ArrayBuffer(28)), 0), {
    version: undefined,
    address: "",
    port: 0,
  });
});

Deno.test("formatIpv6 writes RFC 5952 text", () => {
  strictEqual(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), "2001:db8::1:0:0:1");
  strictEqual(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0]), "::");
  strictEqual(formatIpv6([0, 0, 0, 0, 0, 0, 0, 1]), "::1");
  strictEqual(formatIpv6([1, 0, 2, 0, 3, 0, 4, 0]), "1:0:2:0:3:0:4:0");
  strictEqual(formatIpv6([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0005]), "::ffff:10.0.0.5");
});

Deno.test("decodeIpNetTable2 decodes each MIB_IPNET_ROW2 field by field", () => {
  const bytes = encodeIpNetTable2([
    {
      address: "192.168.1.1",
      interfaceIndex: 12,
      luid: luidOf(6, 3),
      mac: [0x00, 0x50, 0x56, 0xc0, 0x00, 0x08],
      state: 5,
    },
    {
      address: "fe80::1",
      interfaceIndex: 13,
      luid: luidOf(71, 1),
      mac: [0x02, 0, 0, 0, 0, 0x07],
      state: 6,
      flags: 0x1,
    },
    { address: "10.0.0.9", interfaceIndex: 12, luid: luidOf(6, 3), mac: [], state: 1 },
  ]);
  const { rows, missing } = decodeIpNetTable2(bytes);
  strictEqual(missing, 0);
  deepStrictEqual(rows.map((row) => ({ ...row, interfaceLuid: undefined })), [
    {
      address: { version: 4, address: "192.168.1.1", port: 0 },
      interfaceIndex: 12,
      interfaceLuid: undefined,
      interfaceType: "Ethernet",
      physicalAddress: "00:50:56:c0:00:08",
      state: "Reachable",
      isRouter: false,
      isUnreachable: false,
    },
    {
      address: { version: 6, address: "fe80::1", port: 0 },
      interfaceIndex: 13,
      interfaceLuid: undefined,
      interfaceType: "IEEE80211",
      physicalAddress: "02:00:00:00:00:07",
      state: "Permanent",
      isRouter: true,
      isUnreachable: false,
    },
    {
      address: { version: 4, address: "10.0.0.9", port: 0 },
      interfaceIndex: 12,
      interfaceLuid: undefined,
      interfaceType: "Ethernet",
      physicalAddress: "",
      state: "Incomplete",
      isRouter: false,
      isUnreachable: false,
    },
  ]);
  strictEqual(rows[0]!.interfaceLuid, luidOf(6, 3));
});

Deno.test("decodeIpNetTable2 never reads past the bytes when NumEntries promises more", () => {
  const one = {
    address: "10.0.0.1",
    interfaceIndex: 1,
    luid: luidOf(6, 1),
    mac: [1, 2, 3, 4, 5, 6],
    state: 4,
  };
  const bytes = encodeIpNetTable2([one], 1000);
  const { rows, missing } = decodeIpNetTable2(bytes);
  strictEqual(rows.length, 1);
  strictEqual(missing, 999);
  deepStrictEqual(decodeIpNetTable2(new Uint8Array(3)), { rows: [], missing: 0 });
});

Deno.test("decodeIpForwardTable2 decodes each MIB_IPFORWARD_ROW2 field by field", () => {
  const bytes = encodeIpForwardTable2([
    {
      destination: "0.0.0.0",
      prefixLength: 0,
      nextHop: "192.168.1.1",
      interfaceIndex: 12,
      luid: luidOf(6, 3),
      metric: 25,
      protocol: 3,
      origin: 2,
      validLifetime: 0xffffffff,
      preferredLifetime: 0xffffffff,
      immortal: true,
    },
    {
      destination: "2001:db8::",
      prefixLength: 32,
      nextHop: "::",
      interfaceIndex: 1,
      luid: luidOf(24, 0),
      metric: 256,
      protocol: 2,
      origin: 1,
      validLifetime: 3600,
      preferredLifetime: 1800,
      loopback: true,
      autoconfigureAddress: true,
      publish: true,
    },
  ]);
  const { rows, missing } = decodeIpForwardTable2(bytes);
  strictEqual(missing, 0);
  deepStrictEqual(rows.map((row) => ({ ...row, interfaceLuid: undefined })), [
    {
      interfaceIndex: 12,
      interfaceLuid: undefined,
      interfaceType: "Ethernet",
      destination: { version: 4, address: "0.0.0.0", port: 0 },
      prefixLength: 0,
      nextHop: { version: 4, address: "192.168.1.1", port: 0 },
      validLifetime: 0xffffffff,
      preferredLifetime: 0xffffffff,
      metric: 25,
      protocol: "NetMgmt",
      loopback: false,
      autoconfigureAddress: false,
      publish: false,
      immortal: true,
      origin: "DHCP",
    },
    {
      interfaceIndex: 1,
      interfaceLuid: undefined,
      interfaceType: "SoftwareLoopback",
      destination: { version: 6, address: "2001:db8::", port: 0 },
      prefixLength: 32,
      nextHop: { version: 6, address: "::", port: 0 },
      validLifetime: 3600,
      preferredLifetime: 1800,
      metric: 256,
      protocol: "Local",
      loopback: true,
      autoconfigureAddress: true,
      publish: true,
      immortal: false,
      origin: "WellKnown",
    },
  ]);
});
