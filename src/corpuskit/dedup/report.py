"""Dedup reports a person can review: ``reports/dedup.jsonl`` and ``reports/dedup.html``.

``dedup.jsonl`` holds one line per decision: the settings, every verified
candidate pair with its figures and outcome except the pairs found distinct
(they are counted in one ``distinct_pairs`` line: most verified pairs share
almost nothing), every cluster with the facts the canonical rule weighed, and
one ``merge`` line per record merged into another (with its text, since the
dataset publishes only the canonical text).  That is everything the HTML needs
besides the published texts, so ``corpuskit report OUT`` can regenerate both
files from a published folder, and with another threshold (not below
``overlap_min``) show what it would change, without re-running the pipeline.

``dedup.html`` is one self-contained file (inline CSS and a few lines of inline
script, no external resources): a histogram of pair scores with the threshold,
every cluster with a side-by-side sentence- and character-level diff of each
member against the canonical text, every near miss with its diff, and the
overlaps.  Nothing in it depends on the time or the machine.
"""

from __future__ import annotations

import array
import difflib
import html
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from ..errors import BuildError
from ..record import Record, Source
from .pairs import DISTINCT_PAIRS, EncodedLine
from .shingles import comparison_key
from .verify import DecisionParams

#: Diffs rendered in full; beyond this the report lists figures only (the HTML stays openable).
MAX_DIFFS = 300
#: Clusters (the largest) and near misses (the first) shown as full sections; the rest are table rows.
MAX_SECTIONS = 300
#: Rows of each summary table (remaining clusters, near misses, overlaps); every decision is in the jsonl.
MAX_TABLE_ROWS = 2000
#: Character-level diffs only for changed blocks up to this size (difflib is quadratic).
MAX_CHAR_DIFF = 4000
HISTOGRAM_BINS = 20

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")


# -- reading and writing the decision log -------------------------------------------------------

#: One encoder for every line (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def listed_decisions(decisions: Iterable[dict]) -> Iterator[dict]:
    """The decision lines as dedup.jsonl lists them: the pairs found distinct are left out and
    counted in one ``distinct_pairs`` line, after the pairs (counts of such lines add up).

    A distinct pair shares less than ``overlap_min`` of either text and scored below the near
    misses, so its score (a Jaccard or a containment) is below both (``score_below``): at any
    threshold from ``overlap_min`` up it neither merges nor overlaps.  Most verified pairs are
    distinct (262k of 478k in a build of 200k documents): listing them doubled the log.
    """
    distinct, below, settings, counted = 0, None, {}, False
    for d in decisions:
        kind = d["decision"]
        if kind == "pair":
            if d["outcome"] == "distinct":
                distinct += 1
                below = _min(below, min(settings["overlap_min"], near_floor(settings)))
                continue
        elif kind == DISTINCT_PAIRS:  # pairs left out upstream (without a bound: classified at these settings)
            distinct += d["count"]
            if d["count"]:
                below = _min(below, d.get("score_below") or min(settings["overlap_min"], near_floor(settings)))
            continue
        elif kind == "settings":
            settings = d
        elif not counted:
            counted = True
            yield _distinct_line(distinct, below, settings)
        yield d
    if not counted:
        yield _distinct_line(distinct, below, settings)


def _min(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def near_floor(settings: dict) -> float:
    """The lowest score of a near miss (as verify.classify), from a settings line."""
    return DecisionParams(threshold=settings["threshold"], near_miss_margin=settings["near_miss_margin"]).near_floor


def _distinct_line(count: int, below: float | None, settings: dict) -> dict:
    return {"decision": DISTINCT_PAIRS, "count": count, "overlap_min": settings.get("overlap_min"),
            "score_below": None if below is None else round(below, 4),
            "detail": "verified candidate pairs sharing less than overlap_min of either text, scoring below "
                      "score_below: counted, not listed"}


def write_jsonl(path: Path, decisions: Iterable[dict],
                on_line: Callable[[dict, int], None] | None = None) -> None:
    """Write the decision log, streamed from ``decisions``; ``on_line(line, offset)`` sees each
    line written and where it starts in the file (to read it back later, not hold it)."""
    encode = _ENCODER.encode
    offset, batch = 0, []
    with open(path, "wb") as out:
        for decision in listed_decisions(decisions):
            text = decision.json if type(decision) is EncodedLine else encode(decision)
            line = (text + "\n").encode("utf-8")
            batch.append(line)
            if on_line is not None:
                on_line(decision, offset)
            offset += len(line)
            if len(batch) >= 1024:
                out.write(b"".join(batch))
                batch = []
        out.write(b"".join(batch))


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise BuildError(f"{path} not found: is this a folder written by `corpuskit build`?")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_published(data_dir: Path, ids: set[str]) -> dict[str, dict]:
    """id → published row (text, title, sources) for the ids asked for, from parquet or jsonl shards."""
    rows: dict[str, dict] = {}
    if not ids:
        return rows
    files = sorted(data_dir.glob("*.parquet")) + sorted(data_dir.glob("*.jsonl"))
    if not files:
        raise BuildError(f"no data files in {data_dir}: is this a folder written by `corpuskit build`?")
    for path in files:
        if path.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.compute as pc
            import pyarrow.parquet as pq

            wanted = pa.array(sorted(ids), type=pa.string())
            shard = pq.ParquetFile(path)
            for group in range(shard.num_row_groups):  # streamed; ids first, texts only of groups with a hit
                hits = pc.is_in(shard.read_row_group(group, columns=["id"]).column(0), value_set=wanted)
                if pc.any(hits).as_py():
                    found = shard.read_row_group(group, columns=["id", "text", "title", "sources"])
                    for row in found.filter(hits).to_pylist():
                        rows[row["id"]] = row
        else:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    if row.get("id") in ids:
                        rows[row["id"]] = {k: row.get(k) for k in ("id", "text", "title", "sources")}
    return rows


class Texts:
    """Text (and sources) of the records the HTML shows: merge lines carry the texts of merged
    records, the data files the published ones.

    Only the records asked for are loaded (:meth:`load`), so a report of a corpus of millions
    holds the texts of the few hundred diffs it shows, not of every record the decisions mention.
    When ``decisions`` were not kept, the merge lines are read back from the decision log
    (:meth:`of_view`).  ``published`` (id → the published record, or None) gives the published texts instead of the
    data files: reading those back scans every shard, a cost that grows with the corpus.
    """

    def __init__(self, decisions: list[dict], data_dir: Path,
                 published: Callable[[str], Record | None] | None = None):
        self.data_dir, self.published = data_dir, published
        self.rows: dict[str, dict] = {}
        self.merged_ids: set[str] = set()
        self._inline: dict[str, dict] = {}  # merge lines that still carry their text
        self.own_sources: dict[str, list[dict]] = {}
        self.own_paths: dict[str, str | None] = {}  # cluster member → its own first source's path
        #: ids → {id: merge line} of the merged-away records among them (a view of a log: :meth:`of_view`)
        self.merge_lines: Callable[[set[str]], dict[str, dict]] | None = None
        for d in decisions:
            if d["decision"] == "merge":
                self.merged_ids.add(d["record"])
                if "text" in d:
                    self._inline[d["record"]] = d
            elif d["decision"] == "cluster":
                for m in d["members"]:
                    self.own_sources[m["id"]] = m["sources"]
        self.recording: set[str] | None = None

    @classmethod
    def of_view(cls, view: _Decisions, data_dir: Path,
                published: Callable[[str], Record | None] | None = None) -> Texts:
        """The texts of a report gathered by :class:`_Decisions` from the log it wrote."""
        texts = cls([], data_dir, published)
        texts.own_paths, texts.merge_lines = view.member_paths, view.merge_lines
        return texts

    def load(self, ids: set[str]) -> None:
        """Read the texts and sources of ``ids`` (merge texts from the log, the rest from the data files)."""
        ids = set(ids) - set(self.rows)
        if self.merge_lines is not None:  # a view of a log: the merge lines of these ids read back
            lines = self.merge_lines(ids)
            merged = set(lines)
        else:
            merged = ids & self.merged_ids
            lines = {rid: self._inline[rid] for rid in merged & set(self._inline)}
        for rid, d in lines.items():
            self.rows[rid] = {"text": d["text"], "title": d.get("title"), "sources": d.get("sources") or []}
        if self.published is None:
            self.rows.update(load_published(self.data_dir, ids - merged))
            return
        for rid in sorted(ids - merged):
            rec = self.published(rid)
            if rec is not None:  # the row the data files hold
                self.rows[rid] = {"id": rid, "text": rec.text, "title": rec.title,
                                  "sources": [dict(vars(src)) for src in rec.sources]}

    def text(self, rid: str) -> str | None:
        if self.recording is not None:
            self.recording.add(rid)
            return ""
        row = self.rows.get(rid)
        return None if row is None else row["text"]

    def record(self, rid: str) -> Record | None:
        if rid not in self.rows:
            self.load({rid})
        row = self.rows.get(rid)
        if row is None:
            return None
        sources = self.own_sources.get(rid, row.get("sources") or [])
        return Record(id=rid, text=row["text"], title=row.get("title"), sources=[Source(**s) for s in sources])

    def path(self, rid: str) -> str:
        if self.recording is not None and rid not in self.own_sources and rid not in self.own_paths:
            self.recording.add(rid)
            return "?"
        if self.own_paths.get(rid):
            return self.own_paths[rid]
        sources = self.own_sources.get(rid) or (self.rows.get(rid) or {}).get("sources") or []
        return sources[0]["path"] if sources else "?"


# -- re-thresholding --------------------------------------------------------------------------

def rethreshold(decisions: list[dict], texts: Texts, threshold: float) -> list[dict]:
    """The decisions the build would have made at another threshold (same candidate pairs)."""
    from . import VerifiedPair, decide
    from .shingles import ShingleParams

    settings = next(d for d in decisions if d["decision"] == "settings")
    distinct = [d for d in decisions if d["decision"] == DISTINCT_PAIRS]
    unlisted = sum(d["count"] for d in distinct)
    if unlisted and threshold < settings["overlap_min"]:
        raise BuildError(
            f"--threshold {threshold:.2f} is below overlap_min ({settings['overlap_min']:.2f}): reports/dedup.jsonl "
            f"counts but does not list the {unlisted:,} verified pairs that share less than that of either text, "
            f"so it cannot re-decide them; use a threshold of at least {settings['overlap_min']:.2f}"
        )
    sp = ShingleParams(**{k: settings[k] for k in ShingleParams.__dataclass_fields__})
    dp = replace(DecisionParams(**{k: settings[k] for k in DecisionParams.__dataclass_fields__}), threshold=threshold)
    pairs = [VerifiedPair.from_decision(d) for d in decisions if d["decision"] == "pair"]
    from . import cluster_pairs

    texts.load({m for c in cluster_pairs(pairs, dp) for m in c})  # every member's text, in one pass

    def fetch(rid: str) -> Record:
        rec = texts.record(rid)
        if rec is None:
            raise BuildError(f"record {rid} is in reports/dedup.jsonl but neither published nor merged")
        return rec

    result = decide(pairs, fetch, sp, dp)
    result.settings.update({k: v for k, v in settings.items() if k not in result.settings})
    return distinct + result.decisions  # the unlisted pairs stay counted (listed_decisions adds the counts)


# -- HTML -------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.05em;margin:.2em 0}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top;font-size:.9em}
th{background:#f4f4f4;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}
section.cluster,section.near-miss{border:1px solid #bbb;border-radius:4px;padding:.6em;margin:1em 0}
.canonical{font-weight:bold}.rule{background:#eef5ff;padding:.2em .5em;display:inline-block}
table.diff{width:100%;table-layout:fixed;margin-top:.5em}table.diff td{white-space:pre-wrap;word-break:break-all;font-size:.85em}
table.diff td.same{color:#777}table.diff td.gap{background:#fafafa;color:#999;text-align:center;font-style:italic}
del{background:#ffd7d5;text-decoration:line-through}ins{background:#ccf0d0;text-decoration:none}
td.del{background:#fff0ef}td.ins{background:#effbef}
.bar{fill:#6a8fd0}.bar.merge{fill:#3a9a55}.bar.near{fill:#e0a030}.threshold{stroke:#c00;stroke-width:2}
svg text{font-size:10px;fill:#333}
"""

# Runs in the browser: checks the two diff columns really sit side by side and marks the page,
# so a headless test sees what a reader sees.
SCRIPT = """
document.addEventListener('DOMContentLoaded',function(){
  var ok=0,bad=0;
  document.querySelectorAll('table.diff tr.row').forEach(function(tr){
    var c=tr.children; if(c.length<2||tr.getClientRects().length===0)return;  // skip collapsed <details>
    var l=c[0].getBoundingClientRect(), r=c[1].getBoundingClientRect();
    if(l.width>0&&r.width>0&&l.right<=r.left+1)ok++;else bad++;
  });
  document.body.setAttribute('data-rendered','clusters='+document.querySelectorAll('section.cluster').length+
    ' near_misses='+document.querySelectorAll('section.near-miss').length+' side_by_side='+ok+' broken='+bad);
});
"""


def split_sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def char_diff(a: str, b: str) -> tuple[str, str]:
    """HTML of ``a`` with deletions marked and of ``b`` with insertions marked."""
    if len(a) + len(b) > MAX_CHAR_DIFF:
        return f"<del>{html.escape(a)}</del>", f"<ins>{html.escape(b)}</ins>"
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        sa, sb = html.escape(a[i1:i2]), html.escape(b[j1:j2])
        if op == "equal":
            left.append(sa)
            right.append(sb)
        else:
            if sa:
                left.append(f"<del>{sa}</del>")
            if sb:
                right.append(f"<ins>{sb}</ins>")
    return "".join(left), "".join(right)


def side_by_side(a: str, b: str, context: int = 2) -> str:
    """A two-column diff: sentences aligned on their comparison keys, changed ones diffed by character."""
    sa, sb = split_sentences(a), split_sentences(b)
    matcher = difflib.SequenceMatcher(None, [comparison_key(s) for s in sa], [comparison_key(s) for s in sb], autojunk=False)
    rows = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            block = list(zip(sa[i1:i2], sb[j1:j2]))
            shown = block if len(block) <= 2 * context + 1 else block[:context] + [None] + block[-context:]
            for pair in shown:
                if pair is None:
                    rows.append(f'<tr class="row"><td class="gap">… {len(block) - 2 * context} matching sentences …</td>'
                                f'<td class="gap">… {len(block) - 2 * context} matching sentences …</td></tr>')
                    continue
                left, right = (char_diff(*pair) if pair[0] != pair[1] else (html.escape(pair[0]), html.escape(pair[1])))
                rows.append(f'<tr class="row"><td class="same">{left}</td><td class="same">{right}</td></tr>')
        elif op == "replace":
            left, right = char_diff("".join(sa[i1:i2]), "".join(sb[j1:j2]))
            rows.append(f'<tr class="row"><td class="del">{left}</td><td class="ins">{right}</td></tr>')
        elif op == "delete":
            rows.append(f'<tr class="row"><td class="del"><del>{html.escape("".join(sa[i1:i2]))}</del></td><td></td></tr>')
        else:
            rows.append(f'<tr class="row"><td></td><td class="ins"><ins>{html.escape("".join(sb[j1:j2]))}</ins></td></tr>')
    return "\n".join(rows)



def _bin(score: float) -> int:
    return min(int(score * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)


def _histogram_of_counts(counts: list[int], threshold: float, margin: float) -> str:
    width, height, pad = 640, 180, 30
    bar_w = (width - 2 * pad) / HISTOGRAM_BINS
    top = max(counts) or 1
    parts = [f'<svg id="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" '
             f'role="img" aria-label="histogram of pair scores">']
    for i, c in enumerate(counts):
        lo = i / HISTOGRAM_BINS
        h = 0 if c == 0 else max(1.0, (height - 20) * c / top)
        x, y = pad + i * bar_w, height - h
        cls = "bar merge" if lo >= threshold - 1e-9 else ("bar near" if lo >= threshold - margin - 1e-9 else "bar")
        parts.append(f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}">'
                     f'<title>{lo:.2f}–{lo + 1 / HISTOGRAM_BINS:.2f}: {c} pairs</title></rect>')
        if c:
            parts.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle">{c}</text>')
    for i in range(0, HISTOGRAM_BINS + 1, 2):
        x = pad + i * bar_w
        parts.append(f'<text x="{x:.1f}" y="{height + 14}" text-anchor="middle">{i / HISTOGRAM_BINS:.1f}</text>')
    tx = pad + threshold * (width - 2 * pad)
    parts.append(f'<line class="threshold" x1="{tx:.1f}" y1="0" x2="{tx:.1f}" y2="{height}"/>')
    parts.append(f'<text x="{tx + 3:.1f}" y="10">threshold {threshold:.2f}</text>')
    parts.append(f'<text x="{width / 2:.0f}" y="{height + 32}" text-anchor="middle">score of each verified candidate pair</text>')
    parts.append("</svg>")
    return "".join(parts)


def _figures(p: dict) -> str:
    return (f'<table class="figures"><tr><th>pair</th><th>found by</th><th>Jaccard</th><th>containment a→b</th>'
            f'<th>containment b→a</th><th>length ratio</th><th>score ({html.escape(p["measure"])})</th><th>outcome</th></tr>'
            f'<tr><td><code>{p["a"]}</code> · <code>{p["b"]}</code></td><td>{", ".join(p["found_by"])}</td>'
            f'<td class="num">{p["jaccard"]:.3f}</td><td class="num">{p["containment_a"]:.3f}</td>'
            f'<td class="num">{p["containment_b"]:.3f}</td><td class="num">{p["length_ratio"]:.3f}</td>'
            f'<td class="num">{p["score"]:.3f}</td><td>{p["outcome"]}</td></tr></table>')


class _Decisions:
    """What the HTML shows, gathered line by line in one pass (:meth:`add`): counts, the first
    near misses and overlaps, and where in the log (``log``) each pair and cluster line starts,
    to read back the few that the page cites (:meth:`finish`) instead of holding every line."""

    def __init__(self, log: Path | None = None):
        self.log = log
        self.settings: dict = {}
        self.bins = [0] * HISTOGRAM_BINS
        self.listed_pairs = self.distinct = self.near_count = self.overlap_count = self.merged_count = 0
        self.score_below: float | None = None
        self.near: list[dict] = []  # the first MAX_SECTIONS + MAX_TABLE_ROWS
        self.overlaps: list[dict] = []  # the first MAX_TABLE_ROWS
        self.member_paths: dict[str, str | None] = {}  # (made by finish for the records the page shows)
        # Cluster members and merged records are found the same way, by the hash of their id:
        # the cluster line of each member (index in _clusters), the merge line of each merged
        # record (where it starts in the log); finish and merge_lines read back the few needed.
        self._member_keys, self._member_cluster = array.array("q"), array.array("q")
        self._merge_keys, self._merge_where = array.array("q"), array.array("q")
        # Every listed pair as two machine words, not a dict entry of a tuple of two strings
        # (about 250 bytes per pair, 55 MB at 200k documents): hash((a, b)), and where its line
        # starts in the log, or -(k + 1) for the k-th line held in memory (_held_pairs).
        self._pair_keys = array.array("q")
        self._pair_where = array.array("q")
        self._held_pairs: list[dict] = []
        self._clusters: list[tuple[int, dict | int, tuple]] = []  # size, line or offset, table row

    @classmethod
    def of(cls, decisions: Iterable[dict]) -> _Decisions:
        """The view of decision lines held in memory."""
        view = cls()
        for d in listed_decisions(decisions):
            view.add(d)
        view.finish()
        return view

    def add(self, d: dict, offset: int | None = None) -> None:
        kind = d["decision"]
        kept = d if offset is None else offset
        if kind == "pair":
            self.listed_pairs += 1
            self.bins[_bin(d["score"])] += 1
            if d["outcome"] == "near_miss":
                self.near_count += 1
                if len(self.near) < MAX_SECTIONS + MAX_TABLE_ROWS:
                    self.near.append(_whole(d))
            elif d["outcome"] == "overlap":
                self.overlap_count += 1
                if len(self.overlaps) < MAX_TABLE_ROWS:
                    self.overlaps.append(_whole(d))
            self._pair_keys.append(hash((d["a"], d["b"])))
            if offset is None:
                self._held_pairs.append(_whole(d))
                offset = -len(self._held_pairs)
            self._pair_where.append(offset)
        elif kind == "cluster":
            members, canonical = d["members"], d["canonical"]
            self.merged_count += len(members) - 1
            title = next((m.get("title") for m in members if m["id"] == canonical), "") or ""
            self._clusters.append((len(members), kept, (d["cluster"], len(members), d["merge_rule"],
                                                        d["canonical_rule"], title)))
            for m in members:
                self._member_keys.append(hash(m["id"]))
                self._member_cluster.append(len(self._clusters) - 1)
        elif kind == "merge" and offset is not None and "text" in d:  # (a view held in memory: Texts has the lines)
            self._merge_keys.append(hash(d["record"]))
            self._merge_where.append(offset)
        elif kind == DISTINCT_PAIRS:
            self.distinct, self.score_below = d["count"], d["score_below"]
        elif kind == "settings":
            self.settings = d

    def finish(self) -> None:
        """Choose what the page shows in full and read those lines back."""
        sizes = self._clusters
        by_size = sorted(range(len(sizes)), key=lambda i: (-sizes[i][0], i))
        shown = sorted(by_size[:MAX_SECTIONS])
        self.cluster_count = len(sizes)
        self.shown_clusters = self._read([sizes[i][1] for i in shown])
        self.rest_count = len(sizes) - len(shown)
        self.rest = [sizes[i][2] for i in by_size[MAX_SECTIONS:MAX_SECTIONS + MAX_TABLE_ROWS]]
        # Only the pairs the shown clusters cite are read back (a dict of every pair cost a
        # second per 100k documents, twice).
        cited = {tuple(sorted((c["canonical"], m["id"]))) for c in self.shown_clusters for m in c["members"][1:]}
        self.pair_of = self._cited_pairs(cited)
        # The records the page names with a path (each member's own first source) or, in the
        # overlap table, with the record it was merged into: their cluster lines are read back.
        in_table = {rid for p in self.overlaps for rid in (p["a"], p["b"])}
        named = {m["id"] for c in self.shown_clusters for m in c["members"]} | in_table
        named |= {rid for p in self.near for rid in (p["a"], p["b"])}
        read = dict(zip(shown, self.shown_clusters))
        wanted = [i for i in self._lines_of(self._member_keys, self._member_cluster, named) if i not in read]
        read.update(zip(wanted, self._read([sizes[i][1] for i in wanted])))
        canonical_of: dict[str, str] = {}
        for i in sorted(read):
            for m in read[i]["members"]:
                if m["id"] in named:
                    canonical_of[m["id"]] = read[i]["canonical"]
                    self.member_paths[m["id"]] = m["sources"][0]["path"] if m["sources"] else None
        self.published = {rid: canonical_of[rid] for rid in in_table if rid in canonical_of}
        self.histogram = _histogram_of_counts(self.bins, self.settings["threshold"], _near_margin(self.settings))
        self._pair_keys, self._pair_where, self._held_pairs = array.array("q"), array.array("q"), []
        self._clusters, self._member_keys, self._member_cluster = [], array.array("q"), array.array("q")

    @staticmethod
    def _lines_of(keys: array.array, values: array.array, ids: set) -> list[int]:
        """The values (sorted, once each) stored with the hashes of ``ids`` (record ids or pairs
        of them): a superset of the lines that hold them (a hash collision adds a line, which
        the caller's test of the ids in it leaves out)."""
        if not ids or not keys:
            return []
        rows = np.flatnonzero(np.isin(np.frombuffer(keys, dtype=np.int64),
                                      np.fromiter((hash(rid) for rid in ids), dtype=np.int64)))
        return sorted({values[k] for k in rows.tolist()})

    def merge_lines(self, ids: set[str]) -> dict[str, dict]:
        """record id → its merge line, for the merged-away records among ``ids`` (read back from the log)."""
        lines = self._read(self._lines_of(self._merge_keys, self._merge_where, ids))
        return {d["record"]: d for d in lines if d["record"] in ids}

    def _cited_pairs(self, cited: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """(a, b) → the pair's line, for the listed pairs among ``cited``.  Lines whose key hash
        matches are read and kept only if their ids do: a hash collision reads one line too many."""
        where = self._lines_of(self._pair_keys, self._pair_where, cited)
        lines = self._read([self._held_pairs[-w - 1] if w < 0 else w for w in where])
        found = {(line["a"], line["b"]): line for line in lines}
        return {key: found[key] for key in sorted(cited & found.keys())}

    def _read(self, kept: list[dict | int]) -> list[dict]:
        """The lines, read back from the log where only their offsets were kept."""
        offsets = sorted(k for k in kept if isinstance(k, int))
        lines: dict[int, dict] = {}
        if offsets:
            with open(self.log, "rb") as f:
                for offset in offsets:
                    f.seek(offset)
                    lines[offset] = json.loads(f.readline())
        return [lines[k] if isinstance(k, int) else k for k in kept]


def _whole(d: dict) -> dict:
    """A decision line as a dict of all its keys (an :class:`EncodedLine` holds only a few)."""
    return d.full() if type(d) is EncodedLine else d


def _near_margin(settings: dict) -> float:
    return settings["threshold"] - near_floor(settings)


def render_html(decisions: Iterable[dict], texts: Texts) -> str:
    """The HTML report of decision lines held in memory."""
    return _render_twice(_Decisions.of(decisions), texts)


def _render_twice(view: _Decisions, texts: Texts) -> str:
    """Rendered twice: a first pass records which records the page shows, so that only their
    texts are loaded for the second."""
    texts.recording = set()
    try:
        _render_html(view, texts)
    finally:
        wanted, texts.recording = texts.recording, None
    texts.load(wanted)
    return _render_html(view, texts)


def _more(shown: int, total: int, what: str) -> str:
    return f"<p>{total - shown} more {what} are listed in dedup.jsonl only.</p>" if total > shown else ""


def _render_html(view: _Decisions, texts: Texts) -> str:
    settings, near, overlaps, pair_of = view.settings, view.near, view.overlaps, view.pair_of
    threshold = settings["threshold"]
    margin = _near_margin(settings)
    overlap_min = settings.get("overlap_min", 0.0)
    diffs_left = MAX_DIFFS
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh"><head><meta charset="utf-8">',
           "<title>corpuskit dedup report</title>", f"<style>{CSS}</style>", f"<script>{SCRIPT}</script>", "</head><body>",
           "<h1>Deduplication report</h1>",
           f'<p id="summary">{view.listed_pairs + view.distinct} candidate pairs verified; <b>{view.cluster_count}'
           f'</b> clusters merging {view.merged_count} records; <b>{view.near_count}</b> near misses (score ≥ '
           f'{threshold - margin:.2f} and &lt; {threshold:.2f}); {view.overlap_count} overlapping pairs; '
           f'{view.distinct} distinct pairs (sharing less than {overlap_min:.0%} of either text: counted in '
           f'dedup.jsonl, not listed).</p>',
           f'<p>Score = exact Jaccard of the {settings["ngram"]}-character shingles of the comparison key, or the '
           f'containment of the smaller text in the larger when it has at least {settings["min_length_ratio"]:.0%} of '
           f'the larger\'s shingles. Pairs merge at score ≥ <b>{threshold:.2f}</b>. Candidates: MinHash '
           f'({settings["num_perm"]} permutations, {settings["bands"]} bands × {settings["rows"]} rows), exact text '
           f'hashes and shared {settings["anchor_ngram"]}-character anchors. Try another threshold with '
           f'<code>corpuskit report OUT --threshold X</code>.</p>',
           "<h2>Pair scores</h2>", view.histogram]
    if view.distinct:
        below = view.score_below
        out.append(f"<p>The {view.distinct} distinct pairs (score below {below:.2f}) are not drawn."
                   + (f" Near misses scoring below {below:.2f} are among them, not shown."
                      if threshold - margin < below else "") + "</p>")
    out.append(f"<h2>Clusters ({view.cluster_count})</h2>")
    if view.rest_count:
        out.append(f"<p>The {len(view.shown_clusters)} largest clusters are shown in full; the others in the table "
                   "below.</p>")
    for c in view.shown_clusters:
        members = c["members"]
        canonical = c["canonical"]
        out.append(f'<section class="cluster" id="cluster-{esc(c["cluster"])}" data-members="{" ".join(m["id"] for m in members)}">')
        out.append(f'<h3>Cluster <code>{esc(c["cluster"])}</code>: {len(members)} records, merged by {esc(c["merge_rule"])}</h3>')
        out.append(f'<p class="rule">canonical text: <code>{esc(canonical)}</code>, chosen by {esc(c["canonical_rule"])}</p>')
        out.append("<table><tr><th>record</th><th>source</th><th>kind</th><th>completeness</th><th>noise lines</th><th>title</th></tr>")
        for m in members:
            cls = ' class="canonical"' if m["id"] == canonical else ""
            path = m["sources"][0]["path"] if m["sources"] else "?"
            out.append(f'<tr{cls}><td><code>{m["id"]}</code></td><td>{esc(path)}</td><td>{esc(m["kind"])}</td>'
                       f'<td class="num">{m["completeness"]:.3f}</td><td class="num">{m["noise_lines"]}</td>'
                       f'<td>{esc(m.get("title") or "")}</td></tr>')
        out.append("</table>")
        for m in members[1:]:
            key = tuple(sorted((canonical, m["id"])))
            p = pair_of.get(key)
            if p is not None:
                out.append(_figures(p))
            else:
                out.append(f'<p>(<code>{m["id"]}</code> joined through another member, not directly.)</p>')
            a, b = texts.text(canonical), texts.text(m["id"])
            if diffs_left > 0 and a is not None and b is not None:
                diffs_left -= 1
                out.append(f'<table class="diff"><tr><th>canonical <code>{canonical}</code> ({esc(texts.path(canonical))})</th>'
                           f'<th><code>{m["id"]}</code> ({esc(texts.path(m["id"]))})</th></tr>{side_by_side(a, b)}</table>')
        out.append("</section>")
    if view.rest_count:
        out.append("<table class=\"more-clusters\"><tr><th>cluster (canonical)</th><th>records</th><th>merged by</th>"
                   "<th>canonical chosen by</th><th>title</th></tr>")
        for cluster, size, merge_rule, canonical_rule, title in view.rest:
            out.append(f'<tr><td><code>{esc(cluster)}</code></td><td class="num">{size}</td>'
                       f'<td>{esc(merge_rule)}</td><td>{esc(canonical_rule)}</td><td>{esc(title)}</td></tr>')
        out.append("</table>")
        out.append(_more(len(view.rest), view.rest_count, "clusters"))
    out.append(f"<h2>Near misses ({view.near_count})</h2>")
    if not near:
        out.append("<p>No pair scored just under the threshold.</p>")
    for p in near[:MAX_SECTIONS]:
        out.append(f'<section class="near-miss" id="near-{p["a"]}-{p["b"]}">')
        out.append(f'<h3>{esc(texts.path(p["a"]))} · {esc(texts.path(p["b"]))}</h3>')
        out.append(f'<p class="rule">kept apart: score {p["score"]:.3f} &lt; threshold {threshold:.2f}</p>')
        out.append(_figures(p))
        a, b = texts.text(p["a"]), texts.text(p["b"])
        if diffs_left > 0 and a is not None and b is not None:
            diffs_left -= 1
            out.append(f'<table class="diff"><tr><th><code>{p["a"]}</code></th><th><code>{p["b"]}</code></th></tr>'
                       f"{side_by_side(a, b)}</table>")
        out.append("</section>")
    if view.near_count > MAX_SECTIONS:
        more = near[MAX_SECTIONS : MAX_SECTIONS + MAX_TABLE_ROWS]
        out.append("<table class=\"more-near-misses\"><tr><th>a</th><th>b</th><th>Jaccard</th><th>score</th></tr>")
        for p in more:
            out.append(f'<tr><td><code>{p["a"]}</code></td><td><code>{p["b"]}</code></td>'
                       f'<td class="num">{p["jaccard"]:.3f}</td><td class="num">{p["score"]:.3f}</td></tr>')
        out.append("</table>")
        out.append(_more(MAX_SECTIONS + len(more), view.near_count, "near misses"))
    out.append(f"<h2>Overlaps ({view.overlap_count})</h2>")
    out.append("<p>Pairs kept apart that share part of their text (recorded in each record's <code>overlaps</code>).</p>")
    if overlaps:
        published = view.published

        def cell(rid: str) -> str:
            via = published.get(rid, rid)
            note = f" (merged into <code>{via}</code>)" if via != rid else ""
            return f"<td><code>{rid}</code> {esc(texts.path(rid))}{note}</td>"

        out.append("<table><tr><th>a</th><th>b</th><th>share of a in b</th><th>share of b in a</th><th>Jaccard</th></tr>")
        for p in overlaps[:MAX_TABLE_ROWS]:
            out.append(f'<tr class="overlap">{cell(p["a"])}{cell(p["b"])}<td class="num">{p["containment_a"]:.3f}</td>'
                       f'<td class="num">{p["containment_b"]:.3f}</td><td class="num">{p["jaccard"]:.3f}</td></tr>')
        out.append("</table>")
        out.append(_more(min(view.overlap_count, MAX_TABLE_ROWS), view.overlap_count, "overlapping pairs"))
        for p in overlaps[:MAX_TABLE_ROWS]:  # the shared passages, for a reader who wants to see them
            a, b = texts.text(p["a"]), texts.text(p["b"])
            if diffs_left <= 0 or a is None or b is None:
                continue
            diffs_left -= 1
            out.append(f'<details class="overlap-diff" id="overlap-{p["a"]}-{p["b"]}"><summary>shared text of '
                       f'<code>{p["a"]}</code> and <code>{p["b"]}</code></summary><table class="diff"><tr><th><code>'
                       f'{p["a"]}</code></th><th><code>{p["b"]}</code></th></tr>{side_by_side(a, b)}</table></details>')
    if diffs_left <= 0:
        out.append(f"<p>Only the first {MAX_DIFFS} diffs are shown; every decision is in dedup.jsonl.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_reports(report_dir: Path, decisions: Iterable[dict], data_dir: Path, stem: str = "dedup",
                  published: Callable[[str], Record | None] | None = None) -> None:
    """Write ``<stem>.jsonl`` (streamed from ``decisions``) and ``<stem>.html`` into ``report_dir``.

    No line is kept in memory: the HTML reads back only the lines and texts it shows, published
    texts from ``data_dir`` or, cheaper, ``published`` (id → the record as published, or None;
    see :class:`Texts`).
    """
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / f"{stem}.jsonl"
    view = _Decisions(path)  # the lines are read back from the log as needed, not held
    write_jsonl(path, decisions, view.add)
    view.finish()
    texts = Texts.of_view(view, data_dir, published)
    (report_dir / f"{stem}.html").write_text(_render_twice(view, texts), encoding="utf-8")


def regenerate(out_dir: Path, threshold: float | None = None) -> tuple[Path, dict]:
    """``corpuskit report``: rebuild the reports of a published folder, optionally at another threshold.

    Returns the HTML path and a summary comparing the clusters with the build's.
    """
    out_dir = Path(out_dir)
    report_dir = out_dir / "reports"
    decisions = read_jsonl(report_dir / "dedup.jsonl")
    texts = Texts(decisions, out_dir / "data")
    stem = "dedup"
    built = {tuple(m["id"] for m in d["members"]) for d in decisions if d["decision"] == "cluster"}
    if threshold is not None:
        decisions = rethreshold(decisions, texts, threshold)
        stem = f"dedup-threshold-{threshold:.2f}"
    now = {tuple(m["id"] for m in d["members"]) for d in decisions if d["decision"] == "cluster"}
    listed: list[dict] = []
    write_jsonl(report_dir / f"{stem}.jsonl", decisions, lambda line, _offset: listed.append(line))
    decisions = listed
    (report_dir / f"{stem}.html").write_text(render_html(decisions, texts), encoding="utf-8")
    canon = lambda cs: {tuple(sorted(c)) for c in cs}  # noqa: E731
    summary = {
        "threshold": next(d for d in decisions if d["decision"] == "settings")["threshold"],
        "clusters": len(now),
        "records_merged": sum(len(c) - 1 for c in now),
        "new_clusters": len(canon(now) - canon(built)),
        "clusters_gone": len(canon(built) - canon(now)),
        "near_misses": sum(1 for d in decisions if d["decision"] == "pair" and d["outcome"] == "near_miss"),
    }
    return report_dir / f"{stem}.html", summary
