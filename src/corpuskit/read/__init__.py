"""Read stage: a folder of raw files → raw documents, or rejections with a reason.

Formats: ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl`` (one document per
line with a ``text`` or ``html`` field and optional metadata), and gzip of any
of these (``name.txt.gz`` …).  Each file is read once; its sha256 is of the raw
bytes on disk.  JSONL files are streamed line by line, so a malformed line loses
that line only.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from ..errors import InputError
from ..record import Record, Source, make_record_id
from .decode import decode_bytes, normalize_newlines
from .kinds import detect_text_kind, looks_like_html

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: A single document larger than this is rejected instead of read whole.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
#: An HTML page with more tags than this is rejected before it is parsed
#: (a heavy portal page has ~20,000; the parse tree's memory grows with the count).
MAX_HTML_TAGS = 200_000
#: JSONL fields copied into the record when present.
JSONL_METADATA = ("title", "subtitle", "author", "publication", "date", "section")


@dataclass
class RawDocument:
    """One document as read: text (or HTML), provenance, metadata the input carried."""

    path: str
    sha256: str
    text: str
    is_html: bool = False
    line: int | None = None
    url: str | None = None
    encoding: str = "utf-8"
    metadata: dict = field(default_factory=dict)

    def to_record(self) -> Record:
        kind = "html" if self.is_html else detect_text_kind(self.text)
        rec = Record(
            id=make_record_id(self.path, self.sha256, self.line),
            text=self.text,
            sources=[Source(self.path, self.sha256, kind, self.url, self.line)],
        )
        for key, value in self.metadata.items():
            if key in JSONL_METADATA and isinstance(value, str) and value.strip():
                setattr(rec, key, value.strip())
        replaced = self.metadata.get("invalid_bytes_replaced")
        if isinstance(replaced, int) and replaced > 0:
            rec.log("read", "replace_invalid_bytes", f"{replaced} invalid {self.encoding} byte(s) read as U+FFFD", replaced)
        return rec


def discover(root: Path) -> Iterator[Path]:
    """Every file under ``root``, recursively, in a stable (sorted) order.

    Lazy: one folder's names are listed (and sorted) at a time, as the walk reaches it.

    Directory symlinks are not followed (no loops); file symlinks are yielded
    and fail to read if they dangle.
    """
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            yield Path(dirpath) / name


def relative_name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def format_of(path: str) -> tuple[str, bool]:
    """(format, gzipped) from the file name: format is text / html / jsonl / unknown."""
    name = path.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    if suffix in HTML_SUFFIXES:
        return "html", gz
    if suffix in JSONL_SUFFIXES:
        return "jsonl", gz
    if suffix in TEXT_SUFFIXES:
        return "text", gz
    return "unknown", gz


def read_bytes(path: Path, rel: str) -> bytes:
    """The file's raw bytes, with errors turned into InputError.

    Only regular files are read: a named pipe would block the build forever, a
    device could be endless.  The file is opened non-blocking and checked on the
    open descriptor, so nothing swapped in after a check is read either.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _unreadable(path, rel, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(rel, "not_a_file", "a symbolic link to a folder; not followed, to avoid loops")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(rel, "not_a_file", f"a {_file_type(info.st_mode)}, not a regular file")
    fmt, gz = format_of(rel)
    if info.st_size > MAX_DOCUMENT_BYTES and fmt != "jsonl":
        raise InputError(rel, "too_large", f"{info.st_size} bytes; the limit for one document is {MAX_DOCUMENT_BYTES}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _unreadable(path, rel, exc) from exc
    with os.fdopen(fd, "rb") as stream:
        try:
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):
                raise InputError(rel, "not_a_file", "not a regular file")
            limit = None if fmt == "jsonl" else MAX_DOCUMENT_BYTES
            if limit is None:
                data = stream.read()
            else:
                # asked for by size, not by the limit: read(limit + 1) allocates a 32 MB buffer
                # for every file (20 µs of a small file's read)
                data = stream.read(min(opened.st_size, limit) + 1)
                if opened.st_size < len(data) <= limit:  # it grew since: read on, to the limit
                    data += stream.read(limit + 1 - len(data))
        except OSError as exc:
            raise _unreadable(path, rel, exc) from exc
    if limit is not None and len(data) > limit:  # it grew since stat
        raise InputError(rel, "too_large", f"more than {limit} bytes; the limit for one document")
    return data


def _unreadable(path: Path, rel: str, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError(rel, "unreadable", "a loop of symbolic links")
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return InputError(rel, "unreadable", f"a dangling symbolic link (to {os.readlink(path)})")
    return InputError(rel, "unreadable", exc.strerror or str(exc))


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def gunzip(data: bytes, rel: str, limit: int | None = MAX_DOCUMENT_BYTES) -> bytes:
    """Decompress a gzip file (all members), reading at most ``limit`` bytes of
    output: a gzip bomb is rejected as ``too_large`` without inflating it."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(-1 if limit is None else limit + 1)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(rel, "bad_gzip", f"truncated or corrupt gzip stream: {exc}") from exc
    if limit is not None and len(out) > limit:
        raise InputError(rel, "too_large", f"more than {limit} bytes after decompression (the limit for one document)")
    return out


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_markup(html: str, rel: str, line: int | None = None) -> None:
    """Reject a page with more tags than any written page has: a parse tree
    costs over 1 KB per tag, so this bounds the HTML stage's memory (about 200 MB)."""
    tags = html.count("<")
    if tags > MAX_HTML_TAGS:
        raise InputError(
            rel, "too_large", f"{tags} tags; the limit for one HTML page is {MAX_HTML_TAGS} (pages this size are generated)", line=line
        )


def _document_from_json(obj: object, rel: str, sha: str, line: int, encoding: str) -> RawDocument:
    if not isinstance(obj, dict):
        raise InputError(rel, "malformed_json", "a line must hold a JSON object", line=line)
    body = obj.get("text")
    is_html = False
    if not (isinstance(body, str) and body.strip()):
        body = obj.get("html")
        is_html = True
    if not (isinstance(body, str) and body.strip()):
        raise InputError(rel, "empty", "the object has no non-empty 'text' or 'html' field", line=line)
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    is_html = is_html or looks_like_html(body)
    if is_html:
        check_markup(body, rel, line)
    return RawDocument(
        rel, sha, normalize_newlines(body), is_html=is_html,
        line=line, url=url, encoding=encoding, metadata=obj,
    )


def bounded_lines(stream: BinaryIO, limit: int = MAX_DOCUMENT_BYTES, size: int | None = None) -> Iterator[bytes | int]:
    """The lines of a binary stream, without their line ends, never holding more
    than ``limit + 1`` bytes: a longer line is skipped and yielded as its length
    (an ``int``).  At most ``size`` bytes are read when given."""
    remaining = size

    def read_line(cap: int) -> bytes:
        nonlocal remaining
        if remaining is not None:
            cap = min(cap, remaining)
            if cap <= 0:
                return b""
        piece = stream.readline(cap)
        if remaining is not None:
            remaining -= len(piece)
        return piece

    while True:
        line = read_line(limit + 1)
        if not line:
            return
        if line.endswith(b"\n") or len(line) <= limit:
            yield line[:-1] if line.endswith(b"\n") else line
            continue
        length = len(line)  # too long: skip to its end without keeping it
        while True:
            piece = read_line(1 << 20)
            if not piece:
                break
            if piece.endswith(b"\n"):
                length += len(piece) - 1
                break
            length += len(piece)
        yield length


def iter_jsonl(source: bytes | BinaryIO, rel: str, sha: str, size: int | None = None) -> Iterator[RawDocument | InputError]:
    """One RawDocument per good line, one InputError per bad line (the rest go on).

    ``source`` is the file's bytes or a binary stream (read lazily, one line at
    a time, at most ``size`` bytes): memory holds one line, and a line over the
    document limit is skipped unread.  A broken gzip stream raises InputError
    ``bad_gzip`` after the lines before the break.
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    line_no = 0
    try:
        for raw_line in bounded_lines(stream, MAX_DOCUMENT_BYTES, size):
            line_no += 1
            if isinstance(raw_line, int):
                yield InputError(rel, "too_large", f"{raw_line} bytes; the limit for one document is {MAX_DOCUMENT_BYTES}", line=line_no)
                continue
            if line_no == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
                raw_line = raw_line[3:]
            if not raw_line.strip():
                continue
            try:
                obj = json.loads(raw_line)
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                yield InputError(rel, "malformed_json", str(exc)[:120], line=line_no)
                continue
            try:
                yield _document_from_json(obj, rel, sha, line_no, "utf-8")
            except InputError as exc:
                yield exc
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(rel, "bad_gzip", f"truncated or corrupt gzip stream after line {line_no}: {exc}") from exc


def read_file(path: Path, root: Path) -> tuple[str, str, Iterator[RawDocument | InputError]]:
    """Read one file: (relative path, sha256, documents-or-line-errors).

    Raises InputError when the whole file is unusable.
    """
    rel = relative_name(path, root)
    data = read_bytes(path, rel)
    sha = sha256_of(data)
    fmt, gz = format_of(rel)
    if fmt == "jsonl":
        if not data.strip():
            raise InputError(rel, "empty", "the file has no content")
        # gzip: inflated lazily, line by line, so a bomb never sits in memory
        return rel, sha, iter_jsonl(gzip.GzipFile(fileobj=io.BytesIO(data)) if gz else data, rel, sha)
    if gz:
        data = gunzip(data, rel, MAX_DOCUMENT_BYTES)
    if fmt == "unknown":
        # sniff: anything that decodes as text is read as text or HTML
        pass
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(rel, "too_large", f"{len(data)} bytes after decompression")
    decoded = decode_bytes(data, rel)
    is_html = fmt == "html" or looks_like_html(decoded.text)
    if is_html:
        check_markup(decoded.text, rel)
    doc = RawDocument(rel, sha, decoded.text, is_html=is_html, encoding=decoded.encoding)
    if decoded.replaced:
        doc.metadata["invalid_bytes_replaced"] = decoded.replaced
    return rel, sha, iter([doc])
