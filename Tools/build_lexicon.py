#!/usr/bin/env python3
"""Builds ZhengSou's domain lexicon (Sources/ZhengSouAnalysis/LexiconData.swift) from raw corpora.

usage: Tools/build_lexicon.py CORPUS.jsonl... [-o Sources/ZhengSouAnalysis/LexiconData.swift]
       e.g. Tools/build_lexicon.py ../shared/corpora/news.jsonl ../shared/corpora/policy.jsonl

Sources: only the corpora given on the command line (the project uses ../shared/corpora/news.jsonl,
CCTV 新闻联播 2012–2026, and ../shared/corpora/policy.jsonl, government work reports, party congress
reports, laws). Never run it on an evaluation set (SIGHAN gold, test or word lists). The output holds
words and counts only, never corpus text.

Steps:
1. Every document's title and body, NFKC + lower-cased, one paragraph per line.
2. Raw ICU word segmentation of those lines (Tools/icu_words.c: ICU's "zh" dictionary word break,
   compiled on the fly with cc + libicu-dev). This never uses a previous lexicon, so a rebuild is
   reproducible from the corpora and the ICU version alone.
3. Unigram counts of every all-CJK ICU word.
4. New-word discovery over runs of adjacent CJK ICU words (no punctuation or space between):
   a sequence w of k = 2..MAX_PIECES ICU words, 2..MAX_CHARS characters, becomes a word when
   - count(w) >= MIN_COUNT (Apriori: a k-sequence is only counted when both its (k-1)-sequences are
     frequent);
   - cohesion: for EVERY split of w into two sequences l + r, PMI = ln(count(w)·N / (count(l)·count(r)))
     >= MIN_PMI, and count(w) / min(count(l), count(r)) >= MIN_SHARE (the parts mostly occur inside w);
   - freedom: the entropy of the character before w and of the character after w (a run edge counts
     as a fresh distinct neighbour each time) are both >= MIN_ENTROPY nats.
   A discovered word's count is its own count; the counts of its parts are left as they are.
5. Words whose count is below MIN_WORD_COUNT are dropped, single characters are always kept.
Output: a Swift source with one string literal, "word<TAB>count" lines sorted by word (code point
order), plus a header naming the inputs, the thresholds and the totals.
"""
import argparse, collections, json, math, os, pickle, subprocess, sys, tempfile, unicodedata

MIN_COUNT = 30
MAX_PIECES = 6
MAX_CHARS = 6
MIN_PMI = 4.0
MIN_SHARE = 0.02
# A candidate made only of multi-character pieces (社会+主义, but also 改革+开放) is a compound of
# known words and needs the stricter share: its parts must occur mostly inside it.
MIN_SHARE_COMPOUND = 0.6
MIN_ENTROPY = 2.0
MIN_WORD_COUNT = 3
LEXICON_VERSION = 1

# Function characters: a candidate whose first or last piece is one of these alone (的, 在北京, 是…)
# is a phrase, not a word.
FUNCTION_CHARS = set("的了是在和与及或也都就把被对从向为以将等这那不没很最更又还并而但其所我你他她它们着过地得")
# Modifiers that attach freely (新世纪, 小海龟): never the first piece of a discovered word.
FREE_PREFIXES = set("新老大小第")
# Units that follow numbers (2024年, 31日晚): a run of CJK words starting right after a number makes
# them look like free word starts, so they never begin a discovered word either.
UNIT_CHARS = set("年月日号时点分秒天周届期岁元万亿个")
# A candidate of three one-character pieces starting with one of these common surnames is a person's
# name; following the PKU/GB convention (surname and given name are separate words), the given name
# is added instead of the whole name.
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
# Numeral + measure word (一年, 两个, 多次) are two words in the PKU/GB standard; ICU's dictionary
# has many as one word, so they are dropped from the lexicon and the Viterbi cuts them.
NUMERALS = set("一二三四五六七八九十两几多")
MEASURES = set("年月日天次位条种批项名张件家所届期场部句本片座只台辆架艘套份例户类篇颗枚头株册吨岁倍周")

HERE = os.path.dirname(os.path.abspath(__file__))


def is_cjk(ch):
    o = ord(ch)
    return o == 0x3007 or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def all_cjk(word):
    return all(is_cjk(c) for c in word)


def icu_segment(corpora, work):
    """Steps 1–2: writes normalized lines and their ICU segmentation; returns the segmented path."""
    lines_path = os.path.join(work, "lines.txt")
    seg_path = os.path.join(work, "icu.txt")
    n_docs = 0
    with open(lines_path, "w", encoding="utf-8") as out:
        for path in corpora:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    doc = json.loads(line)
                    n_docs += 1
                    for field in ("title", "body"):
                        text = unicodedata.normalize("NFKC", doc.get(field) or "").lower()
                        for para in text.split("\n"):
                            para = para.strip()
                            if para:
                                out.write(para + "\n")
    exe = os.path.join(work, "icu_words")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "icu_words.c"), "-licuuc", "-licui18n"], check=True)
    with open(lines_path, "rb") as src, open(seg_path, "wb") as dst:
        subprocess.run([exe], stdin=src, stdout=dst, check=True)
    return seg_path, n_docs


_RUNS = {}


def runs(seg_path):
    """Maximal runs of adjacent all-CJK ICU words, as tuples (read once, then kept in memory)."""
    if seg_path not in _RUNS:
        _RUNS[seg_path] = list(_read_runs(seg_path))
    return _RUNS[seg_path]


def _read_runs(seg_path):
    with open(seg_path, encoding="utf-8") as f:
        for line in f:
            run = []
            for tok in line.split():
                if all_cjk(tok):
                    run.append(tok)
                else:
                    if run:
                        yield tuple(run)
                    run = []
            if run:
                yield tuple(run)


def entropy(counter, edges):
    total = sum(counter.values()) + edges
    h = -sum(c / total * math.log(c / total) for c in counter.values())
    h -= edges * (1 / total) * math.log(1 / total) if edges else 0.0
    return h


def discover(seg_path, unigrams, n_tokens, log, cache=None):
    """Step 4: returns {word: count} of discovered multi-piece words."""
    if cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            counts, left, right, left_edge, right_edge = pickle.load(f)
        log(f"  counts from {cache}")
        return select(counts, left, right, left_edge, right_edge, unigrams, n_tokens, log)
    counts = {1: {(w,): c for w, c in unigrams.items()}}
    for k in range(2, MAX_PIECES + 1):
        prev = counts[k - 1]
        c = collections.Counter()
        for run in runs(seg_path):
            for i in range(len(run) - k + 1):
                seq = run[i:i + k]
                if k == 2:
                    if unigrams[seq[0]] < MIN_COUNT or unigrams[seq[1]] < MIN_COUNT:
                        continue
                elif seq[:-1] not in prev or seq[1:] not in prev:
                    continue
                if sum(map(len, seq)) > MAX_CHARS:
                    continue
                c[seq] += 1
        counts[k] = {s: n for s, n in c.items() if n >= MIN_COUNT}
        log(f"  {k}-piece sequences: {len(c):,} counted, {len(counts[k]):,} frequent")
        if not counts[k]:
            break

    cohesive = {seq: n for k in range(2, max(counts) + 1) for seq, n in counts[k].items()}
    left = collections.defaultdict(collections.Counter)
    right = collections.defaultdict(collections.Counter)
    left_edge = collections.Counter()
    right_edge = collections.Counter()
    kmax = max(len(s) for s in cohesive) if cohesive else 0
    for run in runs(seg_path):
        for k in range(2, kmax + 1):
            for i in range(len(run) - k + 1):
                seq = run[i:i + k]
                if seq not in cohesive:
                    continue
                if i > 0:
                    left[seq][run[i - 1][-1]] += 1
                else:
                    left_edge[seq] += 1
                if i + k < len(run):
                    right[seq][run[i + k][0]] += 1
                else:
                    right_edge[seq] += 1
    left, right = dict(left), dict(right)
    if cache:
        with open(cache, "wb") as f:
            pickle.dump((counts, left, right, left_edge, right_edge), f)
    return select(counts, left, right, left_edge, right_edge, unigrams, n_tokens, log)


def select(counts, left, right, left_edge, right_edge, unigrams, n_tokens, log):
    """The cohesion, freedom and form filters of step 4 over the counted sequences."""

    def count(seq):
        return counts[len(seq)].get(seq, 0) if len(seq) > 1 else unigrams[seq[0]]

    found = {}
    stats = collections.Counter()
    for k in range(2, max(counts) + 1):
        for seq, n in counts[k].items():
            if (seq[0] in FUNCTION_CHARS or seq[-1] in FUNCTION_CHARS or seq[0] in FREE_PREFIXES or seq[0] in UNIT_CHARS
                    or all(c in NUMERALS for c in seq[0])):
                stats["function"] += 1
                continue
            ok = True
            min_share = MIN_SHARE if any(len(p) == 1 for p in seq) else MIN_SHARE_COMPOUND
            for s in range(1, k):
                cl, cr = count(seq[:s]), count(seq[s:])
                if not cl or not cr or math.log(n * n_tokens / (cl * cr)) < MIN_PMI or n / min(cl, cr) < min_share:
                    ok = False
                    break
            if not ok:
                stats["cohesion"] += 1
                continue
            empty = collections.Counter()
            if entropy(left.get(seq, empty), left_edge[seq]) < MIN_ENTROPY or entropy(right.get(seq, empty), right_edge[seq]) < MIN_ENTROPY:
                stats["entropy"] += 1
                continue
            word = "".join(seq)
            if len(seq) == 3 and len(word) == 3 and word[0] in SURNAMES:
                stats["name"] += 1
                found[word[1:]] = found.get(word[1:], 0) + n
                continue
            found[word] = n
    log(f"  rejected: {dict(stats)}; discovered {len(found):,}")
    return found


def swift_source(entries, header):
    lines = [f"{w}\t{c}" for w, c in entries]
    body = "\n".join(lines).replace("\\", "\\\\")
    return (
        "\n".join("// " + h for h in header)
        + "\n\n/// The shipped lexicon: \"word<TAB>count\" lines sorted by word. See Tools/build_lexicon.py.\n"
        + "/// A string literal rather than an array literal because big array literals compile slowly.\n"
        + "enum LexiconData {\n"
        + f"  static let version = {LEXICON_VERSION}\n"
        + '  static let entries = """\n'
        + body
        + '\n"""\n}\n'
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "..", "Sources", "ZhengSouAnalysis", "LexiconData.swift"))
    ap.add_argument("--tsv", help="also write the lexicon as word<TAB>count lines here")
    ap.add_argument("--segmented", help="reuse an existing icu_words output instead of steps 1–2")
    ap.add_argument("--cache", help="pickle of step 4's counts: written if missing, else read (to tune thresholds)")
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as work:
        if args.segmented:
            seg_path, n_docs = args.segmented, None
        else:
            log("segmenting the corpora with raw ICU …")
            seg_path, n_docs = icu_segment(args.corpora, work)
        unigram_cache = args.cache + ".unigrams" if args.cache else None
        if unigram_cache and os.path.exists(unigram_cache):
            with open(unigram_cache, "rb") as f:
                unigrams = pickle.load(f)
        else:
            unigrams = collections.Counter()
            for run in runs(seg_path):
                unigrams.update(run)
            if unigram_cache:
                with open(unigram_cache, "wb") as f:
                    pickle.dump(unigrams, f)
        n_tokens = sum(unigrams.values())
        log(f"{n_tokens:,} CJK ICU words, {len(unigrams):,} distinct")
        found = discover(seg_path, unigrams, n_tokens, log, args.cache)
    lexicon = {
        w: c for w, c in unigrams.items()
        if (c >= MIN_WORD_COUNT or len(w) == 1) and not (len(w) == 2 and w[0] in NUMERALS and w[1] in MEASURES)
    }
    added = 0
    for w, c in found.items():
        if w not in lexicon:
            added += 1
        lexicon[w] = max(lexicon.get(w, 0), c)
    entries = sorted(lexicon.items())
    total = sum(c for _, c in entries)
    header = [
        "GENERATED by Tools/build_lexicon.py; do not edit by hand.",
        "Provenance: word counts and new-word discovery over raw ICU (zh word break) segmentations of",
        "  " + ", ".join(os.path.basename(p) for p in args.corpora) + " (titles and bodies, NFKC + lower-cased);",
        "  no evaluation data. Only words and counts are stored, never corpus text.",
        f"Thresholds: MIN_COUNT={MIN_COUNT} MAX_PIECES={MAX_PIECES} MAX_CHARS={MAX_CHARS} MIN_PMI={MIN_PMI} "
        f"MIN_SHARE={MIN_SHARE} MIN_SHARE_COMPOUND={MIN_SHARE_COMPOUND} MIN_ENTROPY={MIN_ENTROPY} MIN_WORD_COUNT={MIN_WORD_COUNT}",
        f"Totals: {len(entries):,} words ({added:,} discovered), count sum {total:,}.",
    ]
    header.append("Rules: no candidate with a function character as its first or last piece, a free prefix, a unit or a numeral first; three-character")
    header.append("  names after a common surname add the given name; numeral + measure word pairs are not words.")
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(swift_source(entries, header))
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            for w, c in entries:
                out.write(f"{w}\t{c}\n")
    log("\n".join(header))


if __name__ == "__main__":
    main()
