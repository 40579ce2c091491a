"""Throughput of the normalisers, in MB/s of UTF-8 text, on one core.

    .venv/bin/python bench/bench_normalize.py [--raw raw] [--seconds 0.5]

The texts are the paragraphs of ``raw/`` (newspaper columns, portal and forum
copies with half-width punctuation, full-width articles; one paragraph per line
as the cleaning stage hands them over), cut into documents of about 2.7 KB, in
three shapes:

* ``as scraped``   the paragraphs as they are;
* ``traditional``  the same converted with OpenCC s2tw (a Taiwan reprint);
* ``half-width``   the same with the Chinese punctuation typed half-width.

Times are CPU seconds of this process (best of 5).  Part 1 times each normaliser and the whole stage; part 2 times the
alternatives behind the choices in the code (the fastest correct one is what
the code does) — each pair computes the same result.
"""

from __future__ import annotations

import argparse
import operator
import re
import sys
import time
import timeit
import unicodedata
from pathlib import Path

import ftfy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from corpuskit.config import BuildConfig  # noqa: E402
from corpuskit.normalize import Normalizer  # noqa: E402
from corpuskit.normalize import punctuation as punct_mod  # noqa: E402
from corpuskit.normalize import script as script_mod  # noqa: E402
from corpuskit.normalize import unicode as uni_mod  # noqa: E402
from corpuskit.normalize.changes import Changes  # noqa: E402
from corpuskit.normalize.chars import CJK_LETTER_RE  # noqa: E402
from corpuskit.normalize.punctuation import PunctuationNormalizer  # noqa: E402
from corpuskit.normalize.script import ScriptConverter, ScriptDetector  # noqa: E402
from corpuskit.normalize.unicode import UnicodeNormalizer  # noqa: E402
from corpuskit.record import Record  # noqa: E402

HALF = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")", "“": '"', "”": '"'})


def documents(raw: Path) -> dict[str, list[str]]:
    """Documents of about 2.7 KB (the pipeline's average) cut from raw/'s paragraphs."""
    # Paragraphs as the cleaning stage hands them over: one per line, a run of
    # ideographic spaces (an indent inside a newspaper line) starts a new one.
    paragraphs = [
        p.strip()
        for f in sorted(raw.glob("*.txt"))
        for p in re.split("\n|\u3000{2,}", f.read_text(encoding="utf-8"))
        if p.strip()
    ]
    docs, current, size = [], [], 0
    for p in paragraphs:
        current.append(p)
        size += len(p.encode("utf-8"))
        if size >= 2700:
            docs.append("\n".join(current))
            current, size = [], 0
    if current:
        docs.append("\n".join(current))
    s2tw = ScriptConverter("s2tw")
    return {
        "as scraped": docs,
        "traditional": [s2tw(d) for d in docs],
        "half-width": [d.translate(HALF) for d in docs],
    }


def mb_per_s(func, docs: list, seconds: float) -> float:
    """MB/s of ``func`` over ``docs`` (texts, or tuples whose first item is the text)."""
    size = sum(len((d[0] if isinstance(d, tuple) else d).encode("utf-8")) for d in docs)

    def run():
        for d in docs:
            func(d)

    # CPU time of this process: the machine is shared, wall time would count
    # the other processes' turns on the cores.
    timer = timeit.Timer(run, timer=time.process_time)
    number = max(1, int(seconds / max(timer.timeit(number=1), 1e-6)))
    best = min(timer.repeat(number=number, repeat=5)) / number
    return size / best / 1e6


def stage_on_records(normalizer: Normalizer):
    def run(text: str):
        normalizer(Record(id="x", text=text, title=text[:20]))

    return run


def part1(corpora: dict[str, list[str]], seconds: float) -> None:
    uni, punct = UnicodeNormalizer(), PunctuationNormalizer()
    t2s, detector = ScriptConverter("t2s"), ScriptDetector()
    stage = Normalizer(BuildConfig())
    rows = [
        ("unicode hygiene", lambda d: uni.apply(d, Changes())),
        ("script detection", detector.detect),
        ("OpenCC t2s", lambda d: t2s.apply(d, Changes())),
        ("punctuation", lambda d: punct.apply(d, Changes())),
        ("Normalizer (whole stage, record)", stage_on_records(stage)),
    ]
    names = list(corpora)
    print(f"{'MB/s':<34}" + "".join(f"{n:>14}" for n in names))
    for label, func in rows:
        print(f"{label:<34}" + "".join(f"{mb_per_s(func, corpora[n], seconds):>14.1f}" for n in names))
    docs = corpora["as scraped"]
    size = sum(len(d.encode("utf-8")) for d in docs) / len(docs)
    rate = mb_per_s(stage_on_records(stage), docs, seconds) * 1e6 / size
    print(f"\nwhole stage on 'as scraped': {rate:,.0f} documents/s of {size / 1000:.1f} KB on one core")


# --- alternatives: (label, current form, alternative form); same results -----

_HYGIENE_TABLE = str.maketrans(
    {
        **{chr(c): None for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e"},
        **{c: None for c in "\u200b\u200e\u200f\ufeff\u00ad\u2060"},
        **{c: " " for c in "\t\u00a0\u3000\u2002\u2003\u2009\u202f"},
    }
)


def translate_hygiene(text: str) -> str:
    return text.translate(_HYGIENE_TABLE)


def gated_hygiene(text: str) -> str:
    if uni_mod.SUSPECT_RE.search(text):
        return uni_mod.UnicodeNormalizer._characters(text, Changes())
    return text


def translate_width(text: str) -> str:
    return text.translate(punct_mod._WIDTH_TABLE)


def gated_width(text: str) -> str:
    return punct_mod._fix_width(text, Changes()) if punct_mod.WIDTH_RE.search(text) else text


def ftfy_always(text: str) -> str:
    return ftfy.fix_text(text, uni_mod._FTFY)


def ftfy_gated(text: str) -> str:
    return uni_mod.UnicodeNormalizer._repair(text, Changes()) if uni_mod.MOJIBAKE_RE.search(text) else text


def nfc_always(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_gated(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def tokens_every_line(text: str) -> str:
    lines = [
        punct_mod._normalize_paragraph(line, Changes()) if CJK_LETTER_RE.search(line) else line
        for line in text.split("\n")
    ]
    return "\n".join(lines)


def tokens_candidate_lines(text: str) -> str:
    return PunctuationNormalizer(corner_quotes=False).apply(text, Changes())


def count_with_map(pair: tuple[str, str]) -> int:
    return sum(map(operator.ne, *pair))


def part2(corpora: dict[str, list[str]], seconds: float) -> None:
    t2s = ScriptConverter("t2s")._converter
    detector = ScriptDetector()
    # (text, its t2s conversion), timed per text: the count logged for opencc_t2s
    pairs = {name: [(d, t2s.convert(d)) for d in docs] for name, docs in corpora.items()}
    print(f"\n{'opencc_t2s changed-character count (MB/s)':<40}{'traditional':>14}")
    for name, func in (("numpy arrays (kept)", lambda p: script_mod._changed_chars(*p)), ("map(operator.ne)", count_with_map)):
        print(f"  {name:<38}{mb_per_s(func, pairs['traditional'], seconds):>14.1f}")
    choices = [
        ("control/space characters", gated_hygiene, "regex gate + subs", translate_hygiene, "str.translate"),
        ("full-width → half-width", gated_width, "regex gate + sub", translate_width, "str.translate"),
        ("mojibake repair", ftfy_gated, "signature gate + ftfy", ftfy_always, "ftfy on all"),
        ("NFC", nfc_always, "normalize", nfc_gated, "is_normalized gate"),
        ("punctuation paragraphs", tokens_candidate_lines, "candidate lines", tokens_every_line, "every CJK line"),
        (
            "script detection",
            detector.detect,
            "table regex",
            lambda d: "traditional" if t2s.convert(d) != d else "simplified",
            "t2s and compare",
        ),
    ]
    print(f"\n{'choice (MB/s, as scraped | half-width)':<40}{'kept':>34}{'alternative':>34}")
    for label, kept, kept_name, alt, alt_name in choices:
        cells = []
        for func, name in ((kept, kept_name), (alt, alt_name)):
            a = mb_per_s(func, corpora["as scraped"], seconds)
            b = mb_per_s(func, corpora["half-width"], seconds)
            cells.append(f"{name} {a:7.1f} | {b:7.1f}")
        print(f"{label:<40}{cells[0]:>34}{cells[1]:>34}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=REPO / "raw")
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    args = parser.parse_args()
    corpora = documents(args.raw)
    n = len(corpora["as scraped"])
    size = sum(len(d.encode("utf-8")) for d in corpora["as scraped"])
    print(f"{n} documents, {size / 1000:.0f} KB per corpus, built from {args.raw}\n")
    part1(corpora, args.seconds)
    part2(corpora, args.seconds)


if __name__ == "__main__":
    main()
