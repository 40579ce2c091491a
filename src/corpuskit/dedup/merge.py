"""Merging a cluster of reprints into one record.

The canonical text is chosen by one deterministic rule, applied in order:

1. completeness — how much of the other members' prose (lines holding
   sentences, see :func:`prose`) this member contains (mean containment); members within 0.05 of the most complete one count as
   equally complete, so that a changed word does not outweigh the next criteria;
2. source authority — the publisher's own text (``article``,
   ``newspaper_page``) over a generic web page (``html``) over a ``portal``
   reprint over a ``forum`` repost;
3. fewest residual noise lines (short lines with no sentence in them that the
   cleaners left behind: counters, share buttons, user-profile fields);
4. the smallest record id.

The merged record keeps the canonical record's id and text, lists every
member's sources (canonical first), and fills metadata the canonical lacks
(title, author, date …) from the other members in rule order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np


from ..record import Record
from .shingles import ShingleParams, shingle_sets
from .verify import shared_count

#: Lower is more authoritative.
AUTHORITY = {"article": 0, "newspaper_page": 0, "html": 1, "portal": 2, "forum": 3}
COMPLETENESS_TOLERANCE = 0.05
_METADATA = ("title", "subtitle", "author", "publication", "date", "section")
# A line is prose when it holds sentence punctuation; a short line without any is residual chrome.
_SENTENCE = re.compile(r"[。！？；…!?;]|[，,].*[，,]")
_NOISE_MAX_CHARS = 20
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _is_noise_line(stripped: str) -> bool:
    """A short line with no sentence in it that is not a heading (see :func:`residual_noise_lines`)."""
    han = len(_HAN.findall(stripped))
    # a subheading (navigation like "上一主题 下一主题" is short words between spaces)
    return not (han >= 4 and han >= 0.8 * len(stripped) and not re.search(r"\s", stripped))


@dataclass(frozen=True)
class MemberLines:
    """What ranking needs of a member's lines, read in one pass: its :func:`prose`, whether the
    prose is the whole text (every line with any text holds a sentence), and its
    :func:`residual_noise_lines`."""

    prose: str
    whole: bool
    noise_lines: int

    @classmethod
    def of(cls, text: str) -> MemberLines:
        kept, whole, noise = [], True, 0
        for line in text.splitlines():
            if _SENTENCE.search(line):  # stripping cannot change this: the marks are not blanks
                kept.append(line)
                continue
            s = line.strip()
            if s:
                whole = False
                if len(s) <= _NOISE_MAX_CHARS and _is_noise_line(s):
                    noise += 1
        return cls("\n".join(kept), whole, noise)


def residual_noise_lines(text: str) -> int:
    """Lines that look like page chrome: short, no sentence punctuation, not a heading-like title.

    "0", "分享至", "UID: 329002", "发帖", "上一主题 下一主题" count; "江淮腹地，“中国声谷”。…" does not.
    A short line made only of Han characters, without spaces (a heading), does not count either, so
    an article's own subheadings do not make its publisher's text look noisy.
    """
    return MemberLines.of(text).noise_lines


@dataclass(frozen=True)
class CanonicalRank:
    """Why a member ranks where it does (reported for every cluster)."""

    id: str
    completeness: float
    authority: int
    kind: str
    noise_lines: int

    def key(self, best_completeness: float) -> tuple:
        if self.completeness >= best_completeness - COMPLETENESS_TOLERANCE:
            return (0, 0.0, self.authority, self.noise_lines, self.id)
        return (1, -self.completeness, self.authority, self.noise_lines, self.id)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "completeness": round(self.completeness, 4),
            "authority": self.authority,
            "kind": self.kind,
            "noise_lines": self.noise_lines,
        }


def _authority(record: Record) -> tuple[int, str]:
    kinds = [s.kind for s in record.sources] or ["html"]
    best = min(kinds, key=lambda k: (AUTHORITY.get(k, 1), k))
    return AUTHORITY.get(best, 1), best


def prose(text: str) -> str:
    """The lines of ``text`` that hold sentences: what completeness is measured on.

    Leftover chrome — "责任编辑：王晓明", "相关阅读", related-article titles, copyright
    lines — has no sentence in it, so a portal page does not look more complete
    than the publisher's text just because it kept some chrome.
    """
    return MemberLines.of(text).prose


def prose_sets(records: list[Record], lines: list[MemberLines], params: ShingleParams = ShingleParams(),
               shingles: Callable[[str], np.ndarray] | None = None) -> list[np.ndarray]:
    """The shingle set of each member's prose (of its whole text when it has no prose).

    ``shingles``: the shingle set of a record's whole text by id, if already known (dedup keeps
    them): used instead of hashing again when the prose is the whole text (line breaks and blank
    lines are not part of the comparison key). The others are hashed together, in one batch.
    """
    sets: list[np.ndarray | None] = [None] * len(records)
    todo = []
    for k, (r, facts) in enumerate(zip(records, lines)):
        if shingles is not None and facts.whole:
            sets[k] = shingles(r.id)
        else:
            todo.append(k)
    texts = [lines[k].prose if lines[k].prose.strip() else records[k].text for k in todo]
    for k, found in zip(todo, shingle_sets(texts, params)):
        sets[k] = found
    return sets


def rank_members(records: list[Record], params: ShingleParams = ShingleParams(),
                 shingles: Callable[[str], np.ndarray] | None = None,
                 lines: list[MemberLines] | None = None, sets: list[np.ndarray] | None = None) -> list[CanonicalRank]:
    """Every member's rank facts, best first (the first is the canonical).

    ``shingles``: see :func:`prose_sets`; ``lines`` and ``sets``: the members' :class:`MemberLines`
    and prose sets, if already known (:func:`merge_clusters` finds those of many clusters at once).
    """
    lines = lines if lines is not None else [MemberLines.of(r.text) for r in records]
    sets = sets if sets is not None else prose_sets(records, lines, params, shingles)
    n = len(records)
    # |A ∩ B| is symmetric: each unordered pair of members is counted once
    shared = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared[i][j] = shared[j][i] = shared_count(sets[i], sets[j])
    ranks = []
    for i, r in enumerate(records):
        # members with the same id (never in a cluster, but allowed here) are not "others"
        others = [j for j, o in enumerate(records) if o.id != r.id]
        if others:
            shares = [shared[i][j] / len(sets[j]) if len(sets[j]) else 1.0 for j in others]
            completeness = sum(shares) / len(shares)
        else:
            completeness = 1.0
        authority, kind = _authority(r)
        ranks.append(CanonicalRank(r.id, completeness, authority, kind, lines[i].noise_lines))
    best = max(r.completeness for r in ranks)
    return sorted(ranks, key=lambda r: r.key(best))


def choose_canonical(records: list[Record], params: ShingleParams = ShingleParams()) -> Record:
    """The member whose text the merged record keeps (see the module docstring for the rule)."""
    best = rank_members(records, params)[0].id
    return next(r for r in records if r.id == best)


def explain_choice(ranks: list[CanonicalRank]) -> str:
    """Which criterion separated the canonical from the runner-up, in words."""
    if len(ranks) < 2:
        return "single member"
    a, b = ranks[0], ranks[1]
    best = max(r.completeness for r in ranks)
    ka, kb = a.key(best), b.key(best)
    if ka[:2] != kb[:2]:
        return f"completeness ({a.completeness:.2f} > {b.completeness:.2f})"
    if ka[2] != kb[2]:
        return f"source authority ({a.kind} over {b.kind})"
    if ka[3] != kb[3]:
        return f"fewest residual noise lines ({a.noise_lines} < {b.noise_lines})"
    return "smallest id (all else equal)"


#: a kicker must be at least this long to be split off a run-together headline
_MIN_TITLE_PART = 4
_TITLE_EDGE_PUNCT = "，,：:；;—-－ 　"


def split_run_together_title(merged: Record, other: Record) -> None:
    """Use a reprint's title to split a kicker (引题) run together with the headline.

    Print extractions often glue the kicker to the headline; a reprint that
    carries the headline alone shows where it starts:
    ``25个先进制造业集群中，六成以上主导方向都是数字经济我国数字产业集群加速成长`` with a
    member titled ``我国数字产业集群加速成长`` → title ``我国数字产业集群加速成长``,
    subtitle ``25个先进制造业集群中，六成以上主导方向都是数字经济``.
    """
    title, short = merged.title, other.title
    if not title or not short or merged.subtitle or not title.endswith(short):
        return
    kicker = title[: -len(short)].rstrip(_TITLE_EDGE_PUNCT)
    if len(short) < _MIN_TITLE_PART or len(kicker) < _MIN_TITLE_PART:
        return
    merged.title, merged.subtitle = short, kicker
    merged.log("dedup", "title_split_by_member", f"kicker {kicker} / title {short} (from {other.id})")


def merge_cluster(records: list[Record], cluster_id: str | None = None, params: ShingleParams = ShingleParams(),
                  ranks: list[CanonicalRank] | None = None, rule: str = "") -> Record:
    """One record for a cluster: the canonical text, every source, metadata filled from the others."""
    ranks = ranks or rank_members(records, params)
    by_id = {r.id: r for r in records}
    ordered = [by_id[rank.id] for rank in ranks]
    canonical = ordered[0]
    merged = replace(canonical, sources=[replace(s) for s in canonical.sources], captions=list(canonical.captions),
                     overlaps=list(canonical.overlaps), actions=list(canonical.actions))
    merged.dedup_cluster = cluster_id or canonical.id
    for other in ordered[1:]:
        merged.sources.extend(replace(s) for s in other.sources)
        split_run_together_title(merged, other)
        for name in _METADATA:
            value = getattr(other, name)
            if getattr(merged, name) in (None, "") and value not in (None, ""):
                setattr(merged, name, value)
                merged.log("dedup", f"{name}_from_member", f"{name} from {other.id}: {value}")
        for caption in other.captions:
            if caption not in merged.captions:
                merged.captions.append(caption)
    if len(ordered) > 1:
        merged.log(
            "dedup",
            "merge_reprints",
            f"{rule + ': ' if rule else ''}merged {', '.join(r.id for r in ordered[1:])}; canonical by {explain_choice(ranks)}",
            len(ordered) - 1,
        )
    return merged
