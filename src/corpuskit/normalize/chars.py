"""Character classes shared by the normalisers (regex fragments, immutable).

"CJK letters" are the characters that carry Chinese (or Japanese) script: Han
ideographs of every block, kana and bopomofo.  CJK punctuation is *not* a
letter: context rules look at letters so that converting a half-width mark to
its full-width form never changes the context of the next decision (this is
what makes the punctuation normaliser idempotent).
"""

from __future__ import annotations

import re

#: Han ideographs: URO, extension A, compatibility ideographs, extensions B–H
#: (planes 2 and 3), radicals, 々 and 〇.
HAN = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
#: Han plus kana and bopomofo: letters of a CJK script.
CJK_LETTER = HAN + "\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff"

HAN_RE = re.compile(f"[{HAN}]")
CJK_LETTER_RE = re.compile(f"[{CJK_LETTER}]")


def count_han(text: str) -> int:
    """Number of Han characters in ``text``."""
    return len(HAN_RE.findall(text))
