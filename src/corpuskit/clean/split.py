"""Split a newspaper page that holds several articles into one record per article.

A PDF-extracted page interleaves its articles: leads, section runs and
headline blocks (kicker, headline, byline) come in the order the extractor met
the columns, and headlines are often printed after the bodies.  The page is
cut into *chunks* by structure alone, then the chunks are put back together by
what they say:

* **anchors** open an article: the page's first run of body text, a paragraph
  opening with a news dateline (``本报北京电（记者杨昊）…``), a body run
  right after a headline block that has a byline;
* **sections**: a section heading with its paragraphs, or a body run with no
  heading of its own; each goes to the anchor whose words it shares most
  (TF-IDF cosine over character bigrams — the digital-cluster sections share
  ``产业集群`` with the digital-cluster lead, the IoT sections ``物联网``
  with the IoT lead);
* **heads**: a headline block (headings closed by a byline: ``建设热度高，创新活力足``
  / ``数字产业加速“聚链成群”`` / ``本报记者 金 晨``), or a lone headline
  followed by another heading; each names the article it is most similar to
  (title = the last heading before the byline, subtitle = the ones above it);
* **photo news**: captions that stand alone on the page (not cutting an
  article's paragraph) make one more record, the photos' text.

Cost: linear in the page (chunks × anchors, both a handful per page).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..record import Record, split_record
from .captions import Caption, caption_body
from .layout import display_width, finish_paragraphs, looks_like_heading, remove_cjk_spacing
from .metadata import apply_article_metadata, extract_metadata, parse_byline

_HAN = "\u4e00-\u9fff"
_TOKEN = re.compile(rf"[{_HAN}]{{2,}}|\d+(?:\.\d+)?|[A-Za-z]{{2,}}")
# a section/headline heading on a page is short
_HEADING_MAX = 40


@dataclass
class Chunk:
    kind: str  # anchor / section / head
    paras: list[int] = field(default_factory=list)  # paragraph indices
    headings: list[int] = field(default_factory=list)  # head: heading paragraphs
    byline: int | None = None  # head: byline paragraph


@dataclass
class Article:
    anchor: Chunk
    paras: list[int] = field(default_factory=list)
    head: Chunk | None = None
    captions: list[str] = field(default_factory=list)


def _features(text: str) -> Counter:
    """Character bigrams of Han runs, plus numbers and Latin words."""
    feats: Counter = Counter()
    for tok in _TOKEN.findall(text):
        if tok[0] >= "\u4e00":
            feats.update(tok[i : i + 2] for i in range(len(tok) - 1))
        else:
            feats[tok] += 1
    return feats


def _weigh(feats: Counter, idf: dict[str, float]) -> tuple[dict[str, float], float]:
    """TF-IDF vector and its norm."""
    vec = {k: v * idf.get(k, 1.0) for k, v in feats.items()}
    return vec, math.sqrt(sum(x * x for x in vec.values()))


def _cosine(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    (va, na), (vb, nb) = a, b
    if not na or not nb:
        return 0.0
    if len(va) > len(vb):
        va, vb = vb, va
    dot = sum(x * vb[k] for k, x in va.items() if k in vb)
    return dot / (na * nb)


def _is_byline(para: str) -> bool:
    b = parse_byline(para) if len(para) <= 60 else None
    return b is not None and not b.rest and b.author is not None


def _is_dateline(para: str) -> bool:
    b = parse_byline(para[:90])
    return b is not None and b.rule == "byline_dateline_reporter" and bool(b.rest)


def _is_heading(para: str) -> bool:
    width = display_width(para)
    return width <= _HEADING_MAX and looks_like_heading(para, width)


def find_chunks(paragraphs: list[str]) -> list[Chunk]:
    """Cut a page's paragraphs into anchors, sections and heads (in page order)."""
    datelines = [_is_dateline(p) for p in paragraphs]
    bylines = [_is_byline(p) for p in paragraphs]
    headings = [_is_heading(p) for p in paragraphs]
    chunks: list[Chunk] = []
    current: Chunk | None = None
    i, n = 0, len(paragraphs)
    while i < n:
        if datelines[i]:
            current = Chunk("anchor", [i])
            chunks.append(current)
            i += 1
            continue
        if headings[i] or bylines[i]:
            j = i
            while j < n and (headings[j] or bylines[j]) and not datelines[j]:
                j += 1
            # the run i..j-1: bylines close headline blocks; what follows the last
            # byline is section headings (the last one, if body follows) and lone headlines
            block: list[int] = []
            after_byline = False
            for k in range(i, j):
                if bylines[k]:
                    chunks.append(Chunk("head", [], headings=block, byline=k))
                    block = []
                    after_byline = True
                else:
                    block.append(k)
            current = None
            if block:
                body_follows = j < n
                lone = block[:-1] if body_follows else block
                for k in lone:
                    chunks.append(Chunk("head", [], headings=[k]))
                if body_follows:
                    # right under a byline the article opens (on a section heading)
                    current = Chunk("anchor" if after_byline else "section", [block[-1]])
                    chunks.append(current)
            elif after_byline and j < n:
                current = Chunk("anchor", [])
                chunks.append(current)
            i = j
            continue
        if current is None:
            current = Chunk("anchor" if not chunks else "section", [])
            chunks.append(current)
        current.paras.append(i)
        i += 1
    return [c for c in chunks if c.paras or c.kind == "head"]


def assemble(paragraphs: list[str], chunks: list[Chunk]) -> list[Article] | None:
    """Chunks → articles; ``None`` when the page holds one article only."""
    anchors = [c for c in chunks if c.kind == "anchor"]
    if len(anchors) < 2:
        return None
    texts = {id(c): "".join(paragraphs[k] for k in c.paras + c.headings) for c in chunks}
    feats = {key: _features(t) for key, t in texts.items()}
    df: Counter = Counter()
    for f in feats.values():
        df.update(f.keys())
    total = len(feats)
    idf = {k: math.log((1 + total) / (1 + v)) + 1.0 for k, v in df.items()}

    vecs = {key: _weigh(f, idf) for key, f in feats.items()}
    articles = [Article(a, list(a.paras)) for a in anchors]
    counts = [Counter(feats[id(a)]) for a in anchors]
    profile = [vecs[id(a)] for a in anchors]
    order = {id(c): pos for pos, c in enumerate(chunks)}
    for chunk in chunks:
        if chunk.kind != "section":
            continue
        best = _best(vecs[id(chunk)], profile)
        if best is None:  # nothing shared: it continues the article before it
            best = max((k for k, a in enumerate(anchors) if order[id(a)] < order[id(chunk)]), default=0)
        articles[best].paras.extend(chunk.paras)
        counts[best].update(feats[id(chunk)])
        profile[best] = _weigh(counts[best], idf)

    # heads: the most similar pairs first, one head per article
    heads = [c for c in chunks if c.kind == "head"]
    pairs = sorted(
        ((_cosine(vecs[id(h)], profile[k]), hi, k) for hi, h in enumerate(heads) for k in range(len(articles))),
        reverse=True,
    )
    used_heads: set[int] = set()
    for sim, hi, k in pairs:
        if sim <= 0.02 or hi in used_heads or articles[k].head is not None:
            continue
        articles[k].head = heads[hi]
        used_heads.add(hi)
    for hi, head in enumerate(heads):
        if hi in used_heads:
            continue
        # a heading that names no article stays in the text of the one it resembles
        best = _best(vecs[id(head)], profile)
        target = articles[best if best is not None else 0]
        target.paras.extend(head.headings + ([head.byline] if head.byline is not None else []))
    for art in articles:
        # the anchor opens its article (a lead may come after its sections on the page)
        rest = sorted(set(art.paras) - set(art.anchor.paras))
        art.paras = list(art.anchor.paras) + rest
    return articles


def _best(vec: tuple[dict[str, float], float], profiles: list[tuple[dict[str, float], float]]) -> int | None:
    scores = [_cosine(vec, p) for p in profiles]
    top = max(range(len(scores)), key=scores.__getitem__)
    return top if scores[top] > 0.02 else None


def split_page(
    record: Record, paragraphs: list[str], captions: list[Caption], chunks: list[Chunk] | None = None
) -> list[Record] | None:
    """One record per article of a newspaper page, or ``None`` when it holds one.

    Before → after (seed 000): one page record → four records: the
    digital-cluster article (title ``数字产业加速“聚链成群”``, author 金晨),
    the 12355 article, the IoT article (publication 海外网, author 武慧敏) and
    the photo news (three captions); all with the page as source.  (``chunks``:
    :func:`find_chunks` of ``paragraphs`` when the caller has it.)
    """
    chunks = find_chunks(paragraphs) if chunks is None else chunks
    articles = assemble(paragraphs, chunks)
    if articles is None:
        return None
    # captions that cut a paragraph belong to its article; the others are photo news
    owner = {k: a for a in articles for k in a.paras}
    photo: list[Caption] = []
    for cap in captions:
        art = owner.get(cap.before - 1) if cap.interrupting else None
        if art is not None:
            art.captions.append(cap.text)
        else:
            photo.append(cap)

    texts: list[str] = []
    plans: list[tuple[Article | None, list[str]]] = []
    for art in articles:
        body = [paragraphs[k] for k in art.paras]
        if not body:
            continue
        plans.append((art, body))
        texts.append("\n".join(body))
    if photo:
        body = [caption_body(c.text) for c in photo]
        plans.append((None, body))
        texts.append("\n".join(body))
    if len(plans) < 2:
        return None
    parts = split_record(record, texts)
    for part, (art, body) in zip(parts, plans):
        part.date, part.section, part.publication = record.date, record.section, record.publication
        part.original_script = record.original_script
        if art is None:
            _photo_news(part, body, photo)
            continue
        if art.head is not None:
            _apply_head(part, art.head, paragraphs)
        # datelines and tail credits of each article: metadata's recognisers
        extract_metadata(part)
        finish_paragraphs(part, part.text.split("\n"), art.captions)
    for k, part in enumerate(parts):
        part.log("layout", "split_page", f"article {k + 1} of {len(parts)}: {part.title or part.text[:40]}", 1)
    return parts


def _apply_head(part: Record, head: Chunk, paragraphs: list[str]) -> None:
    lines = [remove_cjk_spacing(paragraphs[k])[0] for k in head.headings]
    if lines:
        part.title = lines[-1]
        above = [re.sub(r"(?:——|—|--)\s*$", "", s) for s in lines[:-1]]
        if above:
            part.subtitle = " ".join(above)
    if head.byline is not None:
        b = parse_byline(paragraphs[head.byline])
        if b is not None:
            part.author = part.author or b.author
            part.publication = b.publication or part.publication
    part.log("layout", "page_headline", " / ".join(paragraphs[k] for k in head.headings + ([head.byline] if head.byline is not None else [])))


def _photo_news(part: Record, body: list[str], photo: list[Caption]) -> None:
    """The page's stand-alone photos: their captions are the text; the credits name the photographers."""
    finish_paragraphs(part, body, [c.text for c in photo])
    names = []
    for c in photo:
        if c.photographer and c.photographer not in names:
            names.append(c.photographer)
    if names:
        part.author = "、".join(names)
    part.log("layout", "photo_news", f"{len(photo)} photos", len(photo))


def single_article_page(record: Record, paragraphs: list[str], chunks: list[Chunk] | None = None) -> list[str]:
    """A page holding one article: its headline block (wherever the extraction
    put it) names the record; head and tail bylines go to metadata."""
    chunks = find_chunks(paragraphs) if chunks is None else chunks
    heads = [c for c in chunks if c.kind == "head" and c.byline is not None]
    drop: set[int] = set()
    if len(heads) == 1 and not record.title:
        _apply_head(record, heads[0], paragraphs)
        drop = set(heads[0].headings) | {heads[0].byline}
    kept = [p for k, p in enumerate(paragraphs) if k not in drop]
    lines = apply_article_metadata(record, kept, "newspaper_page")
    if lines is not None:
        kept = [ln for ln in lines if ln.strip()]
    return kept
