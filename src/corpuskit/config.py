"""Build settings shared by every stage (immutable, picklable to workers)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class BuildConfig:
    #: OpenCC configuration for script conversion ("t2s", "tw2sp", "hk2s", … or "none").
    opencc_config: str = "t2s"
    #: Processes for the per-document stages; 0 means one per core.
    workers: int = 0
    #: Any rejected input makes the build fail.
    strict: bool = False
    #: Output data format: "parquet" (Hugging Face dataset folder) or "jsonl".
    output_format: str = "parquet"
    #: Seconds one document may spend in the per-document stages before it is rejected.
    document_timeout: float = 60.0
    #: Near-duplicate threshold (estimated Jaccard or containment) for merging.
    dedup_threshold: float = 0.8
    #: bytes of candidate index (hashes, band keys, anchors) dedup keeps in memory before it
    #: spills the index to disk in shards (about 500 bytes a document: 1 GiB ≈ 2 million documents)
    dedup_memory: int = 1 << 30

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)
