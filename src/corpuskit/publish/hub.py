"""Push a finished dataset folder to the Hugging Face Hub (``corpuskit publish``).

The folder is uploaded as it is — data files, card, ledger, reports, summary —
in one commit; data shards of an earlier push that this build no longer has are
deleted in the same commit, so the Hub never serves a mix of two builds.  The
card is rendered again for the Hub (repo id in the usage snippet and citation,
license and name when given) into a hard-linked copy of the folder: the local
folder stays exactly as the build wrote it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import Path

from ..errors import BuildError
from .card import CardInfo, rewrite_readme

#: What a dataset folder publishes (paths relative to it, glob patterns as the Hub reads them).
PUBLISHED_PATTERNS = [
    "README.md",
    "data/train-*.parquet",
    "data/train-*.jsonl",
    "ledger.jsonl",
    "build_summary.json",
    "reports/*",
]
#: Never published even where a pattern above matches: hidden files, unfinished shards.
IGNORED_PATTERNS = [".*", "*/.*", "*.tmp"]
#: Remote files replaced by this push: an earlier build's shards must not linger beside these.
REPLACED_PATTERNS = ["data/*", "reports/*"]

_SHARD = re.compile(r"^train-(\d{5})-of-(\d{5})\.(parquet|jsonl)$")


@dataclass
class PushResult:
    repo_id: str
    url: str
    files: list[str]


def files_to_publish(folder: Path) -> list[str]:
    """The files of ``folder`` that a push uploads, relative and sorted.

    Raises :class:`BuildError` when the folder is not a complete dataset folder
    (no card, no data, or an incomplete set of shards).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError(f"{folder} is not a folder: run `corpuskit build RAW --out {folder}` first")
    if not (folder / "README.md").is_file():
        raise BuildError(f"{folder} has no README.md (dataset card): is it the output of `corpuskit build`?")
    files = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if any(fnmatch(part, pattern) for part in rel.split("/") for pattern in IGNORED_PATTERNS):
            continue
        if any(fnmatch(rel, pattern) for pattern in PUBLISHED_PATTERNS):
            files.append(rel)
    shards = [_SHARD.match(Path(rel).name) for rel in files if rel.startswith("data/")]
    if not shards:
        raise BuildError(f"{folder}/data has no data files (train-*.parquet or train-*.jsonl): rebuild it")
    totals = {int(m[2]) for m in shards}
    if len(totals) != 1 or len(shards) != totals.pop():
        raise BuildError(f"{folder}/data has an incomplete or mixed set of shards: rebuild it")
    return files


_LICENSE_ID = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")


def _upload_copy(folder: Path, files: list[str], info: CardInfo) -> Path:
    """A hard-linked copy of the published files with the card rendered for the Hub."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.publish-", dir=folder.parent))
    except OSError:  # the parent is read-only: a copy elsewhere will do
        stage = Path(tempfile.mkdtemp(prefix="corpuskit-publish-"))
    try:
        for rel in files:
            if rel == "README.md":
                continue
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(folder / rel, target)
            except OSError:
                shutil.copy2(folder / rel, target)
        rewrite_readme(folder, info, target_dir=stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def push_to_hub(folder: Path, repo_id: str, *, private: bool = False, token: str | None = None,
                info: CardInfo | None = None, api=None) -> PushResult:
    """Create the dataset repo ``repo_id`` if needed and upload ``folder`` to it in one commit.

    ``info`` sets the card's license and name; its ``repo_id`` is always ``repo_id``.
    """
    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import (HfHubHTTPError, HFValidationError, HTTPError, LocalTokenNotFoundError,
                                        OfflineModeIsEnabled)

    folder = Path(folder)
    files = files_to_publish(folder)
    info = replace(info or CardInfo(), repo_id=repo_id)
    if not _LICENSE_ID.match(info.license):
        raise BuildError(f"--license {info.license!r} is not a license id: use the Hub's ids, e.g. cc-by-4.0, "
                         "apache-2.0, other, unknown")
    token = token or get_token()
    if not token:
        raise BuildError(
            "no Hugging Face token: run `hf auth login`, set HF_TOKEN, or pass --token "
            "(a token with write access, from https://huggingface.co/settings/tokens)"
        )
    api = api or HfApi()
    stage = _upload_copy(folder, files, info)
    try:
        repo = api.create_repo(repo_id, token=token, private=private, repo_type="dataset", exist_ok=True)
        api.upload_folder(
            repo_id=repo_id,
            folder_path=str(stage),
            repo_type="dataset",
            token=token,
            allow_patterns=files,
            ignore_patterns=IGNORED_PATTERNS,
            delete_patterns=REPLACED_PATTERNS,
            commit_message=f"corpuskit: publish {folder.name}",
        )
    except OfflineModeIsEnabled as exc:
        raise BuildError("cannot publish while HF_HUB_OFFLINE is set: unset it and run again") from exc
    except HFValidationError as exc:
        raise BuildError(f"invalid repo id {repo_id!r}: use NAMESPACE/NAME, e.g. my-org/zh-news ({exc})") from exc
    except LocalTokenNotFoundError as exc:
        raise BuildError("no Hugging Face token: run `hf auth login`, set HF_TOKEN, or pass --token") from exc
    except HfHubHTTPError as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        hint = {
            401: "the token is invalid or expired: make a new one at https://huggingface.co/settings/tokens",
            403: f"the token may not write to {repo_id}: use a token with write access to that namespace",
            404: f"{repo_id} not found: check the namespace (your user name or an organisation you belong to)",
        }.get(status, "the Hub refused the upload")
        raise BuildError(f"publishing to {repo_id} failed: {hint} ({exc})") from exc
    except (HTTPError, OSError) as exc:  # connection failures, timeouts
        raise BuildError(f"publishing to {repo_id} failed: cannot reach the Hub ({exc}); check the network") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return PushResult(repo_id=repo_id, url=str(getattr(repo, "url", f"https://huggingface.co/datasets/{repo_id}")),
                      files=files)
