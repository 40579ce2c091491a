"""datatrove's equivalent of ``corpuskit build``, for the benchmark's ratio.

Runs in its own virtual environment (bench/.venv-datatrove, made by ``make
bench``), never imports corpuskit.  The same work as corpuskit's pipeline, with
datatrove's own building blocks and its local executor:

    JsonlReader → cleaning filter (furniture lines, too-short documents)
    → OpenCC t2s → punctuation to full width → JsonlWriter (cleaned)
    → MinHash dedup, datatrove's 4 stages (signatures 16×8 = 128 hashes on
      character 5-grams, buckets, clusters, filter) → JsonlWriter (output)

    bench/.venv-datatrove/bin/python bench/datatrove_pipeline.py CORPUS WORKDIR --workers 2

Prints one JSON line: seconds per stage and in all, documents in and out.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

from datatrove.data import Document
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.word_tokenizers import WordTokenizer

# Furniture lines of portals and forums (the same shapes the generator draws).
FURNITURE = re.compile(
    r"^(?:.{0,12}首页\s*>.*|分享至|\d{1,6}|[ •]*\d+(?:阅读|回复)|切换到宽版|上一主题 下一主题|UID: \d+|"
    r"(?:精华|职务|级别|注册时间|最后登录|在线时间)[:：].*|责任编辑[:：].*|（责任编辑[:：].*|举报/反馈|相关阅读|热门推荐|"
    r"版权所有.*|分享到[:：].*|快速回复|只看楼主.*)$"
)
HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})


class CleanFilter(BaseFilter):
    """Drops furniture lines; rejects documents with too little text left."""

    name = "clean"

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        lines = [ln for ln in doc.text.splitlines() if not FURNITURE.match(ln.strip())]
        doc.text = "\n".join(lines).strip()
        return len(doc.text) >= 50 or (False, "too_short")


class OpenCCFormatter(BaseFormatter):
    name = "t2s"

    def __init__(self, config: str = "t2s"):
        super().__init__()
        self.config = config
        self._converter = None

    def format(self, text: str) -> str:
        if self._converter is None:  # built in the worker, not pickled
            import opencc

            self._converter = opencc.OpenCC(self.config)
        return self._converter.convert(text)


class PunctuationFormatter(BaseFormatter):
    name = "punctuation"

    def format(self, text: str) -> str:
        return text.translate(HALF_TO_FULL)


class CharacterTokenizer(WordTokenizer):
    """Characters as 'words', so datatrove's n-grams are character 5-grams like corpuskit's."""

    def __init__(self):
        super().__init__("zh")

    def word_tokenize(self, text: str) -> list[str]:
        return [ch for ch in text if not ch.isspace()]

    def sent_tokenize(self, text: str) -> list[str]:
        return [text]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return [(0, len(text))]


def run(corpus: Path, work: Path, workers: int) -> dict:
    if work.exists():
        shutil.rmtree(work)
    files = sorted(corpus.glob("*.jsonl"))
    tasks = max(1, len(files))
    config = MinhashConfig(n_grams=5, num_buckets=16, hashes_per_bucket=8)
    logs = work / "logs"
    seconds: dict[str, float] = {}

    def timed(name: str, executor: LocalPipelineExecutor) -> None:
        started = time.perf_counter()
        executor.run()
        seconds[name] = round(time.perf_counter() - started, 2)

    timed("clean+t2s+punct+signatures", LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(corpus), text_key="text", id_key="id"),
            CleanFilter(),
            OpenCCFormatter("t2s"),
            PunctuationFormatter(),
            JsonlWriter(str(work / "cleaned"), output_filename="${rank}.jsonl", compression=None),
            MinhashDedupSignature(str(work / "signatures"), config=config, language=CharacterTokenizer()),
        ],
        tasks=tasks, workers=workers, logging_dir=str(logs / "1"), skip_completed=False,
    ))
    timed("buckets", LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(str(work / "signatures"), str(work / "buckets"), config=config)],
        tasks=config.num_buckets, workers=workers, logging_dir=str(logs / "2"), skip_completed=False,
    ))
    timed("clusters", LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(str(work / "buckets"), str(work / "remove_ids"), config=config)],
        tasks=1, workers=1, logging_dir=str(logs / "3"), skip_completed=False,
    ))
    timed("filter+write", LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(work / "cleaned"), text_key="text", id_key="id"),
            MinhashDedupFilter(str(work / "remove_ids")),
            JsonlWriter(str(work / "output"), output_filename="${rank}.jsonl", compression=None),
        ],
        tasks=tasks, workers=workers, logging_dir=str(logs / "4"), skip_completed=False,
    ))
    docs_out = sum(1 for f in (work / "output").glob("*.jsonl") for _ in open(f, encoding="utf-8"))
    docs_cleaned = sum(1 for f in (work / "cleaned").glob("*.jsonl") for _ in open(f, encoding="utf-8"))
    return {"stages": seconds, "seconds": round(sum(seconds.values()), 2), "docs_after_clean": docs_cleaned,
            "docs_out": docs_out, "tasks": tasks, "workers": workers}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", type=Path, help="folder of JSONL shards with a 'text' field")
    p.add_argument("work", type=Path, help="working folder (replaced)")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    print(json.dumps(run(args.corpus, args.work, args.workers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
