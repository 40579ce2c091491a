"""A small raw folder exercising what the card reports: metadata, dates, reprints, rejections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import build

ARTICLE = (
    "江淮腹地，“中国声谷”拔节生长。依托科大讯飞等龙头企业打造的合肥智能语音产业集群，"
    "已集聚上下游企业一千余家，去年产值突破一千五百亿元。\n\n"
    "业内人士表示，数字产业集群的发展需要政策、人才和资本的协同发力，"
    "只有形成完整的产业链条，才能在竞争中占据主动。\n"
)


def write_rich_raw(raw: Path) -> None:
    raw.mkdir(parents=True)
    lines = [
        {"text": "深圳南山区人工智能企业数量持续增长，产业生态日益完善。" * 3, "title": "南山人工智能产业观察",
         "author": "张明", "publication": "深圳商报", "date": "2022年11月30日 10:21", "url": "https://news.example.cn/a/1.html"},
        {"text": "臺北市政府今日宣布，將擴大推動數位轉型計畫，協助中小企業導入雲端服務。" * 2, "title": "數位轉型",
         "date": "2021/3/5"},
        {"text": "杭州未来科技城聚集了大量数字经济企业，成为区域创新的重要引擎。" * 2, "date": "不详"},
        "{broken json",
    ]
    (raw / "feed.jsonl").write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
        encoding="utf-8",
    )
    (raw / "reprint_a.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "reprint_b.txt").write_text(ARTICLE, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")


@pytest.fixture(scope="session")
def rich_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("rich") / "raw"
    write_rich_raw(raw)
    return raw


@pytest.fixture(scope="session")
def rich_build(rich_raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rich_parquet") / "out"
    build(rich_raw, out, BuildConfig(workers=1))
    return out


@pytest.fixture(scope="session")
def rich_build_jsonl(rich_raw, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rich_jsonl") / "out"
    build(rich_raw, out, BuildConfig(workers=1, output_format="jsonl"))
    return out
