"""Read tasks: files, and large JSONL files cut into chunks of whole lines.

A 1 GB JSONL file must neither be read whole nor be one task that holds every
record it produces: :func:`plan_tasks` hashes it in one streaming pass and cuts
it into chunks of about :data:`CHUNK_BYTES` at line ends, each with the line
number it starts at, so that workers process the chunks in parallel and each
chunk's records leave memory once they are spilled.  A record's id depends on
the file's path, sha256 and line number only, so chunking changes nothing in
the output.

A plain JSONL chunk is a byte range the worker reads itself; a gzipped JSONL
cannot be seeked into, so its chunks carry their decompressed lines.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from . import MAX_DOCUMENT_BYTES, RawDocument, format_of, iter_jsonl, relative_name

#: JSONL files larger than this are cut into chunks of about this size.
CHUNK_BYTES = 4 * 1024 * 1024
_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class JsonlChunk:
    """Lines ``first_line`` … of a JSONL file whose sha256 is known."""

    sha256: str
    index: int  # 0-based chunk number in the file
    last: bool  # the file's final chunk
    first_line: int  # 1-based line number of the chunk's first line
    start: int = 0  # byte range in the (plain) file
    end: int = 0
    data: bytes | None = None  # decompressed lines (gzipped files)
    error: InputError | None = None  # the stream broke off after these lines


@dataclass(frozen=True)
class ReadTask:
    path: Path
    chunk: JsonlChunk | None = None


def plan_tasks(paths: Iterable[Path], root: Path, chunk_bytes: int | None = None) -> Iterator[ReadTask]:
    """One task per file, several per JSONL file larger than ``chunk_bytes``.

    Lazy: files are planned as ``paths`` yields them, never all listed first.  A file that
    cannot be planned (unreadable …) becomes a plain task whose reader reports
    the problem.
    """
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    for path in paths:
        fmt, gz = format_of(path.name)
        try:
            # a gzipped file's lines take several times its size
            large = fmt == "jsonl" and path.is_file() and path.stat().st_size > (chunk_bytes // 8 if gz else chunk_bytes)
        except OSError:
            large = False
        if not large:
            yield ReadTask(path)
            continue
        try:
            # plain: offsets only; gzip: a lazy stream of decompressed chunks
            chunks = _gzip_chunks(path, chunk_bytes, rel=relative_name(path, root)) if gz else iter(list(_plain_chunks(path, chunk_bytes)))
            first = next(chunks)
        except OSError:
            yield ReadTask(path)
            continue
        yield ReadTask(path, first)
        for chunk in chunks:
            yield ReadTask(path, chunk)


def _plain_chunks(path: Path, chunk_bytes: int) -> Iterator[JsonlChunk]:
    """Hash the file and find line ends near every ``chunk_bytes``, in one pass."""
    digest = hashlib.sha256()
    bounds = [(0, 1)]  # (byte offset, line number) of each chunk's start
    lines_before = 0  # newlines before the current block
    offset = 0
    next_cut = chunk_bytes
    with open(path, "rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
            while offset + len(block) > next_cut:
                at = block.find(b"\n", max(0, next_cut - offset))
                if at < 0:
                    break  # the line goes on in the next block: cut at its end there
                bounds.append((offset + at + 1, lines_before + block.count(b"\n", 0, at + 1) + 1))
                next_cut = offset + at + 1 + chunk_bytes
            lines_before += block.count(b"\n")
            offset += len(block)
    sha = digest.hexdigest()
    if bounds[-1][0] >= offset and len(bounds) > 1:
        bounds.pop()  # the file ended right at a cut
    for i, (start, line) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else offset
        yield JsonlChunk(sha, i, i + 1 == len(bounds), line, start, end)


def _gzip_chunks(path: Path, chunk_bytes: int, rel: str) -> Iterator[JsonlChunk]:
    """Decompressed chunks of whole lines.  Two passes: the sha256 (of the
    compressed bytes) is needed before the first chunk's records get their ids."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    sha = digest.hexdigest()
    index, line, pending = 0, 1, b""
    error = None
    try:
        with gzip.open(path, "rb") as stream:
            while True:
                block = stream.read(chunk_bytes)
                if not block:
                    break
                pending += block
                cut = pending.rfind(b"\n")
                if cut < 0:
                    if len(pending) > MAX_DOCUMENT_BYTES + 1:
                        # a line over the document limit: keep just enough of it for
                        # iter_jsonl to reject it as too_large, drop the rest unread
                        pending = pending[: MAX_DOCUMENT_BYTES + 1]
                    continue
                data, pending = pending[: cut + 1], pending[cut + 1 :]
                yield JsonlChunk(sha, index, False, line, data=data)
                index += 1
                line += data.count(b"\n")
    except (EOFError, OSError, zlib.error) as exc:
        error = InputError(rel, "bad_gzip", f"truncated or corrupt gzip stream after line {line - 1}: {exc}")
    yield JsonlChunk(sha, index, True, line, data=pending, error=error)


def read_chunk(path: Path, root: Path, chunk: JsonlChunk) -> tuple[str, str, Iterator[RawDocument | InputError]]:
    """Like :func:`corpuskit.read.read_file`, for one chunk of a JSONL file."""
    rel = relative_name(path, root)
    if chunk.data is not None:
        return rel, chunk.sha256, _renumbered(iter_jsonl(chunk.data, rel, chunk.sha256), rel, chunk)
    try:
        stream = open(path, "rb")
        stream.seek(chunk.start)
    except OSError as exc:
        raise InputError(rel, "unreadable", exc.strerror or str(exc)) from exc
    return rel, chunk.sha256, _renumbered(_closing(stream, iter_jsonl(stream, rel, chunk.sha256, chunk.end - chunk.start)), rel, chunk)


def _closing(stream, items: Iterator) -> Iterator:
    """Read the byte range line by line (a huge line is skipped, never held), then close."""
    with stream:
        yield from items


def _renumbered(items: Iterator[RawDocument | InputError], rel: str, chunk: JsonlChunk):
    shift = chunk.first_line - 1
    for item in items:
        if isinstance(item, InputError):
            yield InputError(rel, item.reason, item.detail, None if item.line is None else item.line + shift)
        else:
            if item.line is not None:
                item.line += shift
            yield item
    if chunk.error is not None:
        raise InputError(rel, chunk.error.reason, chunk.error.detail)
