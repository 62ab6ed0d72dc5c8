#!/usr/bin/env python3
"""Per-query latency of ZhengSou beside a peer engine: which queries win, which lose, and by how much.

The peer harness (`../shared/peers/run_peers.py`) reports each engine's percentiles, not its
per-query times, so a p50 ratio says nothing about where the time goes. This script times every
query of the peer again, through the harness's own engine and tokenizer code (the timed span of
`worker.py query`: tokenize, then search), and joins the medians with ZhengSou's per-query medians
from `zhengsou bench --results`. Run it in the harness's Python environment, on the workdir of a
run made with `--keep-indexes`:

    python3 ../shared/peers/run_peers.py --corpus ../shared/corpora/news.jsonl \\
        --queries ../shared/eval/latency-queries/news_gen1000.jsonl --segbench none \\
        --peers tantivy_rjieba --query-runs 1 --keep-indexes \\
        --out /tmp/keep.json --workdir /tmp/keep
    .build/release/zhengsou bench -i news.zsx --queries ../shared/eval/latency-queries/news_gen1000.txt \\
        --bag-of-words --repeat 7 --results /tmp/zs.jsonl
    python3 Benchmarks/peer_per_query.py --workdir /tmp/keep \\
        --queries ../shared/eval/latency-queries/news_gen1000.jsonl --zhengsou /tmp/zs.jsonl

Both sides are medians of --repeat passes after one warm-up pass, one query at a time. Absolute
times move with the machine; the ratios, and the count of queries under half the peer's p50 (what a
p50 ratio of 0.5 needs: half of all queries), are what to read.
"""
import argparse, gc, json, math, os, statistics, sys


def percentile(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--peers-dir", default=os.path.join(here, "..", "..", "shared", "peers"), help="the harness (default ../shared/peers)")
    ap.add_argument("--workdir", required=True, help="run_peers.py --workdir of a --keep-indexes run")
    ap.add_argument("--peer", default="tantivy_rjieba")
    ap.add_argument("--fields", default="title,body")
    ap.add_argument("--queries", required=True, help="the harness's query file (JSONL with kind and band)")
    ap.add_argument("--zhengsou", required=True, help="`zhengsou bench --results` output for the same queries, in order")
    ap.add_argument("--repeat", type=int, default=7, help="timed passes over the peer's queries (default 7)")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--worst", type=int, default=15, help="how many of the worst ratios to list")
    args = ap.parse_args()

    sys.path.insert(0, os.path.abspath(args.peers_dir))
    from common import get_tokenizer, load_queries, now  # the harness's own code
    from engines import PEERS

    tokname, factory, _ = PEERS[args.peer]
    tok = get_tokenizer(tokname) if tokname else None
    if tok:
        tok.init()
    engine = factory()
    engine.open(os.path.join(args.workdir, "index", args.peer), args.fields, {})
    queries = load_queries(args.queries)
    texts = [q["query"] for q in queries]
    with open(args.zhengsou, encoding="utf-8") as f:
        ours = [json.loads(line)["ms"] for line in f if line.strip()]
    if len(ours) != len(texts):
        sys.exit(f"{args.zhengsou} has {len(ours)} results for {len(texts)} queries")

    for text in texts:  # warm-up pass, as worker.py does
        engine.search(engine.query_terms(text, tok), args.k)
    times = [[] for _ in texts]
    gc.collect()
    gc.disable()
    try:
        for _ in range(args.repeat):
            for i, text in enumerate(texts):
                t0 = now()
                engine.search(engine.query_terms(text, tok), args.k)
                times[i].append((now() - t0) * 1000)
    finally:
        gc.enable()
    peer = [statistics.median(t) for t in times]

    p50_peer, p50_ours = percentile(peer, 50), percentile(ours, 50)
    print(f"{len(texts)} queries; medians of {args.repeat} passes; milliseconds")
    print(f"p50  {args.peer} {p50_peer:.4f}  zhengsou {p50_ours:.4f}  ratio {p50_ours / p50_peer:.2f}")
    print(f"p99  {args.peer} {percentile(peer, 99):.4f}  zhengsou {percentile(ours, 99):.4f}  ratio {percentile(ours, 99) / percentile(peer, 99):.2f}")
    ratios = [o / p for o, p in zip(ours, peer)]
    print("per-query ratio (zhengsou / peer) at quantiles 10/25/50/75/90 %:",
          " ".join(f"{percentile(ratios, q):.2f}" for q in (10, 25, 50, 75, 90)))
    half = p50_peer / 2
    print(f"queries under half the peer's p50 ({half:.4f} ms): {sum(o < half for o in ours)} of {len(ours)} "
          f"(a p50 ratio of 0.5 needs {math.ceil(len(ours) / 2)})")

    groups = {}
    for q, o, p in zip(queries, ours, peer):
        for key in ("band", "kind"):
            if q.get(key):
                groups.setdefault(f"{key}={q[key]}", []).append((o, p))
    print(f"\n{'group':<16}{'n':>5}{'peer p50':>10}{'ours p50':>10}{'ratio':>7}{'ours slower':>13}")
    for g, rows in sorted(groups.items()):
        po, pp = percentile([r[0] for r in rows], 50), percentile([r[1] for r in rows], 50)
        slower = sum(r[0] > r[1] for r in rows)
        print(f"{g:<16}{len(rows):>5}{pp:>10.4f}{po:>10.4f}{po / pp:>7.2f}{slower:>9} of {len(rows)}")

    print(f"\nworst {args.worst} ratios (query, band, kind, peer ms, ours ms, ratio, peer's terms):")
    order = sorted(range(len(texts)), key=lambda i: ratios[i], reverse=True)[: args.worst]
    for i in order:
        q = queries[i]
        terms = " ".join(engine.query_terms(texts[i], tok))
        print(f"  {texts[i]}\t{q.get('band', '')}\t{q.get('kind', '')}\t{peer[i]:.4f}\t{ours[i]:.4f}\t{ratios[i]:.2f}\t{terms}")


if __name__ == "__main__":
    main()
