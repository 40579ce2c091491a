"""A labelled set of reprint / non-reprint pairs built from real text.

Positives (same article): the OpenCC s2t (traditional) version, a portal
reprint wrapped in portal chrome, a forum repost wrapped in forum chrome, a
repost missing its intro, a punctuation/width-swapped copy, a lightly edited
copy (one character in 25 changed: OCR noise, an editor's touch), and combinations.
Negatives: different articles, different articles that share a few paragraphs
(like seeds 001/003), and different articles wrapped in the same site template
(real pages from the same portal, and real texts wrapped in one template).

Everything is derived from real documents (cwce gold texts, gne pages, the
seed files); the chrome lines are generic portal/forum patterns.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

PORTAL_HEAD = ["首页 > 新闻中心 > 国内新闻 > 正文", "{title}", "2023-05-12 10:31:07　来源：综合", "0", "分享至", "字号：大 中 小"]
PORTAL_TAIL = ["责任编辑：王晓明", "【纠错】", "相关阅读", "{related1}", "{related2}", "热门推荐", "{related3}",
               "网站地图 | 关于我们 | 联系我们 | 广告服务", "Copyright © 1997-2024 All Rights Reserved"]
FORUM_HEAD = ["切换到宽版", "• 312阅读", "• 2回复", "[转帖]{title} [复制链接]", "上一主题 下一主题",
              "楼主 发表于: 2023-01-08", "UID: 120934", "精华: 12", "发帖", "5821", "金币", "230", "只看楼主 倒序阅读"]
FORUM_TAIL = ["快速回复", "限120 字节", "认真回复加分,灌水扣分~", "上一个 下一个"]
_FULL_TO_HALF = str.maketrans("，。：；！？（）“”", ",.:;!?()\"\"")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return paras


def first_line(text: str) -> str:
    return paragraphs(text)[0][:30]


def s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def wrap(text: str, head: list[str], tail: list[str], title: str, related: list[str]) -> str:
    fill = {"title": title, "related1": related[0], "related2": related[1], "related3": related[2]}
    return "\n".join(line.format(**fill) for line in head) + "\n\n" + text + "\n\n" + "\n".join(
        line.format(**fill) for line in tail)


def drop_intro(text: str, share: float) -> str:
    """The repost that lost its intro: drop the first paragraphs (or characters) up to ``share`` of the text."""
    paras = paragraphs(text)
    total = sum(len(p) for p in paras)
    dropped, kept = 0, list(paras)
    while len(kept) > 1 and dropped + len(kept[0]) <= share * total:
        dropped += len(kept.pop(0))
    if dropped == 0:
        cut = int(share * len(text))
        return text[cut:]
    return "\n\n".join(kept)


def light_edits(text: str, rng: random.Random, every: int = 25) -> str:
    """An editor's touch or OCR noise: about one Han character in ``every`` replaced by another."""
    chars = list(text)
    han = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]
    for i in rng.sample(han, len(han) // every):
        chars[i] = chr(0x4E00 + rng.randrange(0x5000))
    return "".join(chars)


def swap_width(text: str) -> str:
    out = text.translate(_FULL_TO_HALF)
    return re.sub(r"(\d)", lambda m: chr(ord(m.group(1)) + 0xFEE0), out).replace("\n\n", "\n  \n")


def gne_text(path: Path) -> str:
    """Visible text of a real rendered news page, template and all (no extraction on purpose)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return "\n".join(s.strip() for s in soup.get_text("\n").splitlines() if s.strip())


def build_pairs(realdata: Path, raw: Path, seed: int = 7) -> list[Pair]:
    rng = random.Random(seed)
    gold = [p.read_text(encoding="utf-8") for p in sorted((realdata / "cwce" / "cleaned").glob("*.txt"))]
    texts = [t for t in gold if len(re.sub(r"\s", "", t)) >= 300]
    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt"))}
    texts += [seeds["001"], seeds["002"], seeds["003"]]  # three distinct articles (000 is a newspaper page)
    pairs: list[Pair] = []
    titles = [first_line(t) for t in texts]
    for i, text in enumerate(texts):
        related = [titles[(i + k) % len(titles)] for k in (1, 2, 3)]
        title = titles[i]
        portal = wrap(text, PORTAL_HEAD, PORTAL_TAIL, title, related)
        forum = wrap(text, FORUM_HEAD, FORUM_TAIL, title, related)
        pairs += [
            Pair(text, s2t(text), True, "traditional script"),
            Pair(text, portal, True, "portal reprint"),
            Pair(text, forum, True, "forum repost"),
            Pair(text, drop_intro(text, 0.2), True, "missing intro"),
            Pair(text, swap_width(text), True, "punctuation/width"),
            Pair(text, light_edits(drop_intro(text, 0.1), rng), True, "edited repost without intro"),
            Pair(portal, s2t(drop_intro(forum, 0.15)), True, "traditional forum repost without intro"),
        ]
    # Different articles: every pair of distinct texts.
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            pairs.append(Pair(texts[i], texts[j], False, "different articles"))
    # Different articles that reuse a few paragraphs of another (like seed 001 with 003).
    for i, text in enumerate(texts):
        donor = texts[(i + 5) % len(texts)]
        donor_paras = [p for p in paragraphs(donor) if len(p) > 40]
        own = paragraphs(text)
        if len(own) < 3 or len(donor_paras) < 4:
            continue
        borrowed = rng.sample(donor_paras, min(3, max(1, len(donor_paras) // 4)))
        mixed = own[:1] + borrowed + own[1:]
        pairs.append(Pair("\n\n".join(mixed), donor, False, "shares a few paragraphs"))
    # Same site template, different articles.
    for i in range(len(texts)):
        j = (i + 1) % len(texts)
        a = wrap(texts[i], PORTAL_HEAD, PORTAL_TAIL, titles[i], titles[:3])
        b = wrap(texts[j], PORTAL_HEAD, PORTAL_TAIL, titles[j], titles[:3])
        pairs.append(Pair(a, b, False, "same template, different articles"))
    gne = sorted((realdata / "gne").glob("*.html"))
    by_site: dict[str, list[str]] = {}
    for path in gne:
        text = gne_text(path)
        if len(text) >= 300:  # a page whose text did not decode is no pair
            by_site.setdefault(path.name.split("_")[0], []).append(text)
    for site, pages in sorted(by_site.items()):
        for i in range(len(pages)):
            for j in range(i + 1, len(pages)):
                pairs.append(Pair(pages[i], pages[j], False, "same portal pages"))
    # The seeds themselves.
    pairs.append(Pair(seeds["003"], seeds["004"], True, "seed forum repost without intro"))
    pairs.append(Pair(seeds["001"], seeds["003"], False, "seed: reuses three paragraphs"))
    pairs.append(Pair(seeds["001"], seeds["004"], False, "seed: reuses three paragraphs"))
    return pairs
