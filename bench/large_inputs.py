"""``make bench-inputs``: the two large inputs of the scale issue, built end to end.

- ``jsonl``: one JSONL file of about 1 GB (``--jsonl-docs`` generated documents, 380,000 by
  default, concatenated into a single file): it must be cut into chunks and streamed, never
  read whole;
- ``files``: a folder of a million small files (``--files-docs``; the generator's ``files``
  layout, 1,000 documents per sub-folder): walked lazily, sent to the workers in batches.

For each case the corpus is generated (cached by its manifest), ``corpuskit build --profile``
runs on it, and the resident memory of the whole process tree and of the main process alone is
sampled every 50 ms.  Prints wall seconds, docs/s, the phases and both peaks (what grows with
the corpus is in the main process: the dedup index and where each record is, see README "Scale
and speed"); appends the table to ``bench/out/large-inputs.md``.

    python bench/large_inputs.py --cases jsonl,files
    python bench/large_inputs.py --cases jsonl --dedup-memory 128   # the index spilled to disk

The files case writes about 4 GB in a million files and takes 20-30 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MB = 1024 * 1024
sys.path.insert(0, str(BENCH))
from generate import generate  # noqa: E402
from run_bench import TreeSampler  # noqa: E402


def ensure(case: str, docs: int, seed: int, root: Path) -> tuple[Path, dict]:
    """The case's input folder (generated once; the manifest says with what)."""
    out = root / f"large-{case}-{docs}"
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("docs") == docs and manifest.get("seed") == seed:
            return out / "input", manifest
    shutil.rmtree(out, ignore_errors=True)
    print(f"[{case}] generating {docs:,} documents into {out} …", flush=True)
    manifest = generate(out, docs, seed, 0.2, 0.0, "files" if case == "files" else "jsonl", [REPO / "raw"])
    if case == "jsonl":  # the generator writes shards of 2,000 documents: join them into one file
        single = out / "input" / "corpus.jsonl"
        single.parent.mkdir()
        with open(single, "wb") as sink:
            for part in sorted((out / "corpus").glob("*.jsonl")):
                with open(part, "rb") as source:
                    shutil.copyfileobj(source, sink, 16 * MB)
                part.unlink()
    else:
        (out / "corpus").rename(out / "input")
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return out / "input", manifest


def input_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under ``folder``."""
    files = size = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.stat(os.path.join(dirpath, name)).st_size
    return files, size


def run(case: str, folder: Path, docs: int, root: Path, dedup_memory: int | None = None) -> dict:
    files, size = input_size(folder)
    out, profile = root / f"large-{case}-out", root / f"large-{case}-profile.json"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "corpuskit", "build", str(folder), "--out", str(out), "-q", "--profile", str(profile)]
    if dedup_memory is not None:
        cmd += ["--dedup-memory", str(dedup_memory)]
    print(f"[{case}] corpuskit build on {files:,} file(s), {size / MB:,.0f} MB …", flush=True)
    started = time.perf_counter()
    with open(root / f"large-{case}.log", "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        sampler = TreeSampler(proc.pid)
        rc = proc.wait()
    sampler.stop()
    seconds = time.perf_counter() - started
    if rc != 0:
        return {"case": case, "error": f"corpuskit build exited {rc}; see {root / f'large-{case}.log'}"}
    summary = json.loads((out / "build_summary.json").read_text())
    phases = json.loads(profile.read_text())["phases"]
    shutil.rmtree(out, ignore_errors=True)
    return {
        "case": case + (f" (--dedup-memory {dedup_memory})" if dedup_memory is not None else ""), "files": files, "mb": round(size / MB), "docs": docs,
        "records": summary["records_produced"], "written": summary["records_written"],
        "seconds": round(seconds, 1), "docs_per_s": round(docs / seconds),
        "phases": ", ".join(f"{p['phase']} {p['end'] - p['start']:.0f} s" for p in phases),
        "peak_mb": round(sampler.peak() / MB), "main_peak_mb": round(sampler.root_peak / MB),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", default="jsonl,files", help="jsonl (one ~1 GB file), files (a million small files)")
    p.add_argument("--jsonl-docs", type=int, default=380_000, help="documents in the single JSONL file (~2.8 KB each)")
    p.add_argument("--files-docs", type=int, default=1_000_000, help="documents (one file each) in the files case")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--dedup-memory", type=int, metavar="MB", help="passed to corpuskit build (default: its own)")
    p.add_argument("--out", type=Path, default=BENCH / "out")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in args.cases.split(","):
        if case not in ("jsonl", "files"):
            p.error(f"unknown case {case!r}: jsonl or files")
        docs = args.jsonl_docs if case == "jsonl" else args.files_docs
        folder, _ = ensure(case, docs, args.seed, args.out)
        rows.append(run(case, folder, docs, args.out, args.dedup_memory))
        print(json.dumps(rows[-1]), flush=True)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [f"### {stamp}, {os.cpu_count()} cores", "",
             "| case | files | MB | documents | records written | s | docs/s | peak MB (all processes) | main process peak MB | phases |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['case']} | FAILED: {r['error']} |" + " |" * 8)
            continue
        lines.append(f"| {r['case']} | {r['files']:,} | {r['mb']:,} | {r['docs']:,} | {r['written']:,} | {r['seconds']:,} | "
                     f"{r['docs_per_s']:,} | {r['peak_mb']:,} | {r['main_peak_mb']:,} | {r['phases']} |")
    text = "\n".join(lines) + "\n\n"
    with open(args.out / "large-inputs.md", "a", encoding="utf-8") as md:
        md.write(text)
    print(text)
    return 0 if all("error" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
