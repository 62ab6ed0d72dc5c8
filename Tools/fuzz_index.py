#!/usr/bin/env python3
"""Damage an index file at random and check that `zhengsou` refuses it cleanly.

Each iteration copies the index, damages one large section (TDIC, POST, POSN, FNRM or DOCS) by
flipping bits, writing random bytes or writing runs of 0x00 / 0xFF, and, half the time, re-seals
that section's checksum (and the table's and footer's) so that only the structure checks can see
the damage. It then runs `verify`, `stats` and three searches on it. Every command must exit with
0, 1 or 2, print an error when it exits with 2, and finish within the timeout: a signal (a trap,
a crash), another exit code or a hang is reported, and the damaged file kept for replay.

    python3 Tools/fuzz_index.py --zhengsou .build/release/zhengsou --index corpus.zsx --iterations 300 --seed 1

Pure Python (its CRC-32C is table-driven), so keep the index small: Corpus/'s (6 MB) takes about
a second an iteration.
"""
import argparse
import os
import random
import struct
import subprocess
import sys

TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for x in data:
        c = TABLE[(c ^ x) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


QUERIES = ['发展', '共同富裕', '"高质量发展"', '"中国" 经济', '"发"', '农业 2024年', '国内生产总值 增长 5.4%', '"十四五" 规划']


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--zhengsou', required=True)
    ap.add_argument('--index', required=True)
    ap.add_argument('--iterations', type=int, default=100)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--workdir', default='/tmp/zhengsou-fuzz')
    ap.add_argument('--timeout', type=float, default=20)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.workdir, exist_ok=True)
    orig = open(a.index, 'rb').read()
    footer = len(orig) - 24
    table_offset, count = struct.unpack_from('<QI', orig, footer)
    sections = []
    for k in range(count):
        sid, _, offset, length = struct.unpack_from('<IIQQ', orig, table_offset + 24 * k)
        name = struct.pack('<I', sid).decode('ascii', 'replace')
        if name in ('TDIC', 'POST', 'POSN', 'FNRM', 'DOCS') and length > 0:
            sections.append((name, offset, length, k))
    path = os.path.join(a.workdir, 'damaged-%d.zsx' % a.seed)
    bad = 0
    for it in range(a.iterations):
        v = bytearray(orig)
        name, o, n, k = rng.choice(sections)
        mode = rng.random()
        p = o + rng.randrange(n)
        if mode < 0.6:
            for _ in range(rng.randint(1, 8)):
                q = o + rng.randrange(n)
                v[q] ^= 1 << rng.randrange(8)
        elif mode < 0.85:
            m = min(rng.randint(1, 64), o + n - p)
            v[p:p + m] = bytes(rng.randrange(256) for _ in range(m))
        else:
            m = min(rng.randint(1, 16), o + n - p)
            v[p:p + m] = (b'\xff' if rng.random() < 0.5 else b'\x00') * m
        if rng.random() < 0.5:
            struct.pack_into('<I', v, table_offset + 24 * k + 4, crc32c(v[o:o + n]))
            struct.pack_into('<I', v, footer + 12, crc32c(v[table_offset:table_offset + 24 * count]))
            struct.pack_into('<I', v, footer + 16, crc32c(v[footer:footer + 16]))
        with open(path, 'wb') as f:
            f.write(v)
        commands = [[a.zhengsou, 'verify', path], [a.zhengsou, 'stats', path]]
        commands += [[a.zhengsou, 'search', '-i', path, q, '-n', '5'] for q in rng.sample(QUERIES, 3)]
        for c in commands:
            try:
                r = subprocess.run(c, capture_output=True, timeout=a.timeout)
                ok = r.returncode in (0, 1) or (r.returncode == 2 and r.stderr.strip())
                what = 'exit %d' % r.returncode
            except subprocess.TimeoutExpired:
                ok, what = False, 'timeout'
            if not ok:
                bad += 1
                kept = os.path.join(a.workdir, 'bad-%d-%d.zsx' % (a.seed, it))
                with open(kept, 'wb') as f:
                    f.write(v)
                print('iteration %d (%s): %s %s; kept %s' % (it, name, ' '.join(c[1:2]), what, kept), flush=True)
    print('%d iterations, %d failures' % (a.iterations, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
