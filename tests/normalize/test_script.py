"""OpenCC conversion and script detection."""

from __future__ import annotations

import pytest

from corpuskit.errors import BuildError
from corpuskit.normalize.changes import Changes
from corpuskit.normalize.script import VALID_CONFIGS, ScriptConverter, ScriptDetector

SIMPLIFIED = "随着中国数字经济持续快速发展，一批数字产业加速聚链成群，成为推动数字中国建设的主要动能。"


@pytest.fixture(scope="module")
def detector() -> ScriptDetector:
    return ScriptDetector()


@pytest.mark.parametrize(
    ("config", "before", "after"),
    [
        ("t2s", "數字產業集群加速成長", "数字产业集群加速成长"),
        ("tw2sp", "滑鼠和軟體", "鼠标和软件"),  # Taiwan phrases, not only characters
        ("hk2s", "數碼產品", "数码产品"),
        ("none", "數字產業", "數字產業"),
        ("s2twp", "鼠标和软件", "滑鼠和軟體"),  # a traditional target is selectable too
    ],
)
def test_conversion(config, before, after):
    assert ScriptConverter(config)(before) == after


def test_conversion_logs_changed_characters():
    changes = Changes()
    ScriptConverter("t2s").apply("數字產業集群", changes)
    assert changes.counts == {"opencc_t2s": 3}
    assert "數字產業" in changes.samples["opencc_t2s"]


def test_simplified_text_is_left_alone():
    changes = Changes()
    assert ScriptConverter("t2s").apply(SIMPLIFIED, changes) == SIMPLIFIED
    assert not changes


def test_invalid_config_names_the_valid_ones():
    with pytest.raises(BuildError) as err:
        ScriptConverter("t2x")
    message = str(err.value)
    assert "'t2x'" in message and "t2s" in message and "tw2sp" in message and "none" in message
    assert "none" in VALID_CONFIGS and "hk2s" in VALID_CONFIGS


def test_targets_simplified():
    assert ScriptConverter("t2s").targets_simplified and ScriptConverter("tw2sp").targets_simplified
    assert not ScriptConverter("s2tw").targets_simplified and not ScriptConverter("none").targets_simplified


def test_detect(detector):
    traditional = ScriptConverter("s2tw")(SIMPLIFIED)
    assert detector.detect(SIMPLIFIED) == "simplified"
    assert detector.detect(traditional) == "traditional"
    assert detector.detect(traditional + "\n" + SIMPLIFIED) == "mixed"
    assert detector.detect("Hello, world 2022") is None
    assert detector.detect("") is None


def test_a_few_traditional_names_do_not_make_simplified_text_mixed(detector):
    article = "\n".join([SIMPLIFIED] * 4)
    assert detector.detect(article + "（引自《臺灣日報》）") == "simplified"


def test_detect_on_real_pages(detector, realdata):
    texts = [p.read_text(encoding="utf-8") for p in sorted((realdata / "cwce" / "cleaned").glob("*.txt"))]
    texts = [t for t in texts if detector.detect(t)]
    assert len(texts) > 20
    detected = [detector.detect(t) for t in texts]
    # the gold texts are simplified Chinese, but for one page that mixes a
    # traditional article with simplified comments
    assert detected.count("simplified") >= len(texts) - 1
    assert "traditional" not in detected
    to_taiwan, to_hongkong = ScriptConverter("s2tw"), ScriptConverter("s2hk")
    assert all(detector.detect(to_taiwan(t)) == "traditional" for t in texts)
    assert all(detector.detect(to_hongkong(t)) == "traditional" for t in texts)


def test_detect_counts_as_far_as_the_answer_needs():
    """Counting stops past n_trad / share simplified characters; the answer is
    the one full counts give, on both sides of the mixed threshold."""
    from corpuskit.normalize.script import _MIXED_MIN, _MIXED_SHARE

    detector = ScriptDetector()
    trad = "".join(detector._trad_re.findall(ScriptConverter("s2t")(SIMPLIFIED * 3)))[:12]
    simp = "".join(detector._simp_re.findall(SIMPLIFIED * 40))
    assert trad and len(simp) > 200
    for n_trad in range(0, 8):
        for n_simp in range(0, 90):
            text = trad[:n_trad] + simp[:n_simp]
            t, s = len(detector._trad_re.findall(text)), len(detector._simp_re.findall(text))
            minority = min(t, s)
            if not text:
                expected = None
            elif not t:
                expected = "simplified"
            elif minority >= _MIXED_MIN and minority >= _MIXED_SHARE * (t + s):
                expected = "mixed"
            else:
                expected = "traditional" if t > s else "simplified"
            assert detector.detect(text) == expected, (n_trad, n_simp)
