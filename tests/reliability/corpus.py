"""Generators of bad input for the reliability suite (written by the tests, never committed).

Every bad file is made the way it arrives in real scrape folders: a real PNG and
ZIP, a gzip cut off mid-stream, a gzip bomb, encodings Chinese sites really use,
JSONL with broken lines between good ones, and file-system oddities (symlink
loops, named pipes, unreadable files, names with spaces and non-ASCII).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from ..conftest import RAW

#: 200 MB: far over the per-document limit, far over what a build may hold in memory.
HUGE_LINE_BYTES = 200 * 1024 * 1024

GOOD_TEXT = (
    "江淮腹地，数字产业集群加速成长。依托龙头企业打造的智能语音产业集群，"
    "已聚集上下游企业一千余家，为经济稳增长促转型提供有力支撑。\n"
    "业内人士表示，产业链上下游协同创新，是集群持续壮大的关键所在。\n"
)


def seed_paragraphs() -> list[str]:
    """Paragraphs of the seed documents in raw/ (long enough to be real prose)."""
    paragraphs = []
    for path in sorted(RAW.iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) >= 40:
                paragraphs.append(line.strip())
    return paragraphs


def png_bytes() -> bytes:
    """A real 2×2 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", GOOD_TEXT)
    return buffer.getvalue()


def write_huge_line(path: Path, size: int = HUGE_LINE_BYTES) -> None:
    """``size`` bytes of Chinese text with no line break, written in chunks."""
    chunk = GOOD_TEXT.replace("\n", "").encode("utf-8") * 2000
    with open(path, "wb") as out:
        written = 0
        while written < size:
            piece = chunk[: size - written]
            out.write(piece)
            written += len(piece)


#: file → (expected status, expected reason or None); made by ``make_bad_corpus``.
def make_bad_corpus(root: Path, huge: bool = True) -> dict[str, tuple[str, str | None]]:
    """Write the bad-input corpus under ``root``; return what the ledger must say of each file."""
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, tuple[str, str | None]] = {}

    def put(name: str, data: bytes, status: str, reason: str | None = None) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = (status, reason)
        return path

    paragraphs = seed_paragraphs()

    def article(i: int) -> str:
        """A distinct article for each good file, so dedup leaves them apart
        (i below len(paragraphs) // 3, or articles repeat)."""
        return "\n".join(paragraphs[(3 * i + k) % len(paragraphs)] for k in range(3)) + "\n"

    good = article(0).encode("utf-8")
    put("good.txt", good, "kept")
    put("empty.txt", b"", "rejected", "empty")
    put("blank.md", b" \n\r\n\t\n", "rejected", "empty")
    put("image.png", png_bytes(), "rejected", "binary")
    put("photo.txt", png_bytes(), "rejected", "binary")  # a binary file with a text name
    put("archive.zip", zip_bytes(), "rejected", "binary")
    put("truncated.txt.gz", gzip.compress(good * 50)[:60], "rejected", "bad_gzip")
    put("not_gzip.html.gz", good, "rejected", "bad_gzip")
    # a gzip bomb: 40 MB of text in a few kilobytes
    put("bomb.txt.gz", gzip.compress(good * (40 * 1024 * 1024 // len(good)), 9), "rejected", "too_large")
    # a scrape cut mid-character in the middle of a UTF-8 file: kept, damage replaced
    damaged = article(1).encode("utf-8")
    half = len(damaged) // 2
    put("invalid_utf8.txt", damaged[:half] + b"\xe6\x95" + b"\xff" + damaged[half:], "kept")

    # one folder, every encoding Chinese sites use
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    encoded = {
        "gbk.txt": lambda t: t.encode("gbk", "ignore"),
        "gb18030.txt": lambda t: (t + "㐀").encode("gb18030"),
        "big5.txt": lambda t: to_traditional.convert(t).encode("big5", "ignore"),
        "utf16le_bom.txt": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        "utf16be_bom.txt": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        "utf16le_nobom.txt": lambda t: t.encode("utf-16-le"),
        "utf16be_nobom.txt": lambda t: t.encode("utf-16-be"),
        "utf8_bom.txt": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        "crlf.txt": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    }
    for i, (name, encode) in enumerate(encoded.items()):
        put(f"encodings/{name}", encode(article(10 + i)), "kept")

    if huge:
        write_huge_line(root / "huge_single_line.txt")
        expect["huge_single_line.txt"] = ("rejected", "too_large")
        # the same line inside a JSONL file, and a JSONL gzip bomb: the lines around it survive
        first = json.dumps({"text": article(21)}, ensure_ascii=False).encode("utf-8") + b"\n"
        last = json.dumps({"text": article(23)}, ensure_ascii=False).encode("utf-8") + b"\n"
        with open(root / "huge_line.jsonl", "wb") as out:
            out.write(first + b'{"text": "')
        write_huge_line(root / "huge_line.part")
        with open(root / "huge_line.jsonl", "ab") as out, open(root / "huge_line.part", "rb") as part:
            shutil.copyfileobj(part, out, 1 << 24)
            out.write(b'"}\n' + last)
        (root / "huge_line.part").unlink()
        expect["huge_line.jsonl"] = ("split", None)
        with gzip.open(root / "bomb.jsonl.gz", "wb", compresslevel=1) as out:
            out.write(first.replace(b"\n", b"") + b"\n" + b'{"text": "')
            block = GOOD_TEXT.replace("\n", "").encode("utf-8") * 4000
            for _ in range(48 * 1024 * 1024 // len(block)):
                out.write(block)
            out.write(b'"}\n' + last)
        expect["bomb.jsonl.gz"] = ("split", None)

    # HTML: 50,000 nested unclosed tags around real text; a page with no text at all
    nested = "<html><body>" + "<div><span><p>" * 50_000 + GOOD_TEXT + "<b><i>" * 1000
    put("nested_unclosed.html", nested.encode("utf-8"), "any")
    # a generated page with a quarter of a million tags: rejected before parsing
    put("generated.html", ("<html><body>" + "<p>产业</p><b>a</b>" * 62_500 + "</body></html>").encode("utf-8"), "rejected", "too_large")
    put(
        "no_text.html",
        b"<!DOCTYPE html><html><head><title></title><script>var a = 1;</script>"
        b"<style>body{color:red}</style></head><body><img src='a.png'><div> </div></body></html>",
        "rejected",
        "no_text",
    )

    # JSONL: malformed lines between good ones lose only themselves
    lines = [
        '{"text": "第一篇文章的正文，讲述数字产业集群加速成长。", "title": "第一篇"}',
        '{"text": "第二篇文章没有闭合',  # 2: malformed
        '{"text": "第三篇文章的正文，产业链上下游协同创新。"}',
        '["a", "list", "not", "an", "object"]',  # 4: not an object
        '{"text": "", "title": "空"}',  # 5: no text
        "",  # 6: blank line: skipped silently
        json.dumps({"html": "<html><body><article><h1>第七篇</h1><p>第七篇文章的正文，是一段网页。</p>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs[84:87]) + "</article></body></html>"}, ensure_ascii=False),
        '{"text": "第八篇文章"}\x00garbage',  # 8: trailing garbage
    ]
    data = "\n".join(lines).encode("utf-8") + b"\n" + b'{"text": "\xff\xfe bad utf-8 \xe6"}\n'  # 9: not UTF-8
    put("articles.jsonl", data, "split")

    # names with spaces and non-ASCII characters
    put("名字 有 空格/新闻 稿 （一）.txt", ("皖北" + article(25)).encode("utf-8"), "kept")
    put("line\nbreak in name.txt", b"", "rejected", "empty")  # the CLI must still print one line
    # identical files under two names: one kept, the other merged into it
    put("copies/original.txt", article(50).encode("utf-8"), "kept or merged")
    put("copies/copy of original.txt", article(50).encode("utf-8"), "kept or merged")

    # file-system oddities
    (root / "links").mkdir()
    os.symlink(".", root / "links" / "loop_dir")  # a directory loop
    expect["links/loop_dir"] = ("rejected", "not_a_file")
    os.symlink("ping.txt", root / "links" / "pong.txt")
    os.symlink("pong.txt", root / "links" / "ping.txt")  # a file symlink loop
    expect["links/ping.txt"] = ("rejected", "unreadable")
    expect["links/pong.txt"] = ("rejected", "unreadable")
    os.symlink("nowhere.txt", root / "links" / "dangling.txt")
    expect["links/dangling.txt"] = ("rejected", "unreadable")
    os.mkfifo(root / "links" / "pipe.txt")  # reading it would block forever
    expect["links/pipe.txt"] = ("rejected", "not_a_file")
    locked = put("unreadable.txt", good, "rejected", "unreadable")
    locked.chmod(0)
    return expect


def make_seed_corpus(root: Path, documents: int = 300, seed: int = 9) -> None:
    """``documents`` plausible news files built from the seed documents' paragraphs."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    root.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        body = "\n".join(rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(4, 12))))
        (root / f"doc_{i:04d}.txt").write_text(f"新闻稿第{i}号\n{body}\n", encoding="utf-8")
