"""Dedup stage: find reprints of the same article and merge each cluster.

:class:`Deduplicator` sees every record once (``add``), keeping only what it
needs to find candidates, then ``finish`` decides clusters and builds merged
records, fetching full records by id when it needs their text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from ..config import BuildConfig
from ..record import Overlap, Record


@dataclass
class DedupResult:
    #: member id → canonical id, for every record that is in a cluster of two or more
    canonical: dict[str, str] = field(default_factory=dict)
    #: canonical id → the merged record published in place of the canonical one
    merged: dict[str, Record] = field(default_factory=dict)
    #: record id → overlaps with records it was not merged with
    overlaps: dict[str, list[Overlap]] = field(default_factory=dict)
    #: one dict per decision (cluster, merge, near miss), written to reports/dedup.jsonl
    decisions: list[dict] = field(default_factory=list)


class Deduplicator:
    def __init__(self, config: BuildConfig | None = None):
        self.config = config or BuildConfig()
        self._by_hash: dict[str, list[str]] = {}

    def add(self, record: Record) -> None:
        digest = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
        self._by_hash.setdefault(digest, []).append(record.id)

    def finish(self, fetch: Callable[[str], Record]) -> DedupResult:
        result = DedupResult()
        for ids in self._by_hash.values():
            if len(ids) < 2:
                continue
            canonical_id = min(ids)
            merged = fetch(canonical_id)
            for other in sorted(ids):
                result.canonical[other] = canonical_id
                if other != canonical_id:
                    merged.sources.extend(fetch(other).sources)
            merged.dedup_cluster = canonical_id
            merged.log("dedup", "exact_duplicate", f"merged {len(ids)} records", len(ids) - 1)
            result.merged[canonical_id] = merged
            result.decisions.append({"decision": "merge", "rule": "exact", "members": sorted(ids), "canonical": canonical_id})
        return result
