"""Photo captions: recognise them among a document's paragraphs and take them out.

Newspaper and portal text carries photo captions in the middle of the body,
often cutting a paragraph in two (the PDF extraction or the page layout put
the photo between two lines of one paragraph).  A caption is recognised by
how captions are written, not by what they say:

* it starts with a photo label: ``图①：`` ``图1：`` ``上图：`` ``图为…`` ``图片来源：``;
* or it ends with a photo credit: ``… 赵春亮摄 （人民图片）``,
  ``李 劼摄（人民日报）``, ``（新华社记者 李贺摄）``, ``（受访者供图）``, ``图/新华社``.

A credit standing alone on the line after a caption (``李 劼摄（人民日报）``
under ``图①：…``) belongs to that caption.

Before → after (seed 001)::

    …让政策红利成为市场主体发展壮大的
    图①：2023年3月14日，…正在搬运铜加工的半成品。
    李 劼摄（人民日报）
    “助推器”。在税收政策的鼓励和支持下，…

    paragraphs: ["…发展壮大的", "“助推器”。在税收政策…"]   (layout then joins them)
    captions:   ["图①：2023年3月14日，…的半成品。 李 劼摄（人民日报）"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .prefilter import required_hints

_HAN = "\u4e00-\u9fff"
_SP = " \u3000\u00a0"

# Labels that open a caption.
CAPTION_START = re.compile(
    rf"^[（(]?\s*(?:"
    rf"(?:上|下|左|右|中|左上|右上|左下|右下|组|题|封面)?图\s*[①-⑳\d一二三四五六七八九十]{{0,3}}\s*[：:]"
    rf"|图为[{_HAN}“]"
    rf"|(?:图片|照片|配图)(?:来源|来自|提供)\s*[：:]"
    rf"|[（(]\s*(?:图片|照片)来源"
    rf")"
)

# A photographer's name: 2–4 Han characters, possibly padded (李 劼), or several joined by 、.
_PHOTOGRAPHER = rf"[{_HAN}](?:[{_SP}]{{0,2}}[{_HAN}]){{1,3}}(?:[、，,/][{_HAN}](?:[{_SP}]{{0,2}}[{_HAN}]){{1,3}}){{0,4}}"
_AGENCY = rf"(?:新华社|中新社|人民日报|本报|本刊|[{_HAN}]{{2,6}}(?:社|网|报))?(?:特约|实习)?(?:记者|通讯员|摄影记者)?"

# Credits that close a caption; the named group is the photographer.
CREDIT_END = re.compile(
    rf"(?:^|(?<=[。！？!?…」』）)\s{_SP}]))"
    rf"(?:"
    # 赵春亮摄 （人民图片） / 新华社记者 李贺 摄 / 李 劼摄（人民日报） / 张三/摄
    rf"{_AGENCY}[{_SP}]*(?P<name>{_PHOTOGRAPHER})[{_SP}]*[/／]?[{_SP}]*摄(?:影)?[{_SP}]*(?:[（(][^（）()]{{1,14}}[）)])?"
    # （新华社记者 李贺摄） / （本报记者 张三 摄）
    rf"|[（(][{_SP}]*{_AGENCY}[{_SP}]*(?P<pname>{_PHOTOGRAPHER})[{_SP}]*[/／]?[{_SP}]*摄(?:影)?[{_SP}]*[）)]"
    # （受访者供图） / 张三供图 / （资料图片） / （视觉中国） kept narrow: only 供图 / 资料图片 / 图片来源
    rf"|[（(]?[{_SP}]*[^（）()\s]{{0,14}}供图[{_SP}]*[）)]?"
    rf"|[（(][{_SP}]*(?:资料图片|资料图|图片来源[：:][^（）()]{{1,20}})[{_SP}]*[）)]"
    # 图/新华社  摄影：张三
    rf"|(?:图|摄影|摄)[{_SP}]*[/／：:][{_SP}]*[{_HAN}A-Za-z]{{2,12}}"
    rf")[{_SP}]*$"
)

# Captions are short: a "paragraph" longer than this ending in a credit is body text.
_MAX_CAPTION = 400
#: every photo credit holds one of these strings (derived from CREDIT_END: 摄, 图 …; None: unknown)
CREDIT_HINTS = required_hints(CREDIT_END)


def may_hold_credit(text: str) -> bool:
    """False only where no photo credit can be: a cheap test before any credit search."""
    return CREDIT_HINTS is None or any(hint in text for hint in CREDIT_HINTS)
# A paragraph that is nothing but a credit.
_CREDIT_ONLY_MAX = 40


@dataclass(frozen=True)
class Caption:
    """A caption taken out of a document: its text and where it stood.

    ``before`` is the number of kept paragraphs before it (the caption stood
    between kept paragraph ``before - 1`` and ``before``).  After the paragraph
    it cut is joined again, ``before - 1`` is that paragraph.
    """

    text: str
    before: int
    photographer: str | None = None
    interrupting: bool = False  # it cut a paragraph in two (joined again around it)


def credit_of(paragraph: str) -> re.Match[str] | None:
    if len(paragraph) > _MAX_CAPTION:
        return None
    if not may_hold_credit(paragraph[-60:]):
        return None
    # a credit is at most ~50 characters: only the tail is searched (linear time)
    return CREDIT_END.search(paragraph, max(0, len(paragraph) - 60))


def is_caption(paragraph: str) -> bool:
    """``图①：2023年3月14日，…`` or ``… 赵春亮摄 （人民图片）`` → True."""
    s = paragraph.strip()
    if not s or len(s) > _MAX_CAPTION:
        return False
    return bool(CAPTION_START.match(s)) or credit_of(s) is not None


def photographer_of(caption: str) -> str | None:
    """The photographer named in a caption's credit (padding removed), if any."""
    m = credit_of(caption.strip())
    if not m:
        return None
    name = m.group("name") or m.group("pname")
    if not name:
        return None
    return re.sub(rf"[{_SP}]+", "", name)


def caption_body(caption: str) -> str:
    """The caption without its credit: ``…无人机。 赵春亮摄 （人民图片）`` → ``…无人机。``."""
    s = caption.strip()
    m = credit_of(s)
    if m and m.start() > 0:
        return s[: m.start()].rstrip(" \u3000\u00a0")
    return s


def ends_with_credit(line: str) -> bool:
    """A line closed by a photo credit ends a caption (never joined to the next line)."""
    if not may_hold_credit(line):
        return False  # (credit_of's own cheap test, before any stripping)
    s = line.rstrip()
    return bool(s) and credit_of(s) is not None


def extract_captions(paragraphs: list[str]) -> tuple[list[str], list[Caption]]:
    """Split paragraphs into (kept paragraphs, captions); a credit-only paragraph
    right after a caption is merged into it."""
    kept: list[str] = []
    captions: list[Caption] = []
    for para in paragraphs:
        s = para.strip()
        if not is_caption(s):
            kept.append(para)
            continue
        credit = credit_of(s)
        credit_only = credit is not None and credit.start() == 0 and len(s) <= _CREDIT_ONLY_MAX
        prev = captions[-1] if captions else None
        if (
            credit_only
            and prev is not None
            and prev.before == len(kept)
            and credit_of(prev.text) is None
        ):
            merged = prev.text + " " + s
            captions[-1] = Caption(merged, prev.before, photographer_of(merged))
            continue
        captions.append(Caption(s, len(kept), photographer_of(s)))
    return kept, captions
