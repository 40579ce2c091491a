"""Exceptions with messages a user can act on.

``InputError`` is about one input file or document: the run records it in the
ledger and goes on.  ``BuildError`` stops the whole run; the CLI prints it as
one line and exits non-zero.
"""

from __future__ import annotations


class CorpuskitError(Exception):
    """Base class of every error corpuskit raises on purpose."""


class InputError(CorpuskitError):
    """One input (a file, or a line of a JSONL file) cannot be used.

    ``reason`` is a short machine-readable tag (``empty``, ``binary``,
    ``undecodable``, ``malformed_json`` …) used to group rejections in the
    summary; ``detail`` says what exactly is wrong.
    """

    def __init__(self, path: str, reason: str, detail: str = "", line: int | None = None):
        self.path = path
        self.reason = reason
        self.detail = detail
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}" + (f" ({detail})" if detail else ""))

    def __reduce__(self):
        # worker processes send these back to the parent: pickle the fields, not the message
        return (type(self), (self.path, self.reason, self.detail, self.line))


class BuildError(CorpuskitError):
    """The build as a whole cannot go on (missing input folder, unwritable output …)."""
