#!/usr/bin/env python3
"""Where a heap dump's bytes are: its primitive arrays by element type and size class.

What it answers: what fills a JVM's heap when the class histogram only says "byte[]", e.g. how many 8 KiB buffers
each open request holds (ADR 51). Standard library only; reads a binary HPROF file as the JDK writes it
(`jcmd <pid> GC.heap_dump <file>`, or `-XX:+HeapDumpOnOutOfMemoryError`, which the devstack's JVMs write into their
folder of the run directory):

    python3 load-tests/heap-arrays.py .txlab/run/order-service/java_pid1234.hprof [rows]

Each row: element type, size class (the array's size in bytes, rounded up to a power of two), how many arrays and
their bytes, largest first. Arrays are counted whether reachable or not: a dump at an OutOfMemoryError holds only
what survived the last full collection.
"""
import collections
import struct
import sys

# HPROF basic types: 2 = object id, 4 = boolean, 5 = char, 6 = float, 7 = double, 8 = byte, 9 = short, 10 = int,
# 11 = long.
NAMES = {4: "boolean", 5: "char", 6: "float", 7: "double", 8: "byte", 9: "short", 10: "int", 11: "long"}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    header_end = data.index(b"\0") + 1
    if not data.startswith(b"JAVA PROFILE"):
        sys.exit(sys.argv[1] + ": not an HPROF heap dump")
    idsize = struct.unpack(">I", data[header_end:header_end + 4])[0]
    sizes = {2: idsize, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
    count = collections.Counter()
    total = collections.Counter()
    i = header_end + 12
    while i < len(data):
        tag = data[i]
        length = struct.unpack(">I", data[i + 5:i + 9])[0]
        p, end = i + 9, i + 9 + length
        i = end
        if tag not in (0x0C, 0x1C):  # HEAP DUMP, HEAP DUMP SEGMENT
            continue
        while p < end:
            sub = data[p]
            p += 1
            if sub == 0xFF:  # root unknown
                p += idsize
            elif sub == 0x01:  # root JNI global
                p += 2 * idsize
            elif sub in (0x02, 0x03, 0x08):  # root JNI local, Java frame, thread object
                p += idsize + 8
            elif sub in (0x04, 0x06):  # root native stack, thread block
                p += idsize + 4
            elif sub in (0x05, 0x07):  # root sticky class, monitor used
                p += idsize
            elif sub == 0x20:  # class dump
                p += idsize + 4 + 6 * idsize + 4
                for fixed_part in (2, idsize):
                    n = struct.unpack(">H", data[p:p + 2])[0]
                    p += 2
                    for _ in range(n):
                        kind = data[p + fixed_part]
                        p += fixed_part + 1 + sizes[kind]
                n = struct.unpack(">H", data[p:p + 2])[0]
                p += 2 + n * (idsize + 1)
            elif sub == 0x21:  # instance dump
                p += 2 * idsize + 4
                p += 4 + struct.unpack(">I", data[p:p + 4])[0]
            elif sub == 0x22:  # object array dump
                p += idsize + 4
                n = struct.unpack(">I", data[p:p + 4])[0]
                p += 4 + idsize + n * idsize
            elif sub == 0x23:  # primitive array dump
                p += idsize + 4
                n = struct.unpack(">I", data[p:p + 4])[0]
                kind = data[p + 4]
                p += 5
                size = n * sizes[kind]
                p += size
                size_class = 1 << max(0, (size - 1).bit_length()) if size else 0
                count[(kind, size_class)] += 1
                total[(kind, size_class)] += size
            else:
                sys.exit("unknown heap dump record 0x%02x at byte %d" % (sub, p - 1))
    print("%-8s %12s %9s %12s" % ("type", "size ≤ B", "arrays", "KiB"))
    for key, size in sorted(total.items(), key=lambda kv: -kv[1])[:rows]:
        print("%-8s %12d %9d %12d" % (NAMES[key[0]], key[1], count[key], size // 1024))
    print("%-8s %12s %9d %12d" % ("all", "", sum(count.values()), sum(total.values()) // 1024))


if __name__ == "__main__":
    main()
