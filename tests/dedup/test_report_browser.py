"""Issue 6.4: the HTML report renders in a real headless Chromium (Debian's chromium package)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import build

from .pairs import PORTAL_HEAD, PORTAL_TAIL, drop_intro, first_line, s2t, wrap

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM after Chromium loaded the page and ran its inline script."""
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1024",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`make test` installs Debian's chromium)")
def test_report_renders_clusters_side_by_side_in_chromium(tmp_path, realdata):
    texts = [p.read_text(encoding="utf-8") for p in sorted((realdata / "cwce" / "cleaned").glob("*.txt"))]
    texts = [t for t in texts if 800 < len(t) < 4000][:3]
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, text in enumerate(texts):
        (raw / f"site_{i}.txt").write_text(text, encoding="utf-8")
        related = [first_line(t) for t in texts]
        (raw / f"portal_{i}.txt").write_text(wrap(s2t(drop_intro(text, 0.15)), PORTAL_HEAD, PORTAL_TAIL,
                                                  first_line(text), related), encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out, BuildConfig(workers=1))
    page = out / "reports" / "dedup.html"
    dom = dump_dom(page, tmp_path / "profile")
    rendered = re.search(r'data-rendered="clusters=(\d+) near_misses=(\d+) side_by_side=(\d+) broken=(\d+)"', dom)
    assert rendered, "the report's inline script did not run"
    clusters, _near, side_by_side, broken = map(int, rendered.groups())
    assert clusters == len(texts)
    assert side_by_side > 0 and broken == 0  # the two texts of every diff row sit side by side
    assert dom.count('<section class="cluster"') == len(texts)
    assert "<del>" in dom  # the reprints lack their intro: shown as deleted on the canonical side


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (`make test` installs Debian's chromium)")
def test_seed_report_renders_in_chromium(seed_build, tmp_path):
    dom = dump_dom(seed_build / "reports" / "dedup.html", tmp_path / "profile")
    rendered = re.search(r'data-rendered="clusters=(\d+) near_misses=(\d+) side_by_side=(\d+) broken=(\d+)"', dom)
    assert rendered and int(rendered.group(1)) == 1 and int(rendered.group(3)) > 0 and rendered.group(4) == "0"
    assert 'class="overlap-diff"' in dom  # 001 and 003 share three paragraphs: shown on request
