"""Read stage: a folder of raw files → raw documents, or rejections with a reason.

Formats: ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl`` (one document per
line with a ``text`` or ``html`` field and optional metadata), and gzip of any
of these (``name.txt.gz`` …).  Each file is read once; its sha256 is of the raw
bytes on disk.  JSONL files are streamed line by line, so a malformed line loses
that line only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..record import Record, Source, make_record_id
from .decode import decode_bytes, normalize_newlines
from .kinds import detect_kind, looks_like_html

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: A single document larger than this is rejected instead of read whole.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
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
        kind = "html" if self.is_html else detect_kind(self.text)
        rec = Record(
            id=make_record_id(self.path, self.sha256, self.line),
            text=self.text,
            sources=[Source(self.path, self.sha256, kind, self.url, self.line)],
        )
        for key, value in self.metadata.items():
            if key in JSONL_METADATA and isinstance(value, str) and value.strip():
                setattr(rec, key, value.strip())
        return rec


def discover(root: Path) -> Iterator[Path]:
    """Every file under ``root``, recursively, in a stable (sorted) order.

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
    """The file's raw bytes, with errors turned into InputError."""
    if path.is_symlink() and not path.exists():
        raise InputError(rel, "unreadable", "dangling symbolic link")
    if path.is_dir():
        raise InputError(rel, "not_a_file", "a directory symlink; not followed, to avoid loops")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(rel, "unreadable", exc.strerror or str(exc)) from exc
    fmt, gz = format_of(rel)
    if size > MAX_DOCUMENT_BYTES and fmt != "jsonl":
        raise InputError(rel, "too_large", f"{size} bytes; the limit for one document is {MAX_DOCUMENT_BYTES}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(rel, "unreadable", exc.strerror or str(exc)) from exc


def gunzip(data: bytes, rel: str) -> bytes:
    try:
        out = gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise InputError(rel, "bad_gzip", f"truncated or corrupt gzip stream: {exc}") from exc
    return out


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    return RawDocument(
        rel, sha, normalize_newlines(body), is_html=is_html or looks_like_html(body),
        line=line, url=url, encoding=encoding, metadata=obj,
    )


def iter_jsonl(data: bytes, rel: str, sha: str) -> Iterator[RawDocument | InputError]:
    """One RawDocument per good line, one InputError per bad line (the rest go on)."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line_no = 0
    length = len(data)
    while start < length:
        end = data.find(b"\n", start)
        if end < 0:
            end = length
        raw_line = data[start:end]
        start = end + 1
        line_no += 1
        if not raw_line.strip():
            continue
        try:
            obj = json.loads(raw_line)
        except (UnicodeDecodeError, ValueError) as exc:
            yield InputError(rel, "malformed_json", str(exc)[:120], line=line_no)
            continue
        try:
            yield _document_from_json(obj, rel, sha, line_no, "utf-8")
        except InputError as exc:
            yield exc


def read_file(path: Path, root: Path) -> tuple[str, str, Iterator[RawDocument | InputError]]:
    """Read one file: (relative path, sha256, documents-or-line-errors).

    Raises InputError when the whole file is unusable.
    """
    rel = relative_name(path, root)
    data = read_bytes(path, rel)
    sha = sha256_of(data)
    fmt, gz = format_of(rel)
    if gz:
        data = gunzip(data, rel)
    if fmt == "jsonl":
        if not data.strip():
            raise InputError(rel, "empty", "the file has no content")
        return rel, sha, iter_jsonl(data, rel, sha)
    if fmt == "unknown":
        # sniff: anything that decodes as text is read as text or HTML
        pass
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(rel, "too_large", f"{len(data)} bytes after decompression")
    decoded = decode_bytes(data, rel)
    is_html = fmt == "html" or looks_like_html(decoded.text)
    doc = RawDocument(rel, sha, decoded.text, is_html=is_html, encoding=decoded.encoding)
    if decoded.replaced:
        doc.metadata["invalid_bytes_replaced"] = decoded.replaced
    return rel, sha, iter([doc])
