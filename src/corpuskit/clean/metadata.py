"""Headlines, subtitles, series tags and bylines → record metadata (issue 3).

The recognisers are public so that other cleaners (layout.py, which splits
newspaper pages into articles) can reuse them on single lines:

* :func:`parse_byline` (line → :class:`Byline` or ``None``): reporter bylines
  (``本报记者 金 晨``, ``本报北京电（记者杨昊）``, ``海外网 武慧敏``,
  ``文/经济参考报记者 郭倩 北京报道``, ``作者：…``), editor lines
  (``（责编：…）``, ``责任编辑：…``), source lines (``来源：…``) and portal
  meta lines (``2022-11-30 10:23 来源：经济参考报``).  ``Byline.rest`` is the
  text of the line left over (``本报北京电（记者杨昊） 记者近`` → ``记者近``).
* :func:`parse_series_tag` (line → (tag, rest) or ``None``):
  ``…加速成长（产经观察·关注数字产业集群①）`` → the tag and the headline.
* :func:`looks_like_headline`, :func:`is_kicker` (引题 ending in ——),
  :func:`is_subtitle_line` (副题 starting with ——).
* :func:`join_padded_name`: ``金 晨`` → ``金晨`` (People's Daily pads two-character names).
* :func:`parse_date`: ``2022年11月30日 10:23`` → ``2022-11-30T10:23``.
* :func:`read_article_metadata` (lines → :class:`ArticleMetadata`): the whole
  head/tail analysis of one article, without touching a record.

:func:`extract_metadata` is the stage step: it runs :func:`read_article_metadata`
on the record's text, fills only the fields that are still empty (HTML page
metadata wins), removes the recognised lines and logs each one.  A newspaper
page that has not been split yet is left alone: the layout step splits it and
calls :func:`extract_metadata` on each article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress

from ..record import Record
from .prefilter import pattern_first_chars, required_search, starts_narrowly

# --------------------------------------------------------------------------- names

_HAN = "\u4e00-\u9fff"
_SP = " \u3000\u00a0"  # the paddings People's Daily and PDF extraction use
# A Chinese personal name (2–4 characters, optionally with the · of transliterated
# names) or a padded two/three-character name ("金 晨", "金\u3000\u3000晨").
_ONE_NAME = rf"(?:[{_HAN}](?:[{_SP}]{{1,3}}[{_HAN}]){{1,2}}(?![{_HAN}])|[{_HAN}]{{2,4}}(?:[·・][{_HAN}]{{1,6}})?)"
_NAME_SEP = rf"[{_SP}]*[、，,/][{_SP}]*|[{_SP}]+"
_NAMES = rf"(?:{_ONE_NAME})(?:(?:{_NAME_SEP})(?:{_ONE_NAME})){{0,5}}?"
_ROLE = r"(?:(?:特约|实习|特派|首席|驻地|见习|本报|本刊|本台|本网)?(?:记者|通讯员|撰稿人|评论员)|实习生|通讯员)"
# words that are never names (a name slot must not swallow them)
_NOT_NAMES = re.compile(r"^(?:记者|通讯员|实习生|评论员|编辑|报道|摄影|摄|文|图|本报|本刊|综合|整理|编译|消息)$")

_OPEN = "(（〔【\\["
_CLOSE = ")）〕】\\]"
_BULLET = r"[□■●◎▲△★☆◆◇·•]?"


def join_padded_name(name: str) -> str:
    """``金 晨`` → ``金晨``; ``欧阳 娜娜`` stays two tokens joined, a normal name is unchanged."""
    return re.sub(rf"(?<=[{_HAN}])[{_SP}]+(?=[{_HAN}])", "", name.strip())


def split_names(text: str) -> list[str]:
    """``樊亮 张明超 惠禾`` → three names; ``金 晨`` → ``金晨`` (single characters are padding)."""
    tokens = [t for t in re.split(rf"[、，,/;；]|[{_SP}]+", text) if t]
    names: list[str] = []
    pending = ""
    for token in tokens:
        token = re.sub(r"(?:报道|摄影?|文)$", "", token) if len(token) > 2 else token
        if not token or _NOT_NAMES.match(token):
            continue
        if len(token) == 1:  # one half of a padded name
            if pending:
                names.append(pending + token)
                pending = ""
            else:
                pending = token
            continue
        if pending:
            names.append(pending + token if len(token) <= 2 else pending)
            if len(token) > 2:
                names.append(token)
            pending = ""
            continue
        names.append(token)
    if pending:
        names.append(pending)
    return names


def _join_names(text: str) -> str | None:
    names = split_names(text)
    return "、".join(names) if names else None


# --------------------------------------------------------------------------- dates

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?"
    r"(?:(?:\s*T|\s+|(?<=日))\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601: ``2022年11月30日 10:23`` → ``2022-11-30T10:23``."""
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    iso = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None and int(m["H"]) < 24 and int(m["M"]) < 60:
        iso += f"T{int(m['H']):02d}:{m['M']}"
        if m["S"] is not None:
            iso += f":{m['S']}"
    return iso


# --------------------------------------------------------------------------- bylines


@dataclass(frozen=True)
class Byline:
    """A recognised byline/credit inside one line.

    ``rule`` names the pattern; ``author``/``publication``/``date`` are what it
    says (``None`` when it does not say; ``本报`` is not a publication name);
    ``start``/``end`` delimit the byline inside the line; ``rest`` is the
    line without it (body text that followed a dateline byline).
    """

    rule: str
    text: str
    start: int
    end: int
    rest: str = ""
    author: str | None = None
    publication: str | None = None
    date: str | None = None
    editor: str | None = None


_OWN_OUTLET = re.compile(r"^(?:本报|本刊|本台|本网|本站)")


def _publication(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip(" :：")
    if not name or _OWN_OUTLET.match(name):
        return None
    return name


_BYLINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    # 本报北京电（记者杨昊） / 新华社北京11月30日电（记者 张三、李四） / 本报讯 （实习记者 樊亮 记者惠禾）
    (
        "byline_dateline_reporter",
        re.compile(
            rf"^{_BULLET}\s*据?(?P<pub>本报|本刊|本台|本网|新华社|中新社|中新网|[{_HAN}]{{2,8}}?(?:社|网|报|台|客户端))"
            rf"(?P<place>[{_HAN}]{{0,8}}?)\s*(?:\d{{1,2}}月\d{{1,2}}日)?\s*(?:电|讯)\s*"
            rf"[{_OPEN}](?P<inner>[^{_OPEN}{_CLOSE}]{{0,40}}?{_ROLE}[^{_OPEN}{_CLOSE}]{{1,40}})[{_CLOSE}]"
        ),
    ),
    # (文/经济参考报记者 郭倩 北京报道)  文／本报记者 张三
    (
        "byline_slash",
        re.compile(
            rf"^[{_OPEN}]?\s*文\s*[/／|]\s*(?:(?P<pub>[^\s/／{_OPEN}{_CLOSE}]{{2,12}}?){_ROLE})?\s*"
            rf"(?P<names>{_NAMES})(?:[{_SP}]*(?P<place>[{_HAN}]{{2,6}})报道)?\s*[{_CLOSE}]?$"
        ),
    ),
    # 本报记者 杨俊峰 / 本报记者 金 晨 / □本报记者 张三 通讯员 李四 / 记者 张三 北京报道
    (
        "byline_reporter",
        re.compile(
            rf"^{_BULLET}\s*[{_OPEN}]?\s*(?P<pub>[{_HAN}]{{2,10}}?(?:[·・][{_HAN}]{{2,10}}?)?)?{_ROLE}[{_SP}:：]*"
            rf"(?P<names>{_NAMES}(?:[{_SP}]*{_ROLE}[{_SP}:：]*{_NAMES}){{0,3}})"
            rf"(?:[{_SP}]*(?P<place>[{_HAN}]{{2,6}})报道|[{_SP}]*[/／]\s*文(?:[{_SP}]*[{_HAN}]{{0,6}}(?:供图|摄))?)?\s*[{_CLOSE}]?$"
        ),
    ),
    # 作者：张三  撰文：李四
    (
        "byline_author_label",
        re.compile(rf"^{_BULLET}\s*[{_OPEN}]?\s*(?:作者|撰文|文|撰稿|作\s*者)\s*[:：]\s*(?P<names>{_NAMES})\s*[{_CLOSE}]?$"),
    ),
    # 海外网 武慧敏 / 人民网 张三
    (
        "byline_outlet_name",
        re.compile(
            rf"^(?P<pub>[{_HAN}]{{1,6}}(?:网|报|社|台|日报|晚报|时报|周刊|新闻|客户端))[{_SP}]+(?P<names>{_NAMES})$"
        ),
    ),
    # （责编：赵欣悦、杨曦） 责任编辑：张三  （编辑：甲 校对：乙）
    (
        "byline_editor",
        re.compile(
            rf"^[{_OPEN}]?\s*(?:(?:责任编辑|责编|编辑|校对|审核|审校|审稿|监制|主编|值班编辑|实习编辑|美编|编审|终审|初审|复审|制作)"
            rf"\s*[:：]\s*[^:：{_OPEN}{_CLOSE}]{{1,24}}?\s*){{1,4}}[{_CLOSE}]?$"
        ),
    ),
    # 来源：经济参考报
    (
        "byline_source",
        re.compile(rf"^[{_OPEN}]?\s*(?:来源|稿源|消息来源|文章来源|本文来源|转自|转载自)\s*[:：]\s*(?P<pub>[^\s{_OPEN}{_CLOSE}]{{2,30}})\s*[{_CLOSE}]?$"),
    ),
    # 原创： 作者 公众号名 (the header of a WeChat article)
    ("byline_wechat_original", re.compile(rf"^原创\s*[:：][{_SP}]*(?:[^{_SP}]{{1,12}})?(?:[{_SP}]+[^{_SP}]{{1,20}}){{0,3}}$")),
    # ——编  者 (the signature of an editor's note)
    ("byline_editor_note", re.compile(rf"^\s*[—\-–]{{1,2}}\s*编[{_SP}]*者[{_SP}]*$")),
]

# 2022-11-30 10:23:45  来源：经济参考报  作者：郭倩  (a portal's article meta line)
_META_LABEL = re.compile(
    r"(?P<label>来源|稿源|作者|记者|编辑|责任编辑|责编|发布时间|发布日期|时间|日期|发表时间|更新时间|字号|浏览|阅读|点击|评论)\s*[:：]\s*"
    r"(?P<value>[^\s:：]{1,30}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
)
_META_LINE = re.compile(
    r"^\s*(?:(?:发布时间|发布日期|时间|日期|发表时间|更新时间)\s*[:：]\s*)?(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?P<after>.{0,120})$"
)


_CREDIT_LABELS = r"本文来源|文章来源|来源|稿源|作者|记者|责任编辑|责编|编辑|校对|审核|审校|监制|主编|美编|摄影|摄像"
_CREDIT_LABEL = re.compile(
    rf"(?P<label>{_CREDIT_LABELS})"
    rf"\s*(?:[:：]\s*|[{_SP}]+(?=[{_HAN}]))(?P<value>[^\s:：{_OPEN}{_CLOSE}]{{1,30}}(?:[ ](?!{_CREDIT_LABELS})[{_HAN}]{{2,4}}(?![:：])){{0,4}})"
)
_CREDIT_TIME = re.compile(
    r"(?:时间|日期|发布时间|发表时间|发布日期|更新时间)\s*[:：]\s*(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)


def _parse_credit_line(line: str) -> Byline | None:
    """``本文来源：新京报 责任编辑：史建磊_NBJ11331`` / ``编辑 刘晓阳 校对 李铭``: only label–value pairs."""
    s = line.strip(f"{_SP}()（）")
    date = None
    m = _CREDIT_TIME.search(s)
    if m:
        date = parse_date(m.group(0))
        s = s[: m.start()] + " " + s[m.end():]
    labels = list(_CREDIT_LABEL.finditer(s))
    if len(labels) + (date is not None) < 2:  # one label alone is handled by the byline rules
        return None
    if _CREDIT_LABEL.sub("", s).strip(f"{_SP}\t|丨｜/，,;；"):
        return None
    author = publication = editor = None
    for lab in labels:
        value = lab["value"]
        if lab["label"] in ("本文来源", "文章来源", "来源", "稿源"):
            publication = publication or _publication(value)
        elif lab["label"] in ("作者", "记者"):
            author = author or _join_names(value)
        else:
            editor = (editor + " " if editor else "") + lab.group(0)
    return Byline("byline_credit_line", line.strip(), 0, len(line), "", author=author, publication=publication,
                  date=date, editor=editor)


def _parse_meta_line(line: str) -> Byline | None:
    m = _META_LINE.match(line)
    if not m:
        return None
    after = m["after"]
    labels = list(_META_LABEL.finditer(after))
    # everything after the date must be label: value pairs (or a bare outlet name)
    leftover = _META_LABEL.sub("", after).strip(" \u3000\u00a0|丨｜/")
    if leftover and not (len(leftover) <= 12 and re.fullmatch(rf"[{_HAN}A-Za-z0-9]+", leftover) and not labels):
        return None
    author = publication = editor = None
    for lab in labels:
        value = lab["value"].strip()
        if lab["label"] in ("来源", "稿源"):
            publication = _publication(value)
        elif lab["label"] in ("作者", "记者"):
            author = _join_names(value)
        elif lab["label"] in ("编辑", "责任编辑", "责编"):
            editor = value
    if leftover and not labels:
        publication = _publication(leftover)
    date = parse_date(line)
    if not labels and not leftover and (date is None or "T" not in date):
        return None  # a bare date is a dateline of the text (a notice's date), not page metadata
    return Byline(
        "byline_meta_line", line.strip(), 0, len(line), "",
        author=author, publication=publication, date=date, editor=editor,
    )


# every byline form contains one of these; lines without any skip the rule table
# (layout's line gate searches it too).
# (Every alternative starts with a plain character, so that re scans a line by its
# first characters instead of trying each alternative at each position.)
BYLINE_HINT = re.compile(
    r"记者|编|来源|稿源|作者|撰|文\s*[/／|]|电|讯|通讯员|实习生|评论员|报道|原创|转自|转载|摄|19\d\d|20\d\d|"
    + "|".join(outlet + r"[ \u3000\u00a0]" for outlet in "网报社台闻端")
)


# each rule with a cheap test of the strings it needs: most lines that pass the hint
# are tried on two or three rules, not on all of them.  (Not for a rule whose matches
# start with one of a few characters: its anchored match fails at the first character
# of most lines, at less cost than a search of the whole line.)
def _byline_gate(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """None for a rule tried by its start (see _NARROW_START), else the search a line must
    pass to be tried on it (one that always finds for a rule with neither test)."""
    if starts_narrowly(pattern):
        return None
    return required_search(pattern) or _ANY_LINE


_ANY_LINE = re.compile("")
_BYLINE_RULE_GATES = [(rule, pattern, _byline_gate(pattern)) for rule, pattern in _BYLINE_RULES]
_CREDIT_LABEL_GATE = required_search(_CREDIT_LABEL)


def _start_of_any(patterns: list[re.Pattern[str]]) -> re.Pattern[str]:
    """A ``match`` for the characters a match of one of ``patterns`` (each starting
    narrowly: never empty, first characters known) can start with."""
    pieces: set[str] = set()
    for pattern in patterns:
        chars, _ = pattern_first_chars(pattern)
        pieces |= chars
    return re.compile("[" + "".join(sorted(pieces)) + "]")


# the rules tried by their start (no gate): a line that starts with none of their first
# characters skips them all with this one test (most lines that pass BYLINE_HINT do)
_NARROW_START = _start_of_any([pattern for _, pattern, needs in _BYLINE_RULE_GATES if needs is None])


# Every byline that names an editor (``Byline.editor``) holds one of these: the labels
# of byline_editor, the credit-line labels other than source and author, and the
# meta-line editor labels all contain one.
_EDITOR_MARKS = ("编", "校对", "审", "监制", "制作", "摄")
_EDITOR_HINT = re.compile("|".join(_EDITOR_MARKS))


def may_name_editor(line: str) -> bool:
    """False for a line whose :func:`parse_byline` names no editor (a cheap test first).

    What ``_EDITOR_HINT.search(line) is not None`` says, by substring tests: str's C
    search costs far less per character than re's scan for a set of first characters,
    and this runs on the last thirty lines of every portal page."""
    return any(map(line.__contains__, _EDITOR_MARKS))


def parse_byline(line: str) -> Byline | None:
    """Recognise a byline, credit, source or meta line; ``None`` for anything else.

    >>> parse_byline("(文/经济参考报记者 郭倩 北京报道)").author
    '郭倩'
    >>> b = parse_byline("本报北京电（记者杨昊） 记者近")
    >>> (b.author, b.rest)
    ('杨昊', '记者近')
    """
    stripped = line.strip(" \t\u3000\u00a0")
    if not stripped or len(stripped) > 160 or not BYLINE_HINT.search(stripped, 0, 90):
        return None
    head = stripped[:90]
    searched, found = None, False  # (rules that need the same strings share one search)
    narrow = _NARROW_START.match(stripped) is not None
    for rule, pattern, needs in _BYLINE_RULE_GATES:
        if needs is not None:
            if needs is not searched:
                searched, found = needs, needs.search(stripped) is not None
            if not found:
                continue  # (the line lacks a string every match of this rule holds)
        elif not narrow:
            continue  # (a match of this rule would start with one of _NARROW_START's characters)
        m = pattern.match(head if rule == "byline_dateline_reporter" else stripped)
        if not m:
            continue
        groups = m.groupdict()
        if rule == "byline_dateline_reporter":
            inner = re.sub(_ROLE, " ", m["inner"])
            author = _join_names(inner)
            if not author:
                continue
            return Byline(rule, m.group(0), m.start(), m.end(), stripped[m.end():].strip(" \u3000\u00a0"),
                          author=author, publication=_publication(m["pub"]))
        author = _join_names(groups["names"]) if groups.get("names") else None
        if rule in ("byline_reporter", "byline_author_label", "byline_outlet_name", "byline_slash") and not author:
            continue
        if rule == "byline_reporter" and groups.get("names"):
            author = _join_names(re.sub(_ROLE, " ", groups["names"]))
        editor = None
        if rule == "byline_editor":
            editor = re.sub(r"^[(（]|[)）]$", "", stripped)
        return Byline(rule, stripped, 0, len(stripped), "", author=author,
                      publication=_publication(groups.get("pub")), editor=editor)
    if _DATE.search(head):
        meta_line = _parse_meta_line(stripped)
        if meta_line is not None:
            return meta_line
    if _CREDIT_LABEL_GATE.search(stripped) is None:
        return None  # a credit line holds at least one label (two items, one may be a date)
    return _parse_credit_line(stripped)


# --------------------------------------------------------------------------- headlines

_SERIES_PAREN = re.compile(
    rf"[{_OPEN}](?P<tag>[^{_OPEN}{_CLOSE}]{{1,24}}?(?:[·•・][^{_OPEN}{_CLOSE}]{{1,24}}?)?"
    rf"(?:[①-⑳]|之[一二三四五六七八九十]+|[（(]?[上中下][)）]?)?)[{_CLOSE}]\s*$"
)
_SERIES_BARE = re.compile(rf"^(?P<tag>[{_HAN}]{{2,10}}[·•・][^\s]{{2,24}}?[①-⑳])$")
_TAG_BRACKET = re.compile(r"^\s*(?:【(?P<a>[^】]{1,12})】|\[(?P<b>[^\]]{1,12})\])\s*")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_SENTENCE_END = "。！？!?…"
_CJK = re.compile(rf"[{_HAN}]")
_THREE_CJK = re.compile(rf"(?:[^{_HAN}]*[{_HAN}]){{3}}")  # at least three Han characters (stops at the third)


def parse_series_tag(line: str) -> tuple[str, str] | None:
    """``…加速成长（产经观察·关注数字产业集群①）`` → (``产经观察·关注数字产业集群①``, ``…加速成长``).

    A series tag is a parenthesised column name with a ``·`` separator or a
    running number (①, 之一, 上/下) at the end of a headline, or such a name
    on its own line.  Plain parentheses (``（2021）``, ``（记者 …）``) are not tags.
    """
    s = line.strip()
    m = _SERIES_PAREN.search(s)
    if m:
        tag = m["tag"].strip()
        if re.search(r"[·•・]|[①-⑳]|之[一二三四五六七八九十]+$", tag) and not re.search(_ROLE, tag):
            return tag, s[: m.start()].strip()
    m = _SERIES_BARE.match(s)
    if m:
        return m["tag"], ""
    return None


def strip_heading_marker(line: str) -> str:
    if "#" not in line:
        return line.strip()  # (no marker without a '#')
    return _MARKDOWN_HEADING.sub("", line).strip()


_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．)）]|[（(][一二三四五六七八九十\d]{1,2}[)）]|第[一二三四五六七八九十\d]+[章节部分条])")


def looks_like_headline(line: str) -> bool:
    """A short line of CJK text that is not a sentence: no full stop inside, no
    dangling comma at the end, not a byline or a date."""
    return _looks_like_headline(line)


def _looks_like_headline(line: str, not_a_byline: str | None = None) -> bool:
    """:func:`looks_like_headline`; ``not_a_byline``: a string the caller found
    :func:`parse_byline` gives ``None`` for (the call is not made again on it)."""
    s = strip_heading_marker(line).rstrip(" ．.")
    if not (4 <= len(s) <= 64) or not _THREE_CJK.match(s):
        return False
    if "\t" in s or _ENUMERATED.match(s) or len(re.findall(r"[:：]", s)) > 1:
        return False  # table rows, numbered section headings, label–value lines
    if "。" in s or s[-1] in "，,、；;：:（(“「《":  # headlines carry no full stop
        return False
    if (s != not_a_byline and parse_byline(s) is not None) or _META_LINE.match(s):
        return False
    return True


def is_kicker(line: str) -> bool:
    """引题: the line above a headline, ending in a dash (``“数实融合”深入开展，数字经济蓬勃发展——``)."""
    s = strip_heading_marker(line)
    return 4 <= len(s) <= 64 and bool(re.search(r"(?:——|—|--|－－)\s*$", s)) and "。" not in s[:-3]


def is_subtitle_line(line: str) -> bool:
    """副题: the line below a headline, starting with a dash (``——记…``)."""
    s = strip_heading_marker(line)
    return 4 <= len(s) <= 64 and bool(re.match(r"^(?:——|—|--|－－)", s)) and "。" not in s[:-1]


def is_body_paragraph(line: str) -> bool:
    """A line of running text: long, or a sentence ending in sentence punctuation."""
    s = line.strip()
    if len(s) >= 60:
        return True
    return len(s) >= 16 and s[-1] in _SENTENCE_END + "”」』" and ("，" in s or "," in s or "。" in s)


# --------------------------------------------------------------------------- the article analysis


@dataclass
class ArticleMetadata:
    """What :func:`read_article_metadata` found: the fields, the lines that stay,
    and one (rule, text) pair for every line (or part of a line) taken out."""

    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    publication: str | None = None
    date: str | None = None
    section: str | None = None
    lines: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)

    def fill(self, record: Record) -> list[str]:
        """Copy the fields into ``record`` where it has none yet; return the names filled."""
        filled = []
        for name in ("title", "subtitle", "author", "publication", "date", "section"):
            value = getattr(self, name)
            if value and not getattr(record, name):
                setattr(record, name, value)
                filled.append(name)
        return filled


_HEAD_WINDOW = 8  # non-empty lines looked at before the body starts
_NOTE_WINDOW = 15  # non-empty lines in which an editor's note may be signed
_END_MARKER = re.compile(r"[(（]\s*完\s*[)）]")
_EDITOR_NOTE_NEEDS = required_search(dict(_BYLINE_RULES)["byline_editor_note"])
_TAIL_WINDOW = 6  # non-empty lines looked at after the body ends


def _take_byline(meta: ArticleMetadata, b: Byline) -> None:
    if b.author and not meta.author:
        meta.author = b.author
    if b.publication and not meta.publication:
        meta.publication = b.publication
    if b.date and not meta.date:
        meta.date = b.date


_ORIGINAL_TITLE = re.compile(r"^[(（]?\s*原(?:标)?题(?:为|是)?\s*[:：]?\s*(?P<title>《[^》]{2,80}》|[^)）]{2,80}?)\s*[)）]?$")
_SPACE_PUNCT = re.compile(r"[\s\u3000\u00a0\"“”'‘’「」『』]+")


def _same_title(a: str, b: str) -> bool:
    """Two spellings of one headline (quotes and spaces differ between <title> and the page)."""
    a, b = _SPACE_PUNCT.sub("", a), _SPACE_PUNCT.sub("", b)
    return bool(a) and (a == b or (len(b) >= 6 and b in a and len(a) - len(b) <= 12) or (len(a) >= 6 and a in b and len(b) - len(a) <= 12))


def _original_title(line: str) -> str | None:
    m = _ORIGINAL_TITLE.match(line.strip())
    return m["title"].strip("《》 ") if m else None


def read_article_metadata(lines: list[str], kind: str = "article", known_title: str | None = None) -> ArticleMetadata:
    """Find headline, kicker, subtitle, series tag and bylines at the head and
    tail of one article.

    ``["“数实融合”深入开展——", "# 数字产业集群加速成长", "本报记者 杨俊峰", "正文……"]`` →
    subtitle ``“数实融合”深入开展``, title ``数字产业集群加速成长``, author ``杨俊峰``,
    lines ``["正文……"]``.

    With ``known_title`` (from the HTML page), the line that repeats it is
    removed and no other line is taken for the title.
    """
    meta = ArticleMetadata()
    out = list(lines)
    drop: dict[int, str] = {}  # line index → rule
    replace: dict[int, str] = {}

    nonempty = list(compress(range(len(out)), map(str.strip, out)))  # (C loops, no Python call per line)
    title_at: int | None = None
    skipped = False
    # ---- head: everything before the first running-text paragraph
    seen = 0
    for i in nonempty:
        if seen >= _HEAD_WINDOW:
            break
        seen += 1
        raw = out[i]
        s = strip_heading_marker(raw)
        if known_title and _same_title(s, known_title):
            drop[i] = "headline_title"
            continue
        original = _original_title(s)
        if original:
            drop[i] = "headline_original_title"
            if meta.title is None and not known_title:
                meta.title = original
            continue
        b = parse_byline(s)
        no_byline = s if b is None else None  # (looks_like_headline need not ask again)
        if b is not None:
            _take_byline(meta, b)
            if b.rest:
                replace[i] = b.rest
                meta.removed.append((b.rule, b.text))
                break  # the body starts right after a dateline byline
            drop[i] = b.rule
            continue
        if is_body_paragraph(s):
            break
        if meta.title is None and is_kicker(s) and not meta.subtitle:
            meta.subtitle = re.sub(r"(?:——|—|--|－－)\s*$", "", s).strip()
            drop[i] = "headline_kicker"
            continue
        if meta.title is not None and meta.subtitle is None and is_subtitle_line(s):
            meta.subtitle = re.sub(r"^(?:——|—|--|－－)\s*", "", s).strip()
            drop[i] = "headline_subtitle"
            continue
        series = parse_series_tag(s)
        if series is not None and not meta.section:
            meta.section, s = series[0], series[1]
            if not s:
                drop[i] = "headline_series_tag"
                continue
            meta.removed.append(("headline_series_tag", series[0]))
        if meta.title is None and not known_title and not skipped and _looks_like_headline(s, no_byline):
            tag = _TAG_BRACKET.match(s)
            if tag and len(s) > tag.end() + 3:
                if not meta.section:
                    meta.section = (tag["a"] or tag["b"]).strip()
                meta.removed.append(("headline_board_tag", tag.group(0).strip()))
                s = s[tag.end():].strip()
            meta.title = s
            drop[i] = "headline_title"
            title_at = i
            continue
        if (
            meta.title is not None and meta.subtitle is None and title_at is not None and drop.get(title_at) == "headline_title"
            and _looks_like_headline(s, no_byline)
        ):
            # two headline lines: 引题 + 主题 when a byline follows, else 主题 + 副题
            nxt = next((k for k in nonempty if k > i), None)
            if nxt is not None and parse_byline(strip_heading_marker(out[nxt])) is not None:
                meta.subtitle, meta.title = meta.title, s
                drop[title_at] = "headline_kicker"
                drop[i] = "headline_title"
            else:
                meta.subtitle = s
                drop[i] = "headline_subtitle"
            continue
        # a line we cannot place (a caption, a menu word): keep it, look on for bylines,
        # but take no headline from below it
        skipped = True

    # ---- the signature under an editor's note (——编者) closes the note, a few lines in
    for i in nonempty[:_NOTE_WINDOW]:
        if i not in drop and i not in replace:
            # (only a line with the editor-note rule's required string can be one)
            b = parse_byline(out[i]) if len(out[i]) < 20 and _EDITOR_NOTE_NEEDS.search(out[i]) else None
            if b is not None and b.rule == "byline_editor_note":
                drop[i] = b.rule

    # ---- tail: credits after the last paragraph
    seen = 0
    for i in reversed(nonempty):
        if seen >= _TAIL_WINDOW or i in drop or i in replace:
            break
        seen += 1
        s = out[i].strip()
        if _END_MARKER.fullmatch(s):
            drop[i] = "end_marker"
            continue
        if _original_title(s):
            drop[i] = "headline_original_title"
            continue
        b = parse_byline(s)
        if b is None or b.rest:
            break
        _take_byline(meta, b)
        drop[i] = b.rule

    if not drop and not replace:
        meta.lines = out  # nothing taken out (and no headline_title dropped: nothing to give back)
        return meta
    kept: list[str] = []
    after = 0  # (the lines between those taken out or shortened are copied as slices)
    for i in sorted(drop.keys() | replace.keys()):
        kept += out[after:i]
        if i in drop:
            meta.removed.append((drop[i], out[i].strip()))
        else:
            kept.append(replace[i])
        after = i + 1
    kept += out[after:]
    # no article text left: the "headline" was the text itself, give it back
    if not any(ln.strip() for ln in kept) and meta.title and any(r == "headline_title" for r in drop.values()):
        return ArticleMetadata(lines=list(lines))
    meta.lines = kept
    return meta


def extract_metadata(record: Record) -> None:
    """Move headline/subtitle/series tag/byline lines out of the body into metadata.

    Before → after (seed 002)::

        数字产业集聚成“群” 增添发展新动能          title = 数字产业集聚成“群” 增添发展新动能
        在工信部近期公布的……                 →   在工信部近期公布的……
        (文/经济参考报记者 郭倩 北京报道)          author = 郭倩, publication = 经济参考报
    """
    kind = record.sources[0].kind if record.sources else "article"
    if kind == "newspaper_page" and (not record.sources or record.sources[0].part is None):
        return  # layout splits the page first and calls this on each article
    lines = apply_article_metadata(record, record.text.split("\n"), kind, known_title=record.title)
    if lines is not None:
        record.text = "\n".join(lines).strip("\n")


def apply_article_metadata(record: Record, lines: list[str], kind: str, known_title: str | None = None) -> list[str] | None:
    """Run :func:`read_article_metadata` on ``lines`` and move what it found into
    ``record`` (each removed line logged); the lines that stay, or None when
    nothing was found.  Shared by :func:`extract_metadata` and layout's page split."""
    meta = read_article_metadata(lines, kind, known_title=known_title)
    if not meta.removed:
        return None
    filled = meta.fill(record)
    for rule, text in meta.removed:
        record.log("clean", rule, text)
    if filled:
        record.log("clean", "metadata_filled", ", ".join(f"{k}={getattr(record, k)}" for k in filled), len(filled))
    return meta.lines
