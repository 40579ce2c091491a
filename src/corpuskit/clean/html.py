"""HTML → main text and page metadata (issue 3).

:func:`extract_html` runs trafilatura with the settings measured best on the
CWCE pages (see ``TRAFILATURA_OPTIONS`` and the README's "Cleaning" section),
falls back to :func:`extract_main_text_bs` (a BeautifulSoup text-density
extractor) when trafilatura returns nothing or only link furniture, and takes
title, author, date and site name from the page's metadata.  The line-level
noise rules run on its output afterwards (the composition is in
``clean/__init__.py``).
"""

from __future__ import annotations

import logging
import math
import re

from ..record import Record
from .metadata import parse_date

#: trafilatura.extract/bare_extraction keyword arguments, chosen by character-bigram
#: F1 against the CWCE gold (tests/clean/test_html.py prints the comparison).
TRAFILATURA_OPTIONS: dict = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}

#: pages with more tags than any written page (the largest CWCE/GNE page has ~15,000) get
#: the streaming fallback: a BeautifulSoup tree costs ~1 KB per tag
FALLBACK_MAX_TAGS = 30_000

#: also try the fallback when more than this share of trafilatura's text is menu-like lines
FALLBACK_FURNITURE_SHARE = 0.25

# trafilatura logs a warning for every page it finds nothing in; the fallback handles those
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE_CELL = re.compile(r"\s*(?<!\\)\|\s*")
_PUNCT = re.compile(r"[，。！？；：、,.!?;:]")
_SENTENCE = re.compile(r"[。！？!?]")
_WHITESPACE_RUN = re.compile(r"[ \t\r\n]+")
_SKIP_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "textarea", "select"})
_FLUSH = object()  # marker: end of a block element while emitting
_TITLE_SUFFIX = re.compile(r"\s*[-_|–—·｜]+\s*[^-_|–—·｜]{1,30}$")

# (not <form>: ASP.NET pages wrap the whole page in one)
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "select", "option", "button", "input", "textarea",
    "nav", "footer", "aside", "head", "svg", "canvas", "object", "embed", "map", "template",
)
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "tbody", "text",
}


def _untable(text: str) -> str:
    """trafilatura renders tables as Markdown rows (``| a | b |``); keep the cells, tab-separated."""
    if "|" not in text:
        return text
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") or s.endswith("|"):
            if _TABLE_RULE.match(s):
                continue
            cells = [c.replace("\\|", "|").strip() for c in _PIPE_CELL.split(s.strip("|"))]
            s = "\t".join(c for c in cells if c)
            if not s:
                continue
            out.append(s)
        else:
            out.append(line)
    return "\n".join(out)


def running_text_score(text: str) -> float:
    """How much of ``text`` is prose: characters in lines that contain sentence
    punctuation, minus those in short punctuation-free lines (menus, links)."""
    good, bad = _prose_and_furniture(text)
    return good - 0.5 * bad


def _prose_and_furniture(text: str) -> tuple[int, int]:
    good = bad = 0
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if len(s) >= 20 and _SENTENCE.search(s):
            good += len(s)
        elif len(s) < 20 and not _PUNCT.search(s):
            bad += len(s)
    return good, bad


# --------------------------------------------------------------------------- fallback


def extract_main_text_bs(html: str) -> str:
    """The text of the element that holds most of the page's prose.

    Each block element is scored by the punctuation it holds outside links,
    weighted down by its share of link text; the best one's text is returned
    with one line per block, its link-heavy child blocks (related-article
    lists, menus) left out.
    """
    from bs4 import BeautifulSoup, Comment, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()

    stats: dict[int, tuple[int, int, int]] = {}  # id(tag) → (text chars, link chars, punctuation)

    def walk(root: Tag) -> None:
        """Post-order sums over the tree, iteratively: pages can nest tags
        tens of thousands deep, far past Python's recursion limit."""
        stack: list[tuple[Tag, bool, bool]] = [(root, False, False)]
        while stack:
            node, in_link, done = stack.pop()
            if not done:
                stack.append((node, in_link, True))
                for child in node.children:
                    if isinstance(child, Tag):
                        stack.append((child, in_link or child.name == "a", False))
                continue
            total = links = punct = 0
            for child in node.children:
                if isinstance(child, Tag):
                    t, lk, p = stats[id(child)]
                    total, links, punct = total + t, links + lk, punct + p
                else:
                    text = str(child).strip()
                    if text:
                        total += len(text)
                        if in_link:
                            links += len(text)
                        else:
                            punct += len(_PUNCT.findall(text))
            stats[id(node)] = (total, links, punct)

    root = soup.body or soup
    walk(root)
    best, best_score = root, -1.0
    for tag in root.find_all(["div", "td", "article", "section", "main", "table", "body", "center", "text", "font", "span"]):
        total, links, punct = stats.get(id(tag), (0, 0, 0))
        if total == 0 or punct < 2:
            continue
        score = punct * (1 - links / total) ** 2 * math.log(2 + total - links)
        if score > best_score:
            best, best_score = tag, score

    lines: list[str] = []
    buf: list[str] = []

    def emit(top: Tag) -> None:
        # iterative pre-order; a FLUSH marker ends a block element's line
        stack: list = list(reversed(list(top.children)))
        while stack:
            child = stack.pop()
            if child is _FLUSH:
                flush()
            elif isinstance(child, Tag):
                if child.name in _BLOCK_TAGS:
                    total, links, punct = stats.get(id(child), (0, 0, 0))
                    if total and links / total > 0.5 and punct < 3:
                        continue  # a link list inside the content box
                    flush()
                    stack.append(_FLUSH)
                stack.extend(reversed(list(child.children)))
            else:
                text = str(child)
                if text.strip():
                    buf.append(_WHITESPACE_RUN.sub(" ", text))

    def flush() -> None:
        if buf:
            line = "".join(buf).strip()
            if line:
                lines.append(line)
            buf.clear()

    emit(best)
    flush()
    return "\n".join(lines)


def extract_text_streaming(html: str) -> str:
    """Every text node outside scripts and styles, one line per non-empty node.

    The fallback for pathological pages (tens of thousands of nested or
    generated tags): a streaming parse builds no tree, so memory stays flat at
    any depth (a BeautifulSoup tree costs ~1 KB per tag; libxml2 cuts deep trees
    off and loses their text): ``<div><span><p>…<p>正文。`` → ``正文。``
    """
    from html.parser import HTMLParser

    lines: list[str] = []
    skipping = 0

    class _TextCollector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal skipping
            if tag in _SKIP_TEXT_TAGS:
                skipping += 1

        def handle_endtag(self, tag):
            nonlocal skipping
            if tag in _SKIP_TEXT_TAGS and skipping:
                skipping -= 1

        def handle_data(self, data):
            if not skipping and data.strip():
                lines.append(_WHITESPACE_RUN.sub(" ", data.strip()))

    parser = _TextCollector(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return "\n".join(lines)


# --------------------------------------------------------------------------- metadata


def _meta_from_soup(html: str) -> dict[str, str]:
    """title / author / date / site name from <meta> tags and <title>."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html[:200000], "lxml")
    found: dict[str, str] = {}
    keys = {
        "title": ("og:title", "twitter:title", "title", "headline", "articletitle"),
        "author": ("author", "article:author", "byl", "dc.creator", "sailthru.author"),
        "date": ("article:published_time", "pubdate", "publishdate", "publish_date", "date", "dc.date",
                 "og:release_date", "datepublished", "weibo:article:create_at", "apub:time"),
        "sitename": ("og:site_name", "application-name", "mediaid", "source", "og:article:source"),
    }
    metas = {}
    for m in soup.find_all("meta"):
        name = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if name and content and name not in metas:
            metas[name] = content
    for field, names in keys.items():
        for n in names:
            if metas.get(n):
                found[field] = metas[n]
                break
    if "title" not in found and soup.title and soup.title.string:
        found["title"] = soup.title.string.strip()
    return found


def _clean_title(title: str | None, sitename: str | None) -> str | None:
    if not title:
        return None
    title = title.strip()
    # "标题_网易新闻" / "标题 - 新华网": drop a trailing site name
    m = _TITLE_SUFFIX.search(title)
    if m and len(title) - len(m.group(0)) >= 4:
        tail = m.group(0).strip(" -_|–—·｜")
        if (sitename and (tail in sitename or sitename[:2] in tail)) or re.search(
            r"(?:网|新闻|频道|日报|报|中心|首页|门户|官网|网站|社区|论坛|博客|订阅|号|客户端|在线|com|cn|net)$", tail, re.I
        ):
            title = title[: m.start()].strip()
    return title or None


_AUTHOR_LABEL = re.compile(r"^\s*(?:作者|文|撰文|记者|来源)\s*[:：/]\s*")
_NOT_AUTHOR = re.compile(r"编辑|责编|网友|[Ii][Pp]\b|^\d+$|版权|http|www\.|@")
_SITE_SUFFIX = re.compile(r"\s*(?:版权所有|版权所有.*|All Rights Reserved.*|Copyright.*|©.*)$", re.I)


def _clean_author(author: str | None) -> str | None:
    """Meta author fields hold names, but also editors, user ids and site names: keep names."""
    if not author:
        return None
    author = _AUTHOR_LABEL.sub("", author.strip())
    if not author or len(author) > 30 or _NOT_AUTHOR.search(author):
        return None
    return author


def _clean_sitename(name: str | None) -> str | None:
    if not name:
        return None
    name = _SITE_SUFFIX.sub("", name.strip()).strip(" -_|")
    return name or None


def _best_date(extracted: str | None, declared: str | None) -> str | None:
    """trafilatura's date (day precision) unless the page declares the same day with a time."""
    a, b = parse_date(extracted or ""), parse_date(declared or "")
    if a and a.endswith("-01-01") and len(a) == 10:
        a = None  # htmldate's answer when it only found a year: let the page text say
    if a and b and b.startswith(a) and len(b) > len(a):
        return b
    return a or b


def extract_html(record: Record) -> None:
    """Replace the record's HTML text with its main text; fill title/author/date/publication.

    Before → after::

        <html><head><title>数字产业集群加速成长_网易新闻</title>…<div class="post_body"><p>在工信部…</p>…
        → text "在工信部…", title "数字产业集群加速成长", publication "网易新闻"
    """
    import trafilatura

    html = record.text
    url = record.sources[0].url if record.sources else None
    doc = None
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **TRAFILATURA_OPTIONS)
    except Exception as exc:  # trafilatura raises on some malformed trees; the fallback still works
        record.log("clean", "html_trafilatura_error", f"{type(exc).__name__}: {exc}")
    text = _untable(getattr(doc, "text", None) or "") if doc is not None else ""
    rule = "html_trafilatura"
    good, bad = _prose_and_furniture(text)
    if good < 200 or bad > FALLBACK_FURNITURE_SHARE * (good + bad):
        if html.count("<") > FALLBACK_MAX_TAGS:
            fallback, fallback_rule = extract_text_streaming(html), "html_fallback_streaming"
        else:
            fallback, fallback_rule = extract_main_text_bs(html), "html_fallback_bs"
        if running_text_score(fallback) > running_text_score(text):
            text, rule = fallback, fallback_rule
    meta = _meta_from_soup(html)
    sitename = _clean_sitename((getattr(doc, "sitename", None) if doc is not None else None) or meta.get("sitename"))
    values = {
        "title": _clean_title((getattr(doc, "title", None) if doc is not None else None) or meta.get("title"), sitename),
        "author": _clean_author((getattr(doc, "author", None) if doc is not None else None) or meta.get("author")),
        "date": _best_date(getattr(doc, "date", None) if doc is not None else None, meta.get("date")),
        "publication": sitename,
    }
    if values["author"] and sitename and (values["author"] in sitename or sitename in values["author"]):
        values["author"] = None  # the site's name in the author field
    filled = []
    for name, value in values.items():
        if value and not getattr(record, name):
            setattr(record, name, value.strip())
            filled.append(f"{name}={value.strip()}")
    record.log("clean", rule, f"{len(html)} bytes of HTML → {len(text)} characters of text")
    if filled:
        record.log("clean", "html_metadata", ", ".join(filled), len(filled))
    record.text = text
