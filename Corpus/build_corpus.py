#!/usr/bin/env python3
"""Rebuild the documents that ship in Corpus/ from the team material in ../shared.

Usage (from anywhere):
    python3 Corpus/build_corpus.py [SHARED_DIR]

SHARED_DIR defaults to ../shared relative to the repository root (the folder that holds
Corpus/). The script writes Corpus/reports.jsonl and Corpus/seeds.jsonl next to itself and
prints a one-line summary per file. Output is deterministic: the same input gives the same bytes.

What goes in (see Corpus/README.md for provenance and licensing):
  * corpora/policy.jsonl: ONLY the documents whose `source` is `wikisource-gov-work-report` or
    `wikisource-cpc-congress-report`. The `lawrefbook` documents stay out, and nothing is ever read
    from corpora/news.jsonl (CCTV, copyrighted).
  * seeds/*.txt: the five seed texts, with the id, title, kind and date given in SEEDS below.
    Each title and each piece of dating evidence is checked against the text, so a changed seed
    file fails loudly instead of producing a wrong record.

Each output line is one JSON object with keys in this order:
  id, title, date ("YYYY-MM-DD") or year (int) -- at most one, only when known --, kind, source,
  url (only when known), body (exactly as in the source, never reflowed).
"""

import json
import re
import sys
from pathlib import Path

REPORT_SOURCES = ("wikisource-gov-work-report", "wikisource-cpc-congress-report")

# Year of each National Congress of the Communist Party of China, keyed by the `congress` number
# the Wikisource records carry (used only when the text itself gives no date).
CPC_CONGRESS_YEAR = {
    1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
    11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017,
    20: 2022,
}

# First year of each National People's Congress; its sessions are annual from then on, except the
# 2nd NPC, which held no session in 1961 (3rd session 1962, 4th 1963). Used only for an NPC
# resolution whose text names no year: "第十二届全国人民代表大会第一次会议" → 2013.
NPC_FIRST_YEAR = {
    1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003,
    11: 2008, 12: 2013, 13: 2018, 14: 2023,
}
NPC_SESSION_EXCEPTIONS = {(2, 3): 1962, (2, 4): 1963}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text):
    """1–99 written in Chinese numerals (十, 十二, 二十, 二十三)."""
    if "十" not in text:
        return CHINESE_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def npc_session_year(title):
    """Year of the NPC session a title names ("第十届全国人民代表大会第五次会议…" → 2007), or None."""
    m = re.match(r"第([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议", title)
    if not m:
        return None
    term, session = chinese_number(m.group(1)), chinese_number(m.group(2))
    if (term, session) in NPC_SESSION_EXCEPTIONS:
        return NPC_SESSION_EXCEPTIONS[(term, session)]
    return NPC_FIRST_YEAR[term] + session - 1 if term in NPC_FIRST_YEAR else None


# The five seed texts. `evidence` must occur verbatim in the text: it is what the date rests on.
SEEDS = [
    {
        "file_prefix": "000_",
        "id": "seed-000-xihu-15th-plan-news",
        "title": "推动高质量发展建设共同富裕示范区首善之区取得决定性进展 全面打响科教文创高地活力品质城区品牌",
        "year": 2025,
        "kind": "news",
        # The 20th Central Committee's 4th plenum (October 2025) is discussed as just held, and
        # the 14th plan period is reviewed with 2024 as the latest full-year figure.
        "evidence": ["党的二十届四中全会", "增长到2024年的2332亿元"],
    },
    {
        "file_prefix": "001_",
        "id": "seed-001-xihu-liuliu-reform-news",
        "title": "“六六行动”再深化 革新蝶变再出发 西湖区全力彰显科教文创高地活力品质城区首善风采",
        "date": "2024-09-03",
        "kind": "news",
        "evidence": ["发布时间:2024-09-03"],
    },
    {
        "file_prefix": "002_",
        "id": "seed-002-xihu-14th-five-year-plan",
        "title": "杭州市西湖区(之江国家旅游度假区)国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
        "date": "2021-03-18",
        "kind": "plan",
        "evidence": ["公布日期: 2021-03-18"],
    },
    {
        "file_prefix": "003_",
        "id": "seed-003-xihu-2023-work-report-news",
        "title": "西湖区：扛起新征程使命担当 争做现代化实践范例",
        "year": 2023,
        "kind": "news",
        # "At the start of the Year of the Rabbit" (2023) and the coming 2023 district sessions.
        "evidence": ["兔年伊始", "2023年西湖区“两会”政府工作报告"],
    },
    {
        "file_prefix": "004_",
        "id": "seed-004-xihu-liuliu-midyear-news",
        "title": "在全面深化\"六六行动\"中展现西湖答卷",
        "year": 2023,
        "kind": "news",
        # "This first half-year" is reviewed as "西湖区2023年经济'半年报'", with the Hangzhou Asian
        # Games (September 2023) still being prepared (test events, "迎亚运").
        "evidence": ["纵观西湖区2023年经济\"半年报\"", "迎亚运"],
    },
]

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def record(doc_id, title, kind, source, body, date=None, year=None, url=None):
    """Builds one output object with the keys in schema order."""
    rec = {"id": doc_id, "title": title}
    if date is not None:
        rec["date"] = date
    elif year is not None:
        rec["year"] = year
    rec["kind"] = kind
    rec["source"] = source
    if url:
        rec["url"] = url
    rec["body"] = body
    return rec


def iso(y, m, d):
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def report_date(doc):
    """(date, year) of one Wikisource report, from the record's fields and the text's own heading.

    * A delivery/adoption date in the opening lines -- "——2024年3月5日在…会议上", "（2017年10月18日）",
      "（2023年3月13日…会议通过）" -- gives a full date when it agrees with any given year.
    * Else the record's `year`; for a party congress report, the year of that congress.
    * Else, for a resolution on a work report, the year it names ("同意报告提出的2019年…").
    * Else the year of the NPC session its title names (`npc_session_year`).
    """
    head = doc["body"][:300].translate(FULLWIDTH_DIGITS)
    year = int(doc["year"]) if doc.get("year") not in (None, "") else None
    if year is None and doc.get("congress") is not None:
        year = CPC_CONGRESS_YEAR[int(doc["congress"])]
    m = re.search(r"(?:——|（)\s*(\d{4})年(\d{1,2})月(\d{1,2})日", head)
    if m and (year is None or int(m.group(1)) == year):
        return iso(*m.groups()), None
    if year is not None:
        return None, year
    m = re.search(r"同意报告提出的(?:[^0-9，。]{0,20}和)?(\d{4})年", doc["body"][:400])
    if m:
        return None, int(m.group(1))
    return None, npc_session_year(doc["title"])


def build_reports(shared):
    out = []
    with open(shared / "corpora" / "policy.jsonl", "rb") as f:
        for raw in f:
            if not raw.strip():
                continue
            doc = json.loads(raw)
            if doc.get("source") not in REPORT_SOURCES:
                continue
            date, year = report_date(doc)
            out.append(record(doc["id"], doc["title"], "report", doc["source"], doc["body"],
                              date=date, year=year, url=doc.get("url")))
    return out


def build_seeds(shared):
    files = sorted((shared / "seeds").glob("*.txt"))
    out = []
    for seed in SEEDS:
        matches = [p for p in files if p.name.startswith(seed["file_prefix"])]
        if len(matches) != 1:
            sys.exit(f"expected one seed file starting with {seed['file_prefix']}, found {len(matches)}")
        text = matches[0].read_bytes().decode("utf-8")
        # Titles are compared with no-break spaces read as spaces (001's headline has one).
        plain = text.replace("\u00a0", " ")
        for needle in [seed["title"], *seed["evidence"]]:
            if needle not in plain:
                sys.exit(f"{matches[0].name}: expected text not found: {needle!r}")
        out.append(record(seed["id"], seed["title"], seed["kind"], "seed", text,
                          date=seed.get("date"), year=seed.get("year")))
    if len(out) != len(files):
        sys.exit(f"{len(files)} seed files but {len(out)} described in SEEDS")
    return out


def write_jsonl(path, records):
    records = sorted(records, key=lambda r: r["id"])
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        sys.exit(f"{path.name}: duplicate ids")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False))
            f.write("\n")
    print(f"{path.name}: {len(records)} documents, {path.stat().st_size:,} bytes")


def main():
    here = Path(__file__).resolve().parent
    repo_root = here.parent
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else repo_root / ".." / "shared"
    shared = shared.resolve()
    if not (shared / "corpora" / "policy.jsonl").is_file():
        sys.exit(f"not a shared folder (no corpora/policy.jsonl): {shared}")
    write_jsonl(here / "reports.jsonl", build_reports(shared))
    write_jsonl(here / "seeds.jsonl", build_seeds(shared))


if __name__ == "__main__":
    main()
