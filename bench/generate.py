"""Seeded generator of realistic Chinese news corpora of any size, for benchmarks.

The raw material is the sentences of ``raw/`` (or any folder of text files).
Each *story* is a new article assembled from those sentences' clauses (with
numbers redrawn and some words swapped, so unrelated stories share little
text), rendered the way scraped pages look: a clean article, a portal page
with its chrome, a forum post with its profile block, a newspaper column with
hard wraps.  A share of the documents (``--dup-share``, 20% by default) are
reprints of an earlier story: re-rendered in another style, converted to
traditional script, with half-width punctuation, a truncated intro, an
editor's note.  ``--html-share`` renders that share of documents as HTML pages.

Output, under OUT::

    corpus/part-00000.jsonl …   one document per line: {"id", "url", "text"|"html"}
                                (or corpus/00000/….txt|.html with --layout files)
    truth.jsonl                 one line per document: {"id", "story", "reprint"}
    manifest.json               parameters, counts, bytes

Same arguments, same bytes: everything is drawn from one ``random.Random(seed)``.

    python bench/generate.py --docs 10000 --out bench/out/corpus-10k
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import opencc

REPO = Path(__file__).resolve().parent.parent
DOCS_PER_SHARD = 2_000
DOCS_PER_FOLDER = 1_000

CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"(?<=[。！？])")
CLAUSE_SPLIT = re.compile(r"[，；：,;:]")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
TO_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
TO_HALF_WIDTH = {"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?"}

# Page furniture, as data.  Names are invented; the shapes follow common portal
# and forum software.
SITES = ["网易", "新浪", "搜狐", "腾讯", "凤凰网", "中华网", "东方网", "大众网", "北青网", "南方网", "华商网", "红网"]
CHANNELS = ["新闻", "财经", "科技", "国内", "社会", "地方", "产经", "数码", "要闻", "时政"]
REGIONS = ["安徽", "湖北", "浙江", "广东", "江苏", "四川", "山东", "河南", "福建", "湖南"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国俊峰昊宇晨欣怡浩然子涵思远"
BOARDS = ["数码讨论", "时事评论", "财经茶座", "科技前沿", "社会百态", "原创文章", "新闻转载"]
RANKS = ["超级斑竹", "版主", "荣誉会员", "高级会员", "资深会员", "注册会员"]
LEVELS = ["玉清道君", "上清真人", "太清仙官", "侠客", "圣骑士", "精灵王", "新手上路"]
PORTAL_FOOTERS = [
    "责任编辑：{name}", "（责任编辑：{name}_{code}）", "本文来源：{source}　作者：{name}",
    "特别声明：以上内容仅代表作者本人观点，不代表{site}观点或立场。",
    "版权所有 © {year} {site} 未经授权禁止转载",
    "举报/反馈", "分享到：微信 微博 QQ空间", "相关阅读", "热门推荐", "返回{site}首页，查看更多精彩内容",
]


@dataclass
class Story:
    title: str
    paragraphs: list[str]
    author: str
    source: str
    date: str


def read_sentences(source_dirs: list[Path]) -> list[str]:
    """Sentences of the source texts, in simplified script with full-width punctuation."""
    t2s = opencc.OpenCC("t2s")
    sentences: list[str] = []
    seen: set[str] = set()
    for folder in source_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for block in re.split(r"\n\s*\n|\n[ \u3000]{2,}", t2s.convert(text)):
                # Short lines are furniture (counters, buttons, profile fields): drop them.
                lines = [ln.strip() for ln in block.splitlines() if len(CJK.findall(ln)) >= 8]
                joined = "".join(lines)
                joined = "".join(TO_FULL_WIDTH.get(ch, ch) for ch in joined)
                for sentence in SENTENCE_END.split(re.sub(r"[ \u3000]+", "", joined)):
                    cjk = len(CJK.findall(sentence))
                    if cjk >= 10 and cjk / len(sentence) > 0.6 and sentence not in seen:
                        seen.add(sentence)
                        sentences.append(sentence)
    if len(sentences) < 20:
        raise SystemExit(f"generate: only {len(sentences)} usable sentences under {source_dirs}; need 20 or more")
    return sentences


class Generator:
    def __init__(self, sentences: list[str], seed: int):
        self.rng = random.Random(seed)
        self.clauses = sorted({c for s in sentences for c in CLAUSE_SPLIT.split(s.rstrip("。！？")) if len(c) >= 4})
        self.titles = sorted({c for c in self.clauses if 6 <= len(c) <= 24})
        text = "".join(sentences)
        # Two-character words to swap in: frequent CJK bigrams of the source.
        counts: dict[str, int] = {}
        for i in range(len(text) - 1):
            pair = text[i : i + 2]
            if CJK.match(pair[0]) and CJK.match(pair[1]):
                counts[pair] = counts.get(pair, 0) + 1
        self.words = sorted(w for w, n in counts.items() if n >= 2)
        self.s2t = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]

    # -- stories ---------------------------------------------------------
    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))

    def date(self) -> str:
        r = self.rng
        return f"{r.randint(2015, 2024)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"

    def clause(self) -> str:
        r = self.rng
        text = r.choice(self.clauses)
        text = DIGITS.sub(lambda m: str(r.randint(2, 10 ** len(m.group()) - 1)), text)
        for _ in range(r.choice((0, 1, 1, 2))):
            if len(text) > 4:
                at = r.randrange(len(text) - 1)
                if CJK.match(text[at]) and CJK.match(text[at + 1]):
                    text = text[:at] + r.choice(self.words) + text[at + 2 :]
        return text

    def sentence(self) -> str:
        r = self.rng
        return "，".join(self.clause() for _ in range(r.choice((1, 2, 2, 3, 3, 4)))) + r.choice("。。。。。！")

    def story(self) -> Story:
        r = self.rng
        paragraphs = ["".join(self.sentence() for _ in range(r.randint(1, 4))) for _ in range(r.randint(4, 12))]
        title = r.choice(self.titles)
        if r.random() < 0.4:
            title += " " + r.choice(self.titles)
        return Story(title, paragraphs, self.name(), r.choice(SITES) + r.choice(CHANNELS), self.date())

    # -- renderings ------------------------------------------------------
    def article(self, s: Story, paragraphs: list[str]) -> str:
        r = self.rng
        head = [s.title]
        if r.random() < 0.6:
            head.append(r.choice(["本报记者 ", "记者 ", "文／", "作者："]) + s.author)
        indent = r.choice(["", "\u3000\u3000", "  "])
        return "\n\n".join(head + [indent + p for p in paragraphs]) + "\n"

    def portal(self, s: Story, paragraphs: list[str]) -> str:
        r = self.rng
        site, region = r.choice(SITES), r.choice(REGIONS)
        lines = [
            f"{site}首页 > {site}{r.choice([region, r.choice(CHANNELS)])} > 正文",
            s.title,
            f"{s.date} {r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}　来源: {s.source}",
        ]
        if r.random() < 0.5:
            lines += [str(r.randint(0, 999)), "分享至"]
        if r.random() < 0.3:
            lines.append(f"原标题：{s.title}")
        lines += paragraphs
        values = {"name": self.name(), "code": f"N{r.randint(1000, 9999)}", "source": s.source, "site": site,
                  "year": s.date[:4]}
        lines += [t.format(**values) for t in r.sample(PORTAL_FOOTERS, r.randint(2, 5))]
        return "\n\n".join(lines) + "\n"

    def forum(self, s: Story, paragraphs: list[str]) -> str:
        r = self.rng
        user = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(4, 8))) + str(r.randint(1, 99999))
        stats = []
        for label in r.sample(["发帖", "金币", "道行", "原创", "奖券", "威望", "贡献值", "在线时间"], 5):
            stats += [label, str(r.randint(0, 99999))]
        lines = [
            "切换到宽版",
            f"  • {r.randint(10, 9999)}阅读",
            f"  • {r.randint(0, 300)}回复",
            "",
            f"[{r.choice(BOARDS)}]{s.title} [复制链接]",
            "",
            "上一主题 下一主题",
            f"在线{user}",
            "",
            f"UID: {r.randint(1000, 999999)}",
            "",
            f"精华: {r.randint(0, 2000)}",
            f"职务: {r.choice(RANKS)}",
            f"级别: {r.choice(LEVELS)}",
            " ",
            *stats,
            f"注册时间: {self.date()}",
            f"最后登录: {self.date()}",
            f"只看楼主 倒序阅读 使用道具 楼主  发表于: {s.date}",
            *("  " + p for p in paragraphs),
            "",
            r.choice(["快速回复", "[ 此帖被" + self.name() + "在" + self.date() + "重新编辑 ]", "顶端 回复 引用 分享"]),
        ]
        return "\n".join(lines) + "\n"

    def newspaper(self, s: Story, paragraphs: list[str]) -> str:
        """Hard-wrapped columns, as text extracted from a newspaper page."""
        r = self.rng
        width = r.randint(12, 20)
        out = []
        for p in [s.title] + paragraphs:
            p = " " + p if r.random() < 0.5 else p
            out.append("\n".join(p[i : i + width] for i in range(0, len(p), width)))
        return "\n\n".join(out) + "\n"

    def html(self, s: Story, paragraphs: list[str]) -> str:
        r = self.rng
        site = r.choice(SITES)
        nav = "".join(f'<li><a href="/{c}/">{c}</a></li>' for c in r.sample(CHANNELS, 6))
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        related = "".join(f'<li><a href="/a/{r.randint(1, 10**8)}.html">{t}</a></li>' for t in r.sample(self.titles, 5))
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{s.title}_{site}</title>'
            f'<script>var _hmt=_hmt||[];</script></head>\n<body>\n<div class="top"><ul class="nav">{nav}</ul></div>\n'
            f'<div class="crumb"><a href="/">{site}首页</a> &gt; <a href="/news/">{r.choice(CHANNELS)}</a> &gt; 正文</div>\n'
            f'<div class="article"><h1>{s.title}</h1>\n<div class="info"><span class="time">{s.date}</span>'
            f' <span class="source">来源：{s.source}</span> <span class="author">作者：{s.author}</span></div>\n'
            f'<div class="content">\n{body}\n</div>\n<div class="editor">责任编辑：{self.name()}</div></div>\n'
            f'<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div>\n'
            f'<div class="footer">版权所有 © {s.date[:4]} {site} 未经授权禁止转载</div>\n</body></html>\n'
        )

    # -- reprints --------------------------------------------------------
    def reprint_paragraphs(self, s: Story) -> list[str]:
        r = self.rng
        paragraphs = list(s.paragraphs)
        if r.random() < 0.3 and len(paragraphs) > 4:  # truncated intro
            paragraphs = paragraphs[1:] if r.random() < 0.5 else [paragraphs[0].split("。", 1)[-1] or paragraphs[0]] + paragraphs[1:]
        if r.random() < 0.2 and len(paragraphs) > 4:  # the tail cut
            paragraphs = paragraphs[:-1]
        if r.random() < 0.2:
            paragraphs.append(f"（本文转载自{s.source}，原标题《{s.title}》）")
        return paragraphs

    def reprint_text(self, text: str) -> str:
        r = self.rng
        if r.random() < 0.4:
            text = r.choice(self.s2t).convert(text)
        if r.random() < 0.4:
            text = "".join(TO_HALF_WIDTH.get(ch, ch) for ch in text)
        return text

    def render(self, s: Story, reprint: bool, as_html: bool) -> str:
        r = self.rng
        paragraphs = self.reprint_paragraphs(s) if reprint else s.paragraphs
        if as_html:
            text = self.html(s, paragraphs)
        else:
            style = r.choices([self.article, self.portal, self.forum, self.newspaper], weights=[4, 3, 1, 2])[0]
            text = style(s, paragraphs)
        return self.reprint_text(text) if reprint else text


def generate(out: Path, docs: int, seed: int, dup_share: float, html_share: float, layout: str,
             sources: list[Path]) -> dict:
    started = time.perf_counter()
    gen = Generator(read_sentences(sources), seed)
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.rglob("*"):
        if old.is_file():
            old.unlink()
    stories: list[Story] = []
    total_bytes = 0
    reprints = 0
    shard = None
    with open(out / "truth.jsonl", "w", encoding="utf-8") as truth:
        for i in range(docs):
            reprint = bool(stories) and gen.rng.random() < dup_share
            if reprint:
                story_no = gen.rng.randrange(len(stories))
                reprints += 1
            else:
                stories.append(gen.story())
                story_no = len(stories) - 1
            as_html = gen.rng.random() < html_share
            text = gen.render(stories[story_no], reprint, as_html)
            doc_id = f"doc-{i:08d}"
            total_bytes += len(text.encode("utf-8"))
            truth.write(json.dumps({"id": doc_id, "story": story_no, "reprint": reprint}) + "\n")
            if layout == "jsonl":
                if i % DOCS_PER_SHARD == 0:
                    if shard:
                        shard.close()
                    shard = open(corpus / f"part-{i // DOCS_PER_SHARD:05d}.jsonl", "w", encoding="utf-8")
                url = f"https://news.example.com/{story_no}/{i}.html"
                shard.write(json.dumps({"id": doc_id, "url": url, "html" if as_html else "text": text},
                                       ensure_ascii=False) + "\n")
            else:
                folder = corpus / f"{i // DOCS_PER_FOLDER:05d}"
                folder.mkdir(exist_ok=True)
                (folder / f"{doc_id}.{'html' if as_html else 'txt'}").write_text(text, encoding="utf-8")
    if shard:
        shard.close()
    manifest = {
        "docs": docs, "seed": seed, "dup_share": dup_share, "html_share": html_share, "layout": layout,
        "stories": len(stories), "reprints": reprints, "text_bytes": total_bytes,
        "sources": [str(s) for s in sources], "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, required=True, help="number of documents")
    p.add_argument("--out", type=Path, required=True, help="output folder (corpus/, truth.jsonl, manifest.json)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--dup-share", type=float, default=0.2, help="share of documents that reprint an earlier story")
    p.add_argument("--html-share", type=float, default=0.0, help="share of documents rendered as HTML pages")
    p.add_argument("--layout", choices=["jsonl", "files"], default="jsonl", help="JSONL shards or one file per document")
    p.add_argument("--source", type=Path, action="append", help="folder of text to take sentences from (default: raw/)")
    args = p.parse_args(argv)
    manifest = generate(args.out, args.docs, args.seed, args.dup_share, args.html_share, args.layout,
                        args.source or [REPO / "raw"])
    print(json.dumps(manifest), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
