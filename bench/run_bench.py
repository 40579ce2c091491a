"""``make bench``: corpuskit build vs datatrove on generated corpora of several sizes.

For each size: generate the corpus (bench/generate.py; cached by its manifest),
measure the I/O floor (read + parse + write the JSONL), run
``corpuskit build --profile`` and datatrove's equivalent pipeline
(bench/datatrove_pipeline.py, in bench/.venv-datatrove) on the same files,
sampling the resident memory of each run's whole process tree (workers
included).  Prints, per size: docs/s, MB/s and peak memory per stage, and the
ratio to datatrove; writes bench/out/results.json and bench/out/results.md.

    python bench/run_bench.py --sizes 10000,100000,200000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATATROVE_PYTHON = BENCH / ".venv-datatrove" / "bin" / "python"
MB = 1024 * 1024

# The targets of the issue, checked on the largest size run.
TARGET_RATIO = 5.0
TARGET_SECONDS_200K = 90.0
TARGET_PEAK_BYTES = 2 * 1024**3
SIGNATURE_BYTES = 128 * 4  # 128 32-bit MinHash values: the "signatures" memory may grow no faster than


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants (and the peak of the
    process alone: ``root_peak``)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self.root_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            total = 0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if proc is self.root:
                    self.root_peak = max(self.root_peak, rss)
            self.samples.append((time.time(), total))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


def run_sampled(cmd: list[str], log: Path, env: dict | None = None) -> tuple[int, float, TreeSampler]:
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env)
        sampler = TreeSampler(proc.pid)
        rc = proc.wait()
    sampler.stop()
    return rc, time.perf_counter() - started, sampler


def ensure_corpus(size: int, seed: int, html_share: float, root: Path) -> tuple[Path, dict]:
    out = root / (f"corpus-{size}" + (f"-html{html_share:g}" if html_share else ""))
    manifest_path = out / "manifest.json"
    want = {"docs": size, "seed": seed, "dup_share": 0.2, "html_share": html_share, "layout": "jsonl"}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if all(manifest.get(k) == v for k, v in want.items()):
            return out / "corpus", manifest
    sys.path.insert(0, str(BENCH))
    from generate import generate  # noqa: E402

    print(f"generating {size:,} documents into {out} …", flush=True)
    manifest = generate(out, size, seed, 0.2, html_share, "jsonl", [REPO / "raw"])
    return out / "corpus", manifest


def io_floor(corpus: Path, scratch: Path) -> float:
    """Seconds to read, parse, re-serialise and write every line: no tool can beat it."""
    started = time.perf_counter()
    with open(scratch, "w", encoding="utf-8") as out:
        for path in sorted(corpus.glob("*.jsonl")):
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    scratch.unlink()
    return seconds


def bench_corpuskit(corpus: Path, work: Path, workers: int, docs: int, mbytes: float, src: Path | None) -> dict:
    out = work / "corpuskit-out"
    profile_path = work / "corpuskit-profile.json"
    cmd = [sys.executable, "-m", "corpuskit", "build", str(corpus), "--out", str(out), "-q",
           "--profile", str(profile_path)] + (["--workers", str(workers)] if workers else [])
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    rc, seconds, sampler = run_sampled(cmd, work / "corpuskit.log", env)
    if rc != 0:
        return {"error": f"corpuskit build exited {rc}; see {work / 'corpuskit.log'}"}
    profile = json.loads(profile_path.read_text())
    summary = json.loads((out / "build_summary.json").read_text())
    rejected = sum(summary["rejected"].values())
    if summary["records_produced"] < docs * 0.9:  # a broken stage is not a fast one
        return {"error": f"corpuskit produced {summary['records_produced']:,} records from {docs:,} documents "
                         f"({rejected:,} rejected: {summary['rejected']}); see {work / 'corpuskit.log'}"}
    phases = []
    for phase in profile["phases"]:
        wall = max(phase["end"] - phase["start"], 1e-9)
        phases.append({
            "phase": phase["phase"], "seconds": round(wall, 2),
            "docs_per_s": round(docs / wall), "mb_per_s": round(mbytes / wall, 1),
            "peak_mb": round(sampler.peak(phase["start"], phase["end"]) / MB),
        })
    stages = [
        {"stage": name, "cpu_seconds": round(sec, 2), "docs_per_s_per_core": round(docs / sec) if sec else None,
         "mb_per_s_per_core": round(mbytes / sec, 1) if sec else None}
        for name, sec in sorted(profile["stage_seconds"].items(), key=lambda kv: -kv[1])
    ]
    return {
        "seconds": round(seconds, 2), "docs_per_s": round(docs / seconds), "mb_per_s": round(mbytes / seconds, 1),
        "peak_mb": round(sampler.peak() / MB), "records_written": summary["records_written"],
        "documents_merged": summary["documents_merged"], "phases": phases, "stages": stages,
    }


def bench_datatrove(corpus: Path, work: Path, workers: int, docs: int, mbytes: float) -> dict:
    if not (DATATROVE_PYTHON.parent.parent / ".installed").exists():
        return {"error": "datatrove is not installed in bench/.venv-datatrove (`make bench` installs it; "
                         "bench/out/datatrove-install.log says why it failed)"}
    cmd = [str(DATATROVE_PYTHON), str(BENCH / "datatrove_pipeline.py"), str(corpus), str(work / "datatrove-work"),
           "--workers", str(workers or os.cpu_count() or 1)]
    log = work / "datatrove.log"
    rc, seconds, sampler = run_sampled(cmd, log)
    if rc != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        return {"error": f"datatrove pipeline exited {rc}: {' | '.join(tail)[:300]} (log: {log})"}
    result = json.loads(log.read_text().strip().splitlines()[-1])
    return {"seconds": round(seconds, 2), "docs_per_s": round(docs / seconds), "mb_per_s": round(mbytes / seconds, 1),
            "peak_mb": round(sampler.peak() / MB), "docs_out": result["docs_out"], "stages": result["stages"]}


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    head = "| " + " | ".join(title for _, title in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join("" if row.get(key) is None else f"{row[key]:,}" if isinstance(row[key], (int, float))
                              else str(row[key]) for key, _ in columns) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def report(size_results: list[dict], machine: str) -> str:
    lines = [f"Machine: {machine}", ""]
    for res in size_results:
        docs, mbytes = res["docs"], res["mbytes"]
        ck, dt = res["corpuskit"], res["datatrove"]
        lines.append(f"### {docs:,} documents ({mbytes:,.0f} MB of JSONL, {res['reprints']:,} reprints)")
        lines.append("")
        lines.append(f"I/O floor (read + parse + write JSONL, one process): {res['io_floor_mb_per_s']:,} MB/s")
        lines.append("")
        if "error" in ck:
            lines.append(f"corpuskit: FAILED: {ck['error']}")
        else:
            lines.append(table(ck["phases"], [("phase", "corpuskit phase"), ("seconds", "s"), ("docs_per_s", "docs/s"),
                                              ("mb_per_s", "MB/s"), ("peak_mb", "peak MB")]))
            lines.append("")
            lines.append(table(ck["stages"], [("stage", "stage (all processes)"), ("cpu_seconds", "CPU s"),
                                              ("docs_per_s_per_core", "docs/s per core"),
                                              ("mb_per_s_per_core", "MB/s per core")]))
            lines.append("")
        rows = []
        if "error" not in ck:
            rows.append({"tool": "corpuskit build", **ck})
        if "error" not in dt:
            rows.append({"tool": "datatrove", **dt})
        lines.append(table(rows, [("tool", "end to end"), ("seconds", "s"), ("docs_per_s", "docs/s"),
                                  ("mb_per_s", "MB/s"), ("peak_mb", "peak MB")]))
        if "error" in dt:
            lines.append("")
            lines.append(f"datatrove: NOT MEASURED: {dt['error']}")
        elif "error" not in ck:
            lines.append("")
            lines.append(f"corpuskit / datatrove throughput: **{res['ratio']:.1f}×**")
        lines.append("")
    return "\n".join(lines)


def check_targets(size_results: list[dict]) -> list[str]:
    notes = []
    ok = [r for r in size_results if "error" not in r["corpuskit"]]
    if not ok:
        return ["corpuskit failed: no target checked"]
    largest = max(ok, key=lambda r: r["docs"])
    ck = largest["corpuskit"]
    if largest.get("ratio") is not None:
        notes.append(f"{'PASS' if largest['ratio'] >= TARGET_RATIO else 'FAIL'}: {largest['ratio']:.1f}× datatrove "
                     f"at {largest['docs']:,} (target ≥ {TARGET_RATIO:g}×)")
    if largest["docs"] >= 200_000:
        per_200k = ck["seconds"] * 200_000 / largest["docs"]
        notes.append(f"{'PASS' if per_200k < TARGET_SECONDS_200K else 'FAIL'}: {per_200k:.0f} s for 200k documents "
                     f"(target < {TARGET_SECONDS_200K:g} s)")
    notes.append(f"{'PASS' if ck['peak_mb'] * MB < TARGET_PEAK_BYTES else 'FAIL'}: peak {ck['peak_mb']:,} MB at "
                 f"{largest['docs']:,} (target < {TARGET_PEAK_BYTES // MB:,} MB)")
    if len(ok) > 1:
        # Growth per extra document between consecutive sizes: the verdict is on the largest
        # step, where the corpus is big enough for every worker to write shards (at 10k one
        # worker writes the only shard, so the first step also counts the second writer).
        by_size = sorted(ok, key=lambda r: r["docs"])
        steps = [(a, b, (b["corpuskit"]["peak_mb"] - a["corpuskit"]["peak_mb"]) * MB / (b["docs"] - a["docs"]))
                 for a, b in zip(by_size, by_size[1:])]
        small, _, last = steps[-1]
        clean_small = next(p["peak_mb"] for p in by_size[0]["corpuskit"]["phases"] if p["phase"] == "read+clean+normalize")
        clean_large = next(p["peak_mb"] for p in ck["phases"] if p["phase"] == "read+clean+normalize")
        notes.append(f"{'PASS' if last <= SIGNATURE_BYTES else 'FAIL'}: memory grows {last:,.0f} bytes per extra document "
                     f"from {small['docs']:,} to {largest['docs']:,} (a 128-hash signature is {SIGNATURE_BYTES} bytes); "
                     + ", ".join(f"{g:,.0f} from {a['docs']:,} to {b['docs']:,}" for a, b, g in steps[:-1])
                     + ("; " if len(steps) > 1 else "")
                     + f"read+clean+normalize phase peak {clean_small:,} MB at {by_size[0]['docs']:,} → {clean_large:,} MB "
                     f"at {largest['docs']:,}")
    return notes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,200000", help="comma-separated corpus sizes (documents)")
    p.add_argument("--workers", type=int, default=0, help="processes for both tools (default: all cores)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--html-share", type=float, default=0.0, help="share of HTML documents in the corpus")
    p.add_argument("--no-datatrove", action="store_true", help="skip the datatrove run")
    p.add_argument("--out", type=Path, default=BENCH / "out")
    p.add_argument("--src", type=Path, help="run corpuskit from this src/ folder (e.g. a git worktree's) instead of "
                                            "the installed one")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    machine = (f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.0f} GiB, {platform.system()} "
               f"{platform.machine()}, Python {platform.python_version()}; load average at start "
               f"{os.getloadavg()[0]:.1f}")
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus, manifest = ensure_corpus(size, args.seed, args.html_share, args.out)
        mbytes = sum(f.stat().st_size for f in corpus.glob("*.jsonl")) / MB
        work = args.out / f"run-{size}"
        work.mkdir(exist_ok=True)
        print(f"[{size:,}] I/O floor …", flush=True)
        floor = io_floor(corpus, work / "io-floor.jsonl")
        print(f"[{size:,}] corpuskit build …", flush=True)
        ck = bench_corpuskit(corpus, work, args.workers, size, mbytes, args.src)
        if args.no_datatrove:
            dt = {"error": "skipped (--no-datatrove)"}
        else:
            print(f"[{size:,}] datatrove …", flush=True)
            dt = bench_datatrove(corpus, work, args.workers, size, mbytes)
        ratio = ck["docs_per_s"] / dt["docs_per_s"] if "error" not in ck and "error" not in dt else None
        results.append({"docs": size, "mbytes": round(mbytes, 1), "reprints": manifest["reprints"],
                        "io_floor_mb_per_s": round(mbytes / floor, 1), "corpuskit": ck, "datatrove": dt,
                        "ratio": ratio})
        print(report(results[-1:], machine), flush=True)
    text = report(results, machine) + "\n" + "\n".join(f"- {n}" for n in check_targets(results)) + "\n"
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print("\n".join(check_targets(results)))
    print(f"wrote {args.out / 'results.md'}")
    return 0 if all("error" not in r["corpuskit"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
