#!/usr/bin/env python3
"""Compare the query latency of zhengsou binaries on a noisy machine.

Runs `zhengsou bench --results` for each binary in turn, ROUNDS times (alternating, so that every
binary sees the machine's slow and fast minutes alike), keeps each query's fastest time per
binary, and prints p50 / p99 of those per query kind and overall. Ratios between the columns are
what to read; absolute figures move with the machine.

    python3 Benchmarks/ab_latency.py --index news.zsx \\
        --queries ../shared/eval/latency-queries/news_gen1000.jsonl --rounds 5 \\
        new=.build/release/zhengsou old=/tmp/old/zhengsou

A binary may name its own index, NAME=PATH:INDEX (to compare builds that write different files).
"""
import argparse, json, math, os, subprocess, sys, tempfile


def percentile(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", help="the index of every binary that names none")
    ap.add_argument("--queries", required=True, help="harness JSONL (query, kind) or one query per line")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--phrases", action="store_true", help="run quoted phrases as phrases (default: bags of words, as the peer harness does)")
    ap.add_argument("binaries", nargs="+", help="NAME=PATH or NAME=PATH:INDEX")
    args = ap.parse_args()
    kinds = []
    with open(args.queries, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                kinds.append(json.loads(line).get("kind", "all"))
            except json.JSONDecodeError:
                kinds.append("all")
    best = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for spec in args.binaries:
                name, path = spec.split("=", 1)
                path, _, index = path.partition(":")
                if not (index or args.index):
                    sys.exit(f"{name}: no index (give --index or NAME=PATH:INDEX)")
                out = os.path.join(tmp, name + ".jsonl")
                cmd = [path, "bench", "-i", index or args.index, "--queries", args.queries, "--results", out]
                if not args.phrases:
                    cmd.append("--bag-of-words")
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                with open(out, encoding="utf-8") as f:
                    ms = [json.loads(l)["ms"] for l in f]
                if len(ms) != len(kinds):
                    sys.exit(f"{name}: {len(ms)} results for {len(kinds)} queries")
                b = best.setdefault(name, [math.inf] * len(ms))
                for i, m in enumerate(ms):
                    b[i] = min(b[i], m)
    names = list(best)
    print(f"{'kind':<10}" + "".join(f"{n + ' p50':>14}{n + ' p99':>14}" for n in names))
    for kind in sorted(set(kinds)) + (["all"] if len(set(kinds)) > 1 else []):
        idx = [i for i, k in enumerate(kinds) if kind == "all" or k == kind]
        row = "".join(f"{percentile([best[n][i] for i in idx], 50):>14.3f}{percentile([best[n][i] for i in idx], 99):>14.3f}" for n in names)
        print(f"{kind:<10}{row}")


if __name__ == "__main__":
    main()
