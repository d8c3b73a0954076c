"""An independent decoder of AppCompatCache values (after Mandiant's ShimCacheParser),
used by tests/shimcache_corpus_test.ts: reads the value's bytes on stdin (from hivexget)
and prints the entry count, then one path per line."""
import struct
import sys

data = sys.stdin.buffer.read()
magic = struct.unpack_from("<I", data, 0)[0]
paths = []
if magic == 0xBADC0FEE:  # Windows 7 / 2008 R2
    count = struct.unpack_from("<I", data, 4)[0]
    x64 = struct.unpack_from("<I", data, 0x84)[0] == 0
    size = 48 if x64 else 32
    for i in range(count):
        at = 0x80 + i * size
        length = struct.unpack_from("<H", data, at)[0]
        offset = struct.unpack_from("<Q" if x64 else "<I", data, at + (8 if x64 else 4))[0]
        paths.append(data[offset:offset + length].decode("utf-16le"))
elif data[0x80:0x84] in (b"00ts", b"10ts") or data[magic:magic + 4] == b"10ts":
    win10 = data[magic:magic + 4] == b"10ts" and magic in (0x30, 0x34)
    at = magic if win10 else 0x80
    while at + 12 <= len(data):
        tag, _crc, size = struct.unpack_from("<4sII", data, at)
        if tag not in (b"00ts", b"10ts"):
            break
        length = struct.unpack_from("<H", data, at + 12)[0]
        paths.append(data[at + 14:at + 14 + length].decode("utf-16le"))
        at += 12 + size
print(len(paths))
for path in paths:
    print(path)
