"""`corpuskit publish`: what is pushed, how, and the errors a user sees (no network is touched)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import huggingface_hub
import pytest
from huggingface_hub.utils import filter_repo_objects

from huggingface_hub import DatasetCard

from corpuskit.errors import BuildError
from corpuskit.publish.card import CardInfo
from corpuskit.publish.hub import files_to_publish, push_to_hub


class RecordingApi:
    """Stands in for HfApi: records the calls and what upload_folder would send."""

    def __init__(self, fail_with: Exception | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.uploaded: list[str] = []
        self.card = ""
        self.fail_with = fail_with

    def create_repo(self, repo_id, **kwargs):
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        if self.fail_with:
            raise self.fail_with
        return huggingface_hub.RepoUrl(f"https://huggingface.co/datasets/{repo_id}")

    def upload_folder(self, **kwargs):
        self.calls.append(("upload_folder", kwargs))
        folder = kwargs["folder_path"]
        from pathlib import Path

        local = sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())
        # the same filter upload_folder applies
        self.uploaded = sorted(filter_repo_objects(local, allow_patterns=kwargs["allow_patterns"],
                                                  ignore_patterns=kwargs["ignore_patterns"]))
        self.card = (Path(folder) / "README.md").read_text(encoding="utf-8")
        self.sizes = {rel: (Path(folder) / rel).stat().st_size for rel in self.uploaded}


@pytest.fixture
def folder(seed_build, tmp_path):
    """A built folder with the litter a user's disk accumulates."""
    out = tmp_path / "cleaned"
    shutil.copytree(seed_build, out)
    (out / "data" / "shard-00001.tmp").write_bytes(b"half written")
    (out / ".cache" / "huggingface").mkdir(parents=True)
    (out / ".cache" / "huggingface" / "x.lock").write_text("")
    (out / ".DS_Store").write_bytes(b"\0")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "reports" / ".~lock.dedup.html#").write_text("")
    return out


def test_pushes_the_dataset_and_nothing_else(folder):
    api = RecordingApi()
    result = push_to_hub(folder, "someone/zh-news", private=True, token="hf_test", api=api)
    (create, create_kw), (upload, upload_kw) = api.calls
    assert create == "create_repo" and upload == "upload_folder"
    assert create_kw["repo_type"] == "dataset" and create_kw["exist_ok"] is True and create_kw["private"] is True
    assert upload_kw["repo_type"] == "dataset" and upload_kw["repo_id"] == "someone/zh-news"
    assert create_kw["token"] == upload_kw["token"] == "hf_test"
    data = sorted(p.name for p in (folder / "data").glob("train-*"))
    expected = sorted(["README.md", "build_summary.json", "ledger.jsonl", *(f"data/{n}" for n in data),
                       *(f"reports/{p.name}" for p in (folder / "reports").iterdir() if not p.name.startswith("."))])
    assert api.uploaded == expected == result.files
    assert "reports/dedup.jsonl" in expected
    # shards of an earlier, larger build are removed in the same commit
    assert "data/*" in upload_kw["delete_patterns"]
    assert result.url.endswith("someone/zh-news")
    # the files sent are the folder's own (hard-linked), and the temporary copy is gone
    assert all(api.sizes[rel] == (folder / rel).stat().st_size for rel in expected if rel != "README.md")
    assert not [p for p in folder.parent.iterdir() if ".publish-" in p.name]


def test_card_is_rendered_for_the_hub_and_the_folder_left_alone(folder):
    before = (folder / "README.md").read_bytes()
    api = RecordingApi()
    info = CardInfo(license="cc-by-nc-4.0", pretty_name="Zh news 2022")
    push_to_hub(folder, "someone/zh-news", token="hf_test", info=info, api=api)
    assert (folder / "README.md").read_bytes() == before
    hub_card = DatasetCard(api.card)
    assert hub_card.data.license == "cc-by-nc-4.0" and hub_card.data.pretty_name == "Zh news 2022"
    assert 'load_dataset("someone/zh-news", split="train")' in api.card
    assert "https://huggingface.co/datasets/someone/zh-news" in api.card
    assert "# Dataset Card for Zh news 2022" in api.card
    # the figures are the build's: the header's dataset_info is unchanged
    assert hub_card.data.to_dict()["dataset_info"] == DatasetCard(before.decode("utf-8")).data.to_dict()["dataset_info"]


def test_bad_license_id_is_refused(folder):
    with pytest.raises(BuildError, match="license"):
        push_to_hub(folder, "someone/zh-news", token="hf_test", info=CardInfo(license="CC BY 4.0"), api=RecordingApi())


def test_jsonl_folder_is_published_too(rich_build_jsonl):
    files = files_to_publish(rich_build_jsonl)
    assert "data/train-00000-of-00001.jsonl" in files and "README.md" in files


def test_incomplete_folder_is_refused(folder):
    (folder / "data" / "train-00000-of-00001.parquet").rename(folder / "data" / "train-00000-of-00002.parquet")
    with pytest.raises(BuildError, match="incomplete"):
        files_to_publish(folder)
    shutil.rmtree(folder / "data")
    with pytest.raises(BuildError, match="no data files"):
        files_to_publish(folder)
    (folder / "README.md").unlink()
    with pytest.raises(BuildError, match="README"):
        files_to_publish(folder)
    with pytest.raises(BuildError, match="corpuskit build"):
        files_to_publish(folder / "missing")


def test_missing_token_is_an_actionable_error(folder, monkeypatch):
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    api = RecordingApi()
    with pytest.raises(BuildError, match="hf auth login"):
        push_to_hub(folder, "someone/zh-news", api=api)
    assert api.calls == []  # nothing attempted without a token


def test_hub_refusal_is_an_actionable_error(folder):
    httpx2 = pytest.importorskip("httpx2")
    from huggingface_hub.errors import HfHubHTTPError

    response = httpx2.Response(403, request=httpx2.Request("POST", "https://huggingface.co/api/repos/create"))
    api = RecordingApi(fail_with=HfHubHTTPError("403 Forbidden", response=response))
    with pytest.raises(BuildError, match="write access"):
        push_to_hub(folder, "someone/zh-news", token="hf_test", api=api)


def test_offline_and_unreachable_hub_are_actionable_errors(folder, monkeypatch):
    from huggingface_hub import HfApi, constants

    # the test session runs with HF_HUB_OFFLINE=1: the real client refuses, the user is told why
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(BuildError, match="HF_HUB_OFFLINE"):
        push_to_hub(folder, "someone/zh-news", token="hf_test", api=HfApi())
    # a Hub that cannot be reached (a closed local port: no network is used)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(BuildError, match="cannot reach the Hub"):
        push_to_hub(folder, "someone/zh-news", token="hf_test", api=HfApi(endpoint="http://127.0.0.1:9"))


def test_cli_dry_run_lists_the_files(folder):
    proc = subprocess.run(
        [sys.executable, "-m", "corpuskit", "publish", str(folder), "--repo-id", "someone/zh-news", "--dry-run"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == files_to_publish(folder)


def test_cli_error_is_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "corpuskit", "publish", str(tmp_path / "nope"), "--repo-id", "someone/zh-news"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "corpuskit build" in proc.stderr
