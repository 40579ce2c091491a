"""The Ray engine: ``corpuskit build RAW --out OUT --engine ray [--address ray://head:10001]``.

The same stages as the local engine (:mod:`corpuskit.pipeline`), with Ray Data
doing the distributed parts, and the same output:

1. read + clean + normalise: the read tasks (files, and chunks of large JSONL
   files: :func:`corpuskit.read.chunks.plan_tasks`) are spread over the
   cluster's CPUs; each actor builds the stages once.  The same actors compute
   each record's dedup sketch: text hash, MinHash LSH band keys, anchors.
2. candidates: one row per (band, key), (text hash) and (anchor); Ray groups
   the rows by key across the cluster (a shuffle, never collected on one node)
   and each group yields its candidate pairs with the local engine's window
   rule, so the two engines find the same pairs.
3. the driver verifies the candidate pairs (it fetches only the texts of
   records that have a candidate) and decides clusters with
   :func:`corpuskit.dedup.decide`, exactly as the local engine does.
4. publish: the records, sorted back into input order, stream from the cluster
   through the driver into the same dataset writer (Parquet shards, card,
   ledger, reports), so both engines write the same files.

Every machine must see RAW at the same path (a shared file system), and have
corpuskit installed.  Intermediate data lives in Ray's object store, which
spills to disk when it is full.
"""

from __future__ import annotations

import json
import os
import pickle
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import xxhash

from ..config import BuildConfig
from ..dedup import ANCHOR_CAP, ANCHOR_MIN_SHARED, BUCKET_WINDOW, Deduplicator, VerifiedPair, decide
from ..dedup.shingles import shingle_sets, sketch_batch
from ..dedup.verify import similarity_of_sets
from ..errors import BuildError, InputError
from ..pipeline import BuildSummary, DocumentStages, ResultCollector, _merge_chunks, process_task, publish_build, published_records
from ..profile import StageClock
from ..read import discover
from ..read.chunks import plan_tasks
from ..record import Record
from ..spill import ObjectSpill
from ..staging import StagingDir


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise BuildError("--engine ray needs Ray Data: pip install 'corpuskit[ray]'") from exc
    return ray


class ProcessTasks:
    """Ray actor: read tasks → one row per record (with its dedup sketch) plus one row per task."""

    def __init__(self, config: BuildConfig, root: str):
        self.stages = DocumentStages(config)
        self.root = Path(root)
        self.params = Deduplicator(config).params

    def __call__(self, row: dict) -> list[dict]:
        task = pickle.loads(row["task"])
        result = process_task(task, self.root, self.stages)
        texts = [rec.text for rec in result.records]
        sketch = sketch_batch(texts, self.params)  # what the local Deduplicator computes, batched the same way
        bands = {int(doc): sketch.bands[i] for i, doc in enumerate(sketch.band_docs)}
        anchors: dict[int, list] = {}
        for doc, anchor in zip(sketch.anchor_docs.tolist(), sketch.anchors.tolist()):
            anchors.setdefault(doc, []).append(anchor)
        rows = []
        for pos, rec in enumerate(result.records):
            rows.append({
                "task": row["index"], "pos": pos, "id": rec.id,
                "record": json.dumps(rec.to_dict(), ensure_ascii=False),
                "text_hash": np.uint64(xxhash.xxh3_64_intdigest(rec.text.encode("utf-8"))).tobytes(),
                "bands": np.asarray(bands.get(pos, []), dtype=np.uint64).tobytes(),
                "anchors": np.unique(np.asarray(anchors.get(pos, []), dtype=np.uint32)).tobytes(),
                "result": b"",
            })
        result.records = []
        rows.append({"task": row["index"], "pos": -1, "id": "", "record": "", "text_hash": b"", "bands": b"",
                     "anchors": b"", "result": pickle.dumps((task, result))})
        return rows


def _keys(row: dict) -> list[dict]:
    """The rows to group by: exact text hash, each LSH band key, each anchor."""
    rid = row["id"]
    if not rid:
        return []
    out = [{"key": b"x" + row["text_hash"], "id": rid}]
    bands = np.frombuffer(row["bands"], dtype=np.uint64)
    out += [{"key": b"l" + j.to_bytes(2, "little") + k.tobytes(), "id": rid} for j, k in enumerate(bands)]
    out += [{"key": b"a" + a.tobytes(), "id": rid} for a in np.frombuffer(row["anchors"], dtype=np.uint32)]
    return out


def _group_pairs(group: dict) -> dict:
    """Candidate pairs of one key's records, by the local engine's rules: in id order,
    each record with the next BUCKET_WINDOW (exact, LSH); every pair of an anchor shared
    by at most ANCHOR_CAP records."""
    ids = sorted(str(i) for i in group["id"])
    kind = bytes(group["key"][0])[:1]
    a, b, how = [], [], []
    if kind == b"a":
        if 2 <= len(ids) <= ANCHOR_CAP:
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    a.append(ids[i]); b.append(ids[j]); how.append("anchors")  # noqa: E702
    else:
        label = "exact" if kind == b"x" else "lsh"
        for w in range(1, BUCKET_WINDOW + 1):
            for i in range(len(ids) - w):
                a.append(ids[i]); b.append(ids[i + w]); how.append(label)  # noqa: E702
    return {"a": np.array(a, dtype=object), "b": np.array(b, dtype=object), "how": np.array(how, dtype=object)}


def candidate_pairs(records) -> dict[tuple[str, str], set[str]]:
    """Pairs (a < b) and what found them; the grouping runs on the cluster."""
    pairs = records.flat_map(_keys).groupby("key").map_groups(_group_pairs, batch_format="numpy")
    found: dict[tuple[str, str], set[str]] = {}
    anchor_counts: Counter = Counter()
    for row in pairs.iter_rows():
        a, b = sorted((row["a"], row["b"]))
        if row["how"] == "anchors":
            anchor_counts[(a, b)] += 1
        else:
            found.setdefault((a, b), set()).add(row["how"])
    for pair, count in anchor_counts.items():
        if count >= ANCHOR_MIN_SHARED:
            found.setdefault(pair, set()).add("anchors")
    return found


def build(
    raw: Path,
    out: Path,
    config: BuildConfig | None = None,
    report_dir: Path | None = None,
    on_problem: Callable[[InputError], None] | None = None,
    progress: bool = False,
    address: str | None = None,
) -> BuildSummary:
    """Like :func:`corpuskit.pipeline.build`, on a Ray cluster (or a local Ray instance)."""
    ray = _ray()
    config = config or BuildConfig()
    raw, out = Path(raw).resolve(), Path(out)
    if not raw.is_dir():
        raise BuildError(f"input folder {raw} does not exist or is not a folder")
    started_here = not ray.is_initialized()
    if started_here:
        address = address or os.environ.get("RAY_ADDRESS")
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 **({} if address else {"num_cpus": config.worker_count()}))
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = progress  # Ray's bars only where corpuskit would show its own
    context.print_on_execution_start = False
    try:
        return _build(ray, raw, out, config, report_dir, on_problem)
    finally:
        if started_here:
            ray.shutdown()


def _build(ray, raw, out, config, report_dir, on_problem) -> BuildSummary:
    import warnings

    from ray.data import ActorPoolStrategy

    # our filters are row predicates on a few rows; Ray's advice to use expressions is noise here
    warnings.filterwarnings("ignore", message="Use 'expr' instead of 'fn'")

    summary = BuildSummary()
    clock = StageClock()
    dedup = Deduplicator(config)
    with StagingDir(out) as stage:
        clock.mark("read+clean+normalize")
        tasks = [{"index": i, "task": pickle.dumps(t)} for i, t in enumerate(plan_tasks(discover(raw), raw))]
        if not tasks:
            tasks_ds = ray.data.from_items([{"index": 0, "task": b""}]).filter(lambda r: False)
        else:
            tasks_ds = ray.data.from_items(tasks, override_num_blocks=min(len(tasks), 200))
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        rows = tasks_ds.flat_map(ProcessTasks, fn_constructor_args=(config, str(raw)),
                                 compute=ActorPoolStrategy(min_size=1, max_size=cpus)).materialize()
        records = rows.filter(lambda r: r["pos"] >= 0)

        # the file results, in task order: ledger entries (to disk, as locally), problems, figures
        collector = ResultCollector(ObjectSpill(stage.work / "entries.pickle"), summary, clock, on_problem)
        results = (pickle.loads(r["result"]) for r in rows.filter(lambda r: r["pos"] < 0).sort("task").iter_rows())
        for result in _merge_chunks(results):
            collector.add(result)
        entries = collector.close(config.strict)

        clock.mark("dedup")
        found = candidate_pairs(records)
        needed = {rid for pair in found for rid in pair}
        texts = {r["id"]: Record.from_dict(json.loads(r["record"]))
                 for r in records.filter(lambda r: r["id"] in needed).iter_rows()} if needed else {}
        shingles = dict(zip(texts, shingle_sets([rec.text for rec in texts.values()], dedup.params)))  # one batch
        digests = {rid: xxhash.xxh3_128_hexdigest(rec.text.encode("utf-8")) for rid, rec in texts.items()}
        verified = sorted(
            (VerifiedPair(a, b, similarity_of_sets(shingles[a], shingles[b]), digests[a] == digests[b],
                          tuple(sorted(how))) for (a, b), how in found.items()),
            key=lambda p: (p.a, p.b),
        )
        result = decide(verified, lambda rid: Record.from_dict(texts[rid].to_dict()), dedup.params, dedup.decision)

        clock.mark("publish")

        def in_input_order() -> Iterator[Record]:
            for row in records.sort(["task", "pos"]).iter_rows():
                rec = Record.from_dict(json.loads(row["record"]))
                collector.count_record(rec)
                yield rec

        publish_build(stage, published_records(in_input_order(), result), result, entries, summary, config,
                      report_dir, clock)
        clock.mark("commit")
        stage.commit()
    clock.stop()
    summary.profile = clock.to_dict()
    return summary
