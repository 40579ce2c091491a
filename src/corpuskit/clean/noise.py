"""Portal and forum noise removal (issue 3).

Runs on the raw lines, before column-wrapped lines are joined, so every rule
looks at one whole line (or a block of whole lines).  Three passes:

* line rules (``rules_noise.PORTAL_LINE_RULES``): breadcrumbs, share widgets,
  counters, accessibility links, app prompts, footers, disclaimers;
* block rules: after the article has started, a recommendation/hot-list
  header, a channel box header (``头条要闻``) or a title/source/timestamp
  triplet opens a block of links that runs to the next paragraph of running
  text;
* forum posts (Discuz/PHPWind): the body is what lies between the post header
  (``… 发表于: 2022-11-30``) and the first piece of thread furniture after it
  (forum prompt, quick reply, the next post); the thread title stays for
  :func:`~corpuskit.clean.metadata.extract_metadata`, without ``[复制链接]``.

Every removed line is logged (consecutive lines of one rule as one action).
"""

from __future__ import annotations

import re
from itertools import islice

from ..record import Record
from . import rules_noise as R
from .metadata import is_body_paragraph, may_name_editor, parse_byline, parse_date
from .prefilter import as_document, hit_lines, start_hint

_PORTAL = R.compile_table(R.PORTAL_LINE_RULES)
_BLOCK_HEADER = R.compile_table(R.PORTAL_BLOCK_HEADERS)
_FORUM = R.compile_table(R.FORUM_LINE_RULES)
_FORUM_BODY = R.compile_table([r for r in R.FORUM_LINE_RULES if r[0] in ("forum_moderator_note", "forum_prompt")])
_TIMESTAMP = re.compile(R.TIMESTAMP_LINE + r"\s*")
_COUNTER = re.compile(rf"(?:{R.BARE_COUNTER})\s*")
_NAV_ITEM = re.compile(R.NAV_LIST_ITEM + r"\s*")
_FORUM_HEADER = re.compile(R.FORUM_POST_HEADER)
_FORUM_TITLE = re.compile(R.FORUM_TITLE)
_COPY_LINK = re.compile(r"\s*\[\s*复制链接\s*\]\s*")
_FORUM_TAIL = re.compile(
    r"(?:[\u4e00-\u9fff]{2,4}提示\s*[:：].*|快速回复.*|发表回复.*|上一个\s*下一个|上一主题\s*下一主题|返回列表.*|"
    r"(?:在线|离线)\s*[A-Za-z0-9_\-\u4e00-\u9fff]{1,30}|UID\s*[:：].*)"
)
_WS = " \t\u3000\u00a0"

_SHORT_FURNITURE = 80  # every table is tried on a line this long or shorter
_LONGEST_FURNITURE = 450  # no rule matches a longer line (running text never goes through the tables)


# only these rules match lines longer than _SHORT_FURNITURE; other long lines skip the tables
_LONG_FURNITURE_HINT = re.compile(
    r"声明|版权|Copyright|COPYRIGHT|©|ICP|举报|许可证|本文|文章|内容|转载|仅代表|评论|提示|充值|点此|位置|关键词|标签|扫|关注|本帖|该帖|发表于|只看"
)

# A counter or a menu item is a line that starts with a digit or a bullet: one scan of
# the page for the line breaks before those characters (prefilter.start_hint) finds
# every line the pattern could fullmatch, so the other lines are not visited.
_COUNTER_START = start_hint(_COUNTER.pattern)
_NAV_ITEM_START = start_hint(_NAV_ITEM.pattern)


def _starting(hint: re.Pattern[str] | None, lines: list[str], document: str) -> list[int]:
    """The lines a pattern with this :func:`start_hint` could fullmatch (all where none)."""
    return list(range(len(lines))) if hint is None else hit_lines(hint, document)


def _furniture_lines(lines: list[str]) -> list[int]:
    """Indices (ascending) of the non-empty lines any table is tried on: short, or
    long with a hint of long furniture (no rule matches other lines).  The one
    definition of that gate; a loop without a call per line, since it sees every line."""
    long_hint = _LONG_FURNITURE_HINT.search
    gated = []
    for i, line in enumerate(lines):
        if len(line) > _SHORT_FURNITURE and (len(line) > _LONGEST_FURNITURE or not long_hint(line)):
            continue
        if line:
            gated.append(i)
    return gated


def _may_be_furniture(line: str) -> bool:
    """Whether a non-empty line passes :func:`_furniture_lines`'s gate."""
    return bool(_furniture_lines([line]))


def _table_rule(table: R.RuleTable, line: str) -> str | None:
    """The rule of ``table`` that matches a line which passed :func:`_may_be_furniture`."""
    if not table.could_match(line):
        return None  # (a line no rule of the table can match: most running text)
    m = table.pattern.fullmatch(line)
    return R.rule_name(m.lastgroup) if m and m.lastgroup else None


def _rule(line: str, *tables: R.RuleTable) -> str | None:
    """The rule of the first of ``tables`` that matches ``line`` (length test once)."""
    if not _may_be_furniture(line):
        return None
    for table in tables:
        rule = _table_rule(table, line)
        if rule:
            return rule
    return None


def _rules(table: R.RuleTable, lines: list[str]) -> tuple[list[tuple[int, str]], set[int]]:
    """``(i, rule)`` for every line ``_rule`` gives a rule in ``table``, and the
    non-empty lines that pass :func:`_may_be_furniture` (so that a second table
    need not test their length again): one loop over those lines, no call per line."""
    could_match, fullmatch = table.could_match, table.pattern.fullmatch
    gated = _furniture_lines(lines)
    found = []
    for i in gated:
        line = lines[i]
        if could_match(line) and (m := fullmatch(line)) is not None and m.lastgroup:
            found.append((i, R.rule_name(m.lastgroup)))
    return found, set(gated)


def _is_resume(line: str) -> bool:
    """Running text again after a block of links: a long line with a full stop."""
    return len(line) >= 40 and "。" in line


def _mark_block(lines: list[str], verdict: list[str | None], start: int, rule: str, gated: set[int]) -> int:
    """Mark lines from ``start`` up to the next paragraph of running text; bylines stay.
    (``gated``: the lines that passed :func:`_may_be_furniture`.)"""
    j = start
    while j < len(lines):
        s = lines[j]
        if s and j > start and _is_resume(s):
            break
        if s and j > start:
            # a channel box after the hot list: name it as such
            rule = (_table_rule(_BLOCK_HEADER, s) if j in gated else None) or rule
        if s and verdict[j] is None:
            b = parse_byline(s) if j > start else None
            if b is None or b.rule == "byline_meta_line":
                verdict[j] = rule
        j += 1
    return j


def _triplet_start(lines: list[str], t: int) -> int | None:
    """``t`` is a bare timestamp line; if the lines above are source + title, the title's index."""
    above = [k for k in range(t - 1, max(-1, t - 8), -1) if lines[k]]
    if len(above) < 2:
        return None
    source, title = lines[above[0]], lines[above[1]]
    if len(source) > 20 or re.search(r"[。，！？!?]", source) or _is_resume(title):
        return None
    start = above[1]
    if len(above) > 2 and lines[above[2]] == title:  # titles are often printed twice
        start = above[2]
    return start


def _mark_portal(lines: list[str], verdict: list[str | None]) -> None:
    found, gated = _rules(_PORTAL, lines)
    for i, rule in found:
        verdict[i] = rule
    # the first paragraph of running text no line rule took
    first_body = next((i for i, s in enumerate(lines) if s and not verdict[i] and is_body_paragraph(s)), None)
    document = as_document(lines)
    # counters next to share widgets, or loose in the page head
    for i in _starting(_COUNTER_START, lines, document):
        s = lines[i]
        if not s or verdict[i] or not _COUNTER.fullmatch(s):
            continue
        near = [k for k in range(max(0, i - 3), min(len(lines), i + 4)) if k != i and lines[k]]
        if any(verdict[k] in ("portal_share_widget", "portal_counter") for k in near) or (
            first_body is not None and i < first_body
        ):
            verdict[i] = "portal_share_counter"
    _mark_nav_lists(lines, verdict, document)
    if first_body is None:
        return
    # blocks of links after the article started
    i = first_body + 1
    while i < len(lines):
        s = lines[i]
        if not s or verdict[i]:
            i += 1
            continue
        header = _table_rule(_BLOCK_HEADER, s) if i in gated else None
        if header:
            i = _mark_block(lines, verdict, i, header, gated)
            continue
        if _TIMESTAMP.fullmatch(s):
            start = _triplet_start(lines, i)
            if start is not None and start > first_body:
                i = _mark_block(lines, verdict, start, "portal_recommendation_block", gated)
                continue
        i += 1
    _mark_after_credits(lines, verdict, first_body)


def _mark_nav_lists(lines: list[str], verdict: list[str | None], document: str) -> None:
    """Runs of one-word list items (``- 体育`` ``- 财经`` …) outside the article are menus;
    inside it (between its first and last paragraph of running text) they are a list."""
    items = [i for i in _starting(_NAV_ITEM_START, lines, document) if verdict[i] is None and _NAV_ITEM.fullmatch(lines[i])]
    if len(items) < R.NAV_LIST_MIN_RUN:
        return  # (no run can be long enough)
    # a run: items with only blank lines between them
    runs: list[list[int]] = []
    for i in items:
        if runs and not any(lines[runs[-1][-1] + 1:i]):
            runs[-1].append(i)
        else:
            runs.append([i])
    runs = [run for run in runs if len(run) >= R.NAV_LIST_MIN_RUN]
    if not runs:
        return
    is_body = [verdict[i] is None and _is_resume(ln) for i, ln in enumerate(lines)]
    first = next((i for i, b in enumerate(is_body) if b), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if is_body[i]), None)
    for run in runs:
        if first is None or not any(first <= k <= last for k in run):
            for k in run:
                verdict[k] = "portal_nav_list"


def _mark_after_credits(lines: list[str], verdict: list[str | None], first_body: int) -> None:
    """Portals close an article with ``责任编辑：…``; short lines after it are page furniture."""
    tail = list(islice((i for i in range(len(lines) - 1, first_body, -1) if lines[i]), 30))
    if not may_name_editor("\n".join([lines[i] for i in tail])):
        return  # (no tail line holds an editor mark, which hold no line break: most pages)
    editor = next(
        (i for i in tail if may_name_editor(lines[i]) and (b := parse_byline(lines[i])) is not None and b.editor), None
    )
    if editor is None:
        return
    for j in range(editor + 1, len(lines)):
        s = lines[j]
        if not s or verdict[j]:
            continue
        if _is_resume(s):
            return
        if parse_byline(s) is None:
            verdict[j] = "portal_after_credits"


def _mark_duplicates(lines: list[str], verdict: list[str | None]) -> None:
    """A paragraph printed twice (print versions, summaries of the same story) stays once."""
    long_lines = [s for s in lines if len(s) >= 30]
    if len(set(long_lines)) == len(long_lines):
        return  # (no long line is printed twice: nothing to mark)
    seen: set[str] = set()
    for i, s in enumerate(lines):
        if len(s) < 30 or verdict[i]:
            continue
        if s in seen:
            verdict[i] = "duplicate_paragraph"
        seen.add(s)


def _mark_forum(
    lines: list[str], raw_lines: list[str], verdict: list[str | None], replace: dict[int, str], record: Record
) -> None:
    header = next((i for i, ln in enumerate(lines[:400]) if _FORUM_HEADER.fullmatch(ln)), None)
    if header is None:
        # no recognisable post structure: single furniture lines only, never running text
        for i, s in enumerate(lines):
            if s and not is_body_paragraph(s):
                verdict[i] = _rule(s, _FORUM, _PORTAL)
        return
    # the head of the thread: everything but the thread title goes
    title = next((i for i in range(header) if _FORUM_TITLE.fullmatch(lines[i])), None)
    for i in range(header):
        s = lines[i]
        if not s:
            continue
        if i == title:
            cleaned = _COPY_LINK.sub("", s).strip(_WS)
            if cleaned != s:
                replace[i] = cleaned
                record.log("clean", "forum_copy_link", s[len(cleaned):].strip(_WS) or s)
            continue
        verdict[i] = _rule(s, _FORUM, _PORTAL) or "forum_profile"
    verdict[header] = "forum_post_header"
    date = parse_date(raw_lines[header])
    if date and not record.date:
        record.date = date
        record.log("clean", "forum_post_date", date)
    # the post body runs to the first piece of thread furniture
    end = len(lines)
    for j in range(header + 1, len(lines)):
        s = lines[j]
        if s and (_FORUM_TAIL.fullmatch(s) or _FORUM_HEADER.fullmatch(s)):
            end = j
            break
        if s:
            verdict[j] = _rule(s, _FORUM_BODY, _PORTAL)
    for j in range(end, len(lines)):
        s = lines[j]
        if s:
            verdict[j] = _rule(s, _FORUM, _PORTAL) or "forum_thread_tail"


def _mark_lines(lines: list[str], verdict: list[str | None], table: R.RuleTable) -> None:
    for i, rule in _rules(table, lines)[0]:
        verdict[i] = rule


def strip_noise(record: Record) -> None:
    """Remove page furniture lines; log each removed span with its rule.

    Before → after (seed 002, a NetEase page)::

        网易首页 > 网易安徽 > 正文                      (portal_breadcrumb)
        数字产业集聚成“群” 增添发展新动能          →   数字产业集聚成“群” 增添发展新动能
        0 / 分享至                                      (portal_share_counter, portal_share_widget)
        在工信部近期公布的……                       →   在工信部近期公布的……
        相关推荐 / 热点推荐 / 标题 / 来源 / 时间…       (portal_recommendation_block)
        头条要闻 / 伊朗：……                            (portal_channel_block)
        无障碍浏览 进入关怀版                           (portal_accessibility)
    """
    kind = record.sources[0].kind if record.sources else "article"
    lines = record.text.split("\n")
    stripped = [raw.strip(_WS) for raw in lines]  # (what the markers look at: stripped once)
    verdict: list[str | None] = [None] * len(lines)
    replace: dict[int, str] = {}
    if kind == "forum":
        _mark_forum(stripped, lines, verdict, replace, record)
    elif kind == "newspaper_page":
        _mark_lines(stripped, verdict, _PORTAL)  # printed pages carry no widgets; footers and URLs only
    else:
        _mark_portal(stripped, verdict)
    if kind != "newspaper_page":
        _mark_duplicates(stripped, verdict)
    if not any(verdict) and not replace:
        return

    out: list[str] = []
    run_rule: str | None = None
    run: list[str] = []

    def flush() -> None:
        if run_rule and run:
            record.log("clean", run_rule, " | ".join(run), len(run))

    removed_since_text = False
    for i, raw in enumerate(lines):
        rule = verdict[i]
        if rule:
            if rule != run_rule:
                flush()
                run_rule, run = rule, []
            run.append(stripped[i])
            removed_since_text = True
            continue
        if not stripped[i]:
            # a blank line between two removed lines does not end their run
            if removed_since_text and out and not out[-1].strip(_WS):
                continue
            out.append(raw)
            continue
        if run_rule:  # (a text line after removed ones ends their run)
            flush()
            run_rule, run = None, []
        removed_since_text = False
        out.append(replace.get(i, raw))
    flush()
    record.text = _trim_blank_lines("\n".join(out))


def _trim_blank_lines(text: str) -> str:
    """Whitespace-only lines left at the ends go: what ``re.sub(r"^(?:[ \t\u3000\u00a0]*\n)+", "", text)``
    and then ``re.sub(r"(?:\n[ \t\u3000\u00a0]*)+$", "", text)`` do, without trying those
    patterns at every position of the text."""
    start = 0
    while True:  # whole blank lines at the start
        nl = text.find("\n", start)
        if nl < 0 or text[start:nl].strip(_WS):
            break
        start = nl + 1
    text = text[start:]
    # at the end: from the first line break of the trailing run of blanks and line breaks
    nl = text.find("\n", len(text.rstrip(_WS + "\n")))
    return text if nl < 0 else text[:nl]
