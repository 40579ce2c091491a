"""Compose the stages: read → clean → normalise → dedup → publish.

The per-document stages (read, clean, normalise) run file by file, in worker
processes when ``workers > 1``; their output is spilled to disk in input order
so memory does not grow with the corpus.  Dedup then sees every record, and
publish streams the spill into the dataset folder.  Everything is written to a
staging folder beside OUT that replaces OUT only when the build succeeded.
"""

from __future__ import annotations

import gc
import json
import sys
from contextlib import ExitStack, contextmanager, nullcontext
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from time import perf_counter
from typing import Callable, Iterable, Iterator

from .clean import Cleaner
from .config import BuildConfig
from .dedup import Deduplicator, DedupResult, RecordSketches, sketch_records
from .dedup.pairs import OverlapTable
from .dedup.shingles import ShingleParams
from .dedup.store import DiskStore
from .errors import BuildError, InputError
from .guard import DocumentGuard, internal_error, prepare_worker_process
from .ledger import FileEntry, write_ledger
from .normalize import Normalizer, validate_opencc_config
from .publish import DatasetWriter, PublishStats, shard_name, shard_rows, write_readme
from .publish.schema import file_schema
from .read import RawDocument, discover, read_file
from .read.chunks import JsonlChunk, ReadTask, plan_tasks, read_chunk
from .profile import StageClock
from .record import Record
from .spill import ObjectSpill, OwnFile, RecordSpill, spill_bytes
from .staging import StagingDir


class DocumentStages:
    """The per-document stages as one callable: raw document → final records.

    Built once per process (the OpenCC converter and compiled rules live here).
    """

    def __init__(self, config: BuildConfig):
        self.clean = Cleaner(config)
        self.normalize = Normalizer(config)
        self.document_timeout = config.document_timeout  # enforced by guard.run_document
        self.dedup_params = ShingleParams()  # records are sketched where they are made
        self.seconds: Counter = Counter()  # stage → seconds spent in this process

    def __call__(self, doc: RawDocument) -> list[Record]:
        started = perf_counter()
        records = self.clean(doc.to_record())
        cleaned = perf_counter()
        records = [self.normalize(rec) for rec in records]
        self.seconds["clean"] += cleaned - started
        self.seconds["normalize"] += perf_counter() - cleaned
        records = [rec for rec in records if rec.text.strip()]
        if not records:  # an HTML page of scripts and images, a post that was all furniture
            raise InputError(doc.path, "no_text", "no text was left after cleaning", line=doc.line)
        return records


@dataclass
class FileResult:
    entry: FileEntry
    records: list[Record] = field(default_factory=list)
    chars_in: int = 0
    problems: list[InputError] = field(default_factory=list)
    #: a later chunk of the same JSONL file: its entry was merged into the file's first one
    continues: bool = False
    #: seconds spent on this file per stage (read is the rest of process_file's time)
    seconds: dict = field(default_factory=dict)
    #: the records of this result's batch as the main process takes them (:func:`pack_records`
    #: puts them on the batch's first result); ``records`` is then empty
    packed: PackedRecords | None = None


@dataclass
class PackedRecords:
    """A file's records, ready for the main process: pickled once and sketched for dedup, where
    the texts are — so the main process of a parallel build never unpickles, re-pickles or
    hashes a text while the workers run.  In a worker, the pickled records and the shingle sets
    go to files of the worker's own (``file`` and ``spans``; :class:`~corpuskit.spill.OwnFile`),
    so only where they are travels; else ``blobs`` holds the pickled records."""

    ids: list[str]
    kinds: list[list[str]]  # each record's source kinds (the build's per-kind figures)
    blobs: list[bytes] | None
    sketches: RecordSketches
    file: str | None = None
    spans: list[tuple[int, int]] | None = None  # (offset, length) of each record in ``file``


@dataclass
class WorkerFiles:
    """The files a worker process appends its records and shingle sets to (made on first use
    in the build's work folder ``directory``)."""

    records: OwnFile
    shingles: OwnFile

    @classmethod
    def in_folder(cls, directory: Path) -> WorkerFiles:
        return cls(OwnFile(directory, "records-"), OwnFile(directory, "shingles-"))


def pack_records(results: list[FileResult], params: ShingleParams, files: WorkerFiles | None = None) -> list[FileResult]:
    """Move the records of ``results`` (consecutive files or chunks: a batch) into one
    :class:`PackedRecords` on the first of them, timed there as the spill and dedup.add stages;
    with ``files``, the records and shingle sets are written there.

    One pack per batch, not per file: sketching costs about 0.5 ms of numpy calls whatever the
    number of texts, which made a folder of small files six times slower to sketch than the same
    documents in JSONL.  The records keep their order, so the main process adds them exactly as
    it would file by file."""
    records = [rec for result in results for rec in result.records]
    for result in results:
        result.records = []
    if not records:
        return results
    started = perf_counter()
    ids = [rec.id for rec in records]
    blobs = [spill_bytes(rec) for rec in records]
    kinds = [[src.kind for src in rec.sources] for rec in records]
    file = spans = None
    if files is not None:
        start = files.records.append(b"".join(blobs))
        ends = list(accumulate(map(len, blobs), initial=start))
        file, spans, blobs = files.records.path, [(at, len(b)) for at, b in zip(ends, blobs)], None
    pickled = perf_counter()
    sketches = sketch_records(ids, [rec.text for rec in records], params)
    if files is not None:
        sketches.write_shingles(files.shingles)
    carrier = results[0]
    carrier.packed = PackedRecords(ids, kinds, blobs, sketches, file, spans)
    carrier.seconds["spill"] = carrier.seconds.get("spill", 0.0) + pickled - started
    carrier.seconds["dedup.add"] = carrier.seconds.get("dedup.add", 0.0) + perf_counter() - pickled
    return results


def process_file(path: Path, root: Path, stages: DocumentStages, chunk: JsonlChunk | None = None) -> FileResult:
    """Read one file and run the per-document stages on each of its documents.

    Never raises for a bad input: a file that cannot be used becomes a rejected
    ledger entry; a JSONL line (or one document) that fails loses that line only.
    """
    rel = path.relative_to(root).as_posix()
    try:
        rel, sha, documents = read_file(path, root) if chunk is None else read_chunk(path, root, chunk)
    except InputError as exc:
        return FileResult(FileEntry(rel, error=exc), problems=[exc])
    except Exception as exc:  # a reader bug on a strange file must cost that file only
        error = internal_error(rel, "read", exc)
        return FileResult(FileEntry(rel, error=error), problems=[error])
    result = FileResult(FileEntry(rel, sha))
    try:
        with DocumentGuard(stages.document_timeout) as guard:  # (the reading is not timed)
            for doc in documents:
                if isinstance(doc, InputError):
                    result.entry.line_errors.append(doc)
                    result.problems.append(doc)
                    continue
                try:
                    records = guard.run(stages, doc, rel, doc.line)
                except InputError as exc:
                    if doc.line is None:  # the file's only document: the file is rejected
                        return FileResult(FileEntry(rel, sha, error=exc), problems=[exc])
                    result.entry.line_errors.append(exc)
                    result.problems.append(exc)
                    continue
                result.chars_in += len(doc.text)
                for rec in records:
                    result.records.append(rec)
                    result.entry.record_ids.append(rec.id)
    except Exception as exc:  # the file broke off part-way (a truncated .jsonl.gz …)
        error = exc if isinstance(exc, InputError) else internal_error(rel, "read", exc)
        if not result.entry.record_ids and not result.entry.line_errors:
            return FileResult(FileEntry(rel, sha, error=error), problems=[error])
        result.entry.line_errors.append(error)  # the documents before the break are kept
        result.problems.append(error)
    if chunk is None and not result.entry.record_ids and result.entry.line_errors and result.entry.error is None:
        result.problems.append(InputError(rel, "no_documents", "no line held a usable document"))
    return result


# Worker-process state: the stages are built once per process by the initializer.
_WORKER_STAGES: DocumentStages | None = None
_WORKER_FILES: tuple[Path, WorkerFiles] | None = None  # this worker's own files, and their folder


def _init_worker(config: BuildConfig) -> None:
    global _WORKER_STAGES
    prepare_worker_process()
    _WORKER_STAGES = DocumentStages(config)
    _collect_less()  # a worker process is the build's own: no need to restore


#: allocations between two young-generation collections (CPython's default is 700)
GC_YOUNG_THRESHOLD = 20_000


def _collect_less() -> tuple:
    """Fewer garbage collections: the stages allocate millions of small objects that never form
    cycles, and each full collection walks every live object again (the main process held more
    each time: 1.9 s of collections in a build of 100k documents).  What exists now (modules,
    compiled rules, dictionaries) is frozen out of the walks; returns the previous thresholds."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, previous[1], previous[2])
    return previous


@contextmanager
def fewer_collections():
    """:func:`_collect_less` for the span of a build in a process that goes on afterwards."""
    previous = _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def give_back_free_memory() -> None:
    """Return the heap's free memory to the system (glibc's ``malloc_trim``; elsewhere nothing).

    The dedup phase's transient arrays and objects leave the main process's heap with free
    memory the allocator keeps; the publish phase, which needs less, would otherwise be
    counted with it (about 90 MB at 200k documents)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def process_task(task: ReadTask, root: Path, stages: DocumentStages) -> FileResult:
    """process_file on one file or chunk, with its seconds per stage in ``result.seconds``."""
    before = dict(stages.seconds)
    started = perf_counter()
    result = process_file(task.path, root, stages, task.chunk)
    total = perf_counter() - started
    result.seconds = {k: v - before.get(k, 0.0) for k, v in stages.seconds.items()}
    result.seconds["read"] = total - sum(result.seconds.values())
    return result


def _process_in_worker(tasks: list[ReadTask], root: Path, work: Path | None = None) -> list[FileResult]:
    """Run in a worker process: with ``work`` (the build's work folder), the records and their
    shingle sets are written to this worker's own files there."""
    global _WORKER_FILES
    assert _WORKER_STAGES is not None
    params = _WORKER_STAGES.dedup_params
    files = None
    if work is not None:
        if _WORKER_FILES is None or _WORKER_FILES[0] != work:
            _WORKER_FILES = (work, WorkerFiles.in_folder(work))
        files = _WORKER_FILES[1]
    return pack_records([process_task(task, root, _WORKER_STAGES) for task in tasks], params, files)


#: Small files are sent to workers in batches (one round trip per batch, not per file).
BATCH_FILES = 32
BATCH_BYTES = 1024 * 1024


def _batches(tasks: Iterable[ReadTask]) -> Iterator[list[ReadTask]]:
    batch: list[ReadTask] = []
    size = 0
    for task in tasks:
        if task.chunk is not None:  # a chunk is a batch's worth of work on its own
            if batch:
                yield batch
                batch, size = [], 0
            yield [task]
            continue
        batch.append(task)
        try:
            size += task.path.stat().st_size
        except OSError:
            pass
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _merge_chunks(results: Iterable[tuple[ReadTask, FileResult]]) -> Iterator[FileResult]:
    """One ledger entry per file: a JSONL file's later chunks extend its first chunk's entry."""
    first: FileEntry | None = None
    for task, result in results:
        chunk = task.chunk
        if chunk is not None:
            entry = result.entry
            if entry.error is not None:  # a chunk that failed whole costs its lines only
                entry.line_errors.append(entry.error)
                entry.error = None
            if chunk.index == 0 or first is None:
                first = entry
            else:
                first.record_ids.extend(entry.record_ids)
                first.line_errors.extend(entry.line_errors)
                result.continues = True
            if chunk.last and not first.record_ids and first.line_errors:
                result.problems.append(InputError(first.path, "no_documents", "no line held a usable document"))
        yield result


def map_files(paths: Iterable[Path], root: Path, config: BuildConfig,
              pool: ProcessPoolExecutor | None = None, work: Path | None = None) -> Iterator[FileResult]:
    """Per-file (or per-chunk: see :class:`FileResult.continues`) results in input order.

    Streams: paths are consumed lazily, large JSONL files are cut into chunks,
    and only a few batches per worker are in flight, so memory does not grow
    with the corpus.  The output does not depend on the number of workers.
    ``pool``: a pool made with :func:`worker_pool` to use (else one is made here).  ``work``: a
    folder where worker processes write the records and shingle sets to files of their own
    (:class:`PackedRecords` then says where they are instead of carrying them).
    """
    tasks = plan_tasks(paths, root)
    workers = config.worker_count()
    if workers <= 1:
        stages = DocumentStages(config)
        yield from _merge_chunks(_map_here(tasks, root, stages))
        return
    yield from _merge_chunks(_map_in_pool(tasks, root, config, workers, pool, work))


def _map_here(tasks: Iterable[ReadTask], root: Path, stages: DocumentStages) -> Iterator[tuple[ReadTask, FileResult]]:
    """(task, result) in task order, in this process, packed batch by batch as a worker would."""
    for batch in _batches(tasks):
        yield from zip(batch, pack_records([process_task(task, root, stages) for task in batch], stages.dedup_params))


def worker_pool(config: BuildConfig, workers: int) -> ProcessPoolExecutor:
    """The build's worker processes: each builds the per-document stages once.  Made before
    the main process holds any index, so the forked workers start small."""
    return ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(config,))


def _map_in_pool(tasks: Iterable[ReadTask], root: Path, config: BuildConfig, workers: int,
                 shared: ProcessPoolExecutor | None = None, work: Path | None = None):
    """(task, result) in task order from a pool of worker processes (``shared``, else one
    made here).

    A worker that dies (a crash in a C extension, the OOM killer) costs no file:
    the tasks its pool still held run again (:func:`_run_isolated`), and the
    build goes on with a fresh pool.
    """
    window = workers * 4
    batches = _batches(tasks)
    exhausted = False
    while not exhausted:
        pending: deque = deque()
        own = shared is None
        pool = worker_pool(config, workers) if own else shared
        shared = None  # a pool that broke is not used again
        with pool if own else nullcontext(pool):
            while True:
                if not exhausted and len(pending) < window:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                    else:
                        try:
                            pending.append((batch, pool.submit(_process_in_worker, batch, root, work)))
                        except BrokenProcessPool:  # it died before this batch was handed over
                            pending.append((batch, None))
                            break
                    continue
                if not pending:
                    break
                done, future = pending[0]
                try:
                    results = future.result()
                except BrokenProcessPool:
                    break  # the pool is dead: what it held is run again below
                pending.popleft()
                yield from zip(done, results)
        if pending:
            yield from _run_isolated([task for batch, _ in pending for task in batch], root, config, workers, work)


def _run_isolated(tasks: list[ReadTask], root: Path, config: BuildConfig, workers: int, work: Path | None = None):
    """Tasks a broken pool held, one per submit in a fresh pool; a task whose
    future that pool loses too is run alone, and one that kills a worker alone
    is rejected as ``worker_crashed`` instead of stopping the build."""
    outcomes = []
    with ProcessPoolExecutor(max(1, min(workers, len(tasks))), initializer=_init_worker, initargs=(config,)) as pool:
        futures = []
        for task in tasks:
            try:
                futures.append((task, pool.submit(_process_in_worker, [task], root, work)))
            except BrokenProcessPool:
                futures.append((task, None))
        for task, future in futures:
            try:
                outcomes.append((task, future.result()[0] if future is not None else None))
            except BrokenProcessPool:
                outcomes.append((task, None))
    for task, result in outcomes:
        if result is not None:
            yield task, result
        elif len(tasks) == 1:
            yield task, _crashed(task, root)
        else:
            yield from _run_isolated([task], root, config, 1, work)


def _crashed(task: ReadTask, root: Path) -> FileResult:
    rel = task.path.relative_to(root).as_posix()
    part = f" (lines from {task.chunk.first_line})" if task.chunk is not None else ""
    error = InputError(
        rel, "worker_crashed",
        f"the worker process died while reading this file{part}, twice: a crash in a C extension, or out of memory",
    )
    return FileResult(FileEntry(rel, task.chunk.sha256 if task.chunk is not None else None, error=error), problems=[error])


@dataclass
class BuildSummary:
    files_read: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason → files (or JSONL lines)
    records_produced: int = 0
    records_written: int = 0
    documents_merged: int = 0
    chars_before: int = 0
    chars_after: int = 0
    statuses: dict = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)
    #: StageClock.to_dict(): seconds per stage, phases (not part of the published figures)
    profile: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "files_read": self.files_read,
            "rejected": dict(sorted(self.rejected.items())),
            "records_produced": self.records_produced,
            "records_written": self.records_written,
            "documents_merged": self.documents_merged,
            "chars_before": self.chars_before,
            "chars_after": self.chars_after,
            "ledger_statuses": dict(sorted(self.statuses.items())),
            "source_kinds": dict(sorted(self.kinds.items())),
        }


def _progress(iterable, desc: str, total: int | None = None, enabled: bool = False):
    if not enabled:
        return iterable
    from tqdm import tqdm

    # bars stay on screen once done, so the terminal shows every stage's count and rate
    return tqdm(iterable, desc=desc, total=total, unit="file" if desc.startswith("read") else "rec", leave=True)


def build(
    raw: Path,
    out: Path,
    config: BuildConfig | None = None,
    report_dir: Path | None = None,
    on_problem: Callable[[InputError], None] | None = None,
    progress: bool = False,
) -> BuildSummary:
    """Run the whole pipeline from the folder ``raw`` into the dataset folder ``out``."""
    config = config or BuildConfig()
    raw = Path(raw)
    out = Path(out)
    if not raw.is_dir():
        raise BuildError(f"input folder {raw} does not exist or is not a folder")
    validate_opencc_config(config.opencc_config)  # before any worker starts
    summary = BuildSummary()
    clock = StageClock()
    with StagingDir(out) as stage, fewer_collections():
        spill = RecordSpill(stage.work / "records.jsonl")
        dedup = Deduplicator(config, work_dir=stage.work)  # merged texts go to disk there
        # one ledger entry per file, spilled to disk once the file is complete (a JSONL
        # file's later chunks extend its entry): a million files cost no memory here
        collector = ResultCollector(ObjectSpill(stage.work / "entries.pickle"), summary, clock, on_problem)
        clock.mark("read+clean+normalize")
        workers = config.worker_count()
        with ExitStack() as pools:
            # one pool for the map and the tail, forked now while this process is small
            pool = pools.enter_context(worker_pool(config, workers)) if workers > 1 else None
            _map_phase(raw, config, pool, collector, spill, dedup, clock, progress)
            entries = collector.close(config.strict)
            clock.mark("dedup")
            started = perf_counter()
            if pool is not None and not _usable(pool):  # a worker crashed in the map: a fresh pool
                pool = pools.enter_context(ProcessPoolExecutor(workers, initializer=prepare_worker_process))
            # the tail's parallel parts (verifying and merging in chunks, writing shards) use the pool too
            result = dedup.finish(spill.get, pool, spill.reader) if pool else dedup.finish(spill.get)
            merged_away = sum(1 for member, canon in result.canonical.items() if member != canon)
            if progress:
                print(f"dedup: {len(spill)} records, {merged_away} merged, in {perf_counter() - started:.1f} s",
                      file=sys.stderr)
            clock.mark("publish")
            give_back_free_memory()
            published = published_record(spill, result)
            if pool:
                publish_build(stage, (), result, entries, summary, config, report_dir, clock,
                              ShardedPublish(spill, result, pool), published)
            else:
                records = _progress(published_records(spill, result), "publish", len(spill) - merged_away, progress)
                publish_build(stage, records, result, entries, summary, config, report_dir, clock, None, published)
        spill.close()
        clock.mark("commit")
        stage.commit()
    clock.stop()
    summary.profile = clock.to_dict()
    return summary


def _map_phase(raw: Path, config: BuildConfig, pool: ProcessPoolExecutor | None, collector: ResultCollector,
               spill: RecordSpill, dedup: Deduplicator, clock: StageClock, progress: bool) -> None:
    """Read, clean and normalise every input; records go to the spill, sketches to dedup."""
    schema_ready = pool is None
    # discover() is lazy: it lists one folder at a time, never the whole tree
    work = spill.path.parent  # workers write their records and shingle sets there
    for result in _progress(map_files(discover(raw), raw, config, pool, work), "read/clean/normalize", None, progress):
        if not schema_ready:
            # The data files' schema needs `datasets` (a second or two to import): made here
            # while the workers are busy (the card needs it; shard writers are given it).
            file_schema()
            schema_ready = True
        collector.add(result)
        packed = result.packed
        if packed is None:  # no records, or they came with an earlier file of the batch
            continue
        started = perf_counter()
        for kinds in packed.kinds:
            collector.count_kinds(kinds)
        if packed.blobs is None:  # written by the worker
            spill.add_written(packed.file, packed.ids, packed.spans)
        else:
            for rid, blob in zip(packed.ids, packed.blobs):
                spill.append_bytes(rid, blob)
        spilled = perf_counter()
        dedup.add_sketches(packed.sketches)
        clock.add("spill", spilled - started)
        clock.add("dedup.add", perf_counter() - spilled)


def _usable(pool: ProcessPoolExecutor) -> bool:
    try:
        pool.submit(int).result()
        return True
    except BrokenProcessPool:
        return False


class ResultCollector:
    """Folds per-file results, in input order, into ledger entries (spilled to
    disk once a file is complete: a JSONL file's later chunks extend its entry)
    and the build's figures; reports each problem.  Shared by every engine."""

    def __init__(self, entries: ObjectSpill, summary: BuildSummary, clock: StageClock,
                 on_problem: Callable[[InputError], None] | None = None):
        self.entries = entries
        self.summary = summary
        self.clock = clock
        self.on_problem = on_problem
        self._entry: FileEntry | None = None

    def add(self, result: FileResult) -> None:
        if not result.continues:
            if self._entry is not None:
                self.entries.append(self._entry)
            self._entry = result.entry
            self.summary.files_read += 1
        self.summary.chars_before += result.chars_in
        self.clock.merge(result.seconds)
        for problem in result.problems:
            self.summary.rejected[problem.reason] += 1
            if self.on_problem:
                self.on_problem(problem)

    def count_record(self, record: Record) -> None:
        self.count_kinds([src.kind for src in record.sources])

    def count_kinds(self, kinds: list[str]) -> None:
        """Count one record, given its sources' kinds."""
        self.summary.records_produced += 1
        for kind in kinds:
            self.summary.kinds[kind] += 1

    def close(self, strict: bool = False) -> ObjectSpill:
        """The ledger entries; with ``strict``, any rejection is a BuildError."""
        if self._entry is not None:
            self.entries.append(self._entry)
            self._entry = None
        rejected = self.summary.rejected
        if strict and rejected:
            raise BuildError(
                f"--strict: {sum(rejected.values())} input(s) rejected "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(rejected.items()))})"
            )
        return self.entries


def publish_build(stage: StagingDir, records: Iterable[Record], result: DedupResult, entries: Iterable[FileEntry],
                  summary: BuildSummary, config: BuildConfig, report_dir: Path | None, clock: StageClock,
                  shards: ShardedPublish | None = None,
                  published: Callable[[str], Record | None] | None = None) -> None:
    """The build's tail, the same for every engine: data files, ledger, dedup
    reports, build_summary.json and the dataset card, all into the staging folder.

    With ``shards``, the data files are written by its worker processes (``records`` is not
    used) while this process writes the ledger and, when ``published`` (id → the record as
    published) gives the texts the reports show, the reports too; without ``published`` the
    reports read the texts back from the data files once they are written."""
    reports = report_dir or stage.path / "reports"
    if shards is not None:
        shards.start(stage.path, config.output_format)
        summary.statuses = write_ledger(stage.path / "ledger.jsonl", entries, result.canonical)
        if published is not None:
            write_reports(reports, result, stage.path / "data", published)
        writer = shards.wait()
    else:
        writer = DatasetWriter(stage.path, config.output_format)
        writer.write_all(records)
        writer.close()
    summary.records_written = writer.rows_written
    summary.chars_after = writer.chars_written
    summary.documents_merged = sum(1 for member, canon in result.canonical.items() if member != canon)
    clock.mark("ledger+reports")
    if shards is None:
        summary.statuses = write_ledger(stage.path / "ledger.jsonl", entries, result.canonical)
    if shards is None or published is None:
        write_reports(reports, result, stage.path / "data", published)
    (stage.path / "build_summary.json").write_text(
        json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    write_readme(stage.path, config, summary.to_dict(), writer.stats)


@dataclass
class ShardsWritten:
    rows_written: int = 0
    chars_written: int = 0
    stats: PublishStats = field(default_factory=PublishStats)


class ShardedPublish:
    """The data files written shard by shard in worker processes, each reading its own records
    from the spill: the same files, row groups and figures as one :class:`DatasetWriter` writing
    :func:`published_records` (shards hold ``shard_rows()`` rows, as that writer's do)."""

    def __init__(self, spill: RecordSpill, result: DedupResult, executor):
        self.spill = spill
        self.result = result
        self.executor = executor
        self._futures: list = []
        self._empty: DatasetWriter | None = None  # the writer of an empty dataset's one file

    def start(self, out_dir: Path, output_format: str) -> None:
        canonical = self.result.canonical
        ids = [rid for rid in self.spill.ids() if canonical.get(rid, rid) == rid]
        size = shard_rows()
        total = -(-len(ids) // size)
        if not ids:  # an empty dataset: one schema-only file, written here
            self._empty = DatasetWriter(out_dir, output_format)
            return
        data_dir = out_dir / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        merged, overlaps = self.result.merged, self.result.overlaps
        for index in range(total):
            part = ids[index * size : (index + 1) * size]
            task = (part, self.spill.reader(part),
                    merged.reader(part) if isinstance(merged, DiskStore) else {r: merged[r] for r in part if r in merged},
                    overlaps.subset(part) if isinstance(overlaps, OverlapTable)
                    else {rid: overlaps[rid] for rid in part if rid in overlaps},
                    data_dir / shard_name(index, total, output_format), out_dir, output_format, file_schema())
            self._futures.append(self.executor.submit(_write_shard, task))

    def wait(self) -> ShardsWritten | DatasetWriter:
        if self._empty is not None:
            self._empty.close()
            return self._empty
        written = ShardsWritten()
        for future in self._futures:
            rows, chars, stats = future.result()
            written.rows_written += rows
            written.chars_written += chars
            written.stats.merge(stats)
        return written


def _write_shard(task: tuple) -> tuple[int, int, PublishStats]:
    ids, fetch, merged, overlaps, path, out_dir, output_format, schema = task
    writer = DatasetWriter(out_dir, output_format, shard_path=path, schema=schema)
    for rid in ids:
        writer.write(as_published(rid, fetch, merged, overlaps))
    writer.close()
    return writer.rows_written, writer.chars_written, writer.stats


def published_records(spill: RecordSpill, result: DedupResult) -> Iterator[Record]:
    """The records to publish, in input order: merged clusters replace their canonical member."""
    for rec in spill:
        if result.canonical.get(rec.id, rec.id) == rec.id:  # else merged into its cluster's record
            yield as_published(rec.id, lambda _: rec, result.merged, result.overlaps)


def write_reports(report_dir: Path, result: DedupResult, data_dir: Path,
                  published: Callable[[str], Record | None] | None = None) -> None:
    """reports/dedup.jsonl and dedup.html (texts of published records from ``published``, else
    read back from data_dir)."""
    from .dedup.report import write_reports as write_dedup_reports

    write_dedup_reports(report_dir, result.decision_lines(encoded=True), data_dir, published=published)  # streamed


def published_record(spill: RecordSpill, result: DedupResult) -> Callable[[str], Record | None]:
    """id → the record as published (the merged record of a cluster), None for one merged away."""
    def get(rid: str) -> Record | None:
        if result.canonical.get(rid, rid) != rid:
            return None
        return as_published(rid, spill.get, result.merged, result.overlaps)
    return get


def as_published(rid: str, fetch: Callable[[str], Record], merged, overlaps: dict) -> Record:
    """Record ``rid`` as the dataset holds it: its cluster's merged record if it is a cluster's
    canonical (``merged``: id → record), with the overlaps dedup found."""
    rec = merged[rid] if rid in merged else fetch(rid)
    if rid in overlaps:
        rec.overlaps = overlaps[rid]
    return rec
