"""The report's diffs align sentences on their comparison keys, computed the fast way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.dedup.report import side_by_side, split_sentences
from corpuskit.dedup.shingles import comparison_codes, comparison_key


def key_of_codes(text: str) -> str:
    """The comparison key from the code-point arrays dedup hashes (what the str.translate path must give)."""
    return comparison_codes(text).astype("<u4").tobytes().decode("utf-32-le")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_comparison_key_is_the_key_dedup_hashes(text):
    assert comparison_key(text) == key_of_codes(text)


def test_comparison_key_of_real_sentences(realdata):
    texts = [p.read_text(encoding="utf-8") for p in sorted((realdata / "cwce" / "cleaned").glob("*.txt"))[:20]]
    sentences = [s for t in texts for s in split_sentences(t)]
    sentences += ["臺灣與台灣：ＡＢＣ１２３", "𠀀𪚥😀 a", "\x00 \uffff"]  # full width, Han extension B, emoji, NUL
    assert sentences and all(comparison_key(s) == key_of_codes(s) for s in sentences)


def test_reprint_in_the_other_script_aligns_sentence_by_sentence():
    a = "数字产业集群加速成长。合肥集聚企业一千余家！"
    b = "數字產業集群加速成長。合肥集聚企業一千餘家！"  # the same text in traditional script
    html = side_by_side(a, b)
    assert html.count('<tr class="row">') == 2 and 'class="del"' not in html and 'class="ins"' not in html
