"""The command line: ``corpuskit build RAW --out OUT`` and friends.

A thin layer: it parses options, calls :mod:`corpuskit.pipeline`, prints one
line per rejected input and a summary table, and turns errors into one clear
line and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import __version__
from .config import BuildConfig
from .errors import CorpuskitError, InputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _print_problem(problem: InputError) -> None:
    # one line per problem, even for a file name or detail holding a line break
    line = str(problem).replace("\r", "\\r").replace("\n", "\\n")
    print(f"corpuskit: rejected {line}", file=sys.stderr)


def format_summary(summary: dict) -> str:
    rows = [
        ("files read", summary["files_read"]),
        *((f"  rejected: {reason}", n) for reason, n in summary["rejected"].items()),
        ("records produced", summary["records_produced"]),
        ("documents merged", summary["documents_merged"]),
        ("records written", summary["records_written"]),
        ("characters before", summary["chars_before"]),
        ("characters after", summary["chars_after"]),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label:<{width}}  {value:>12,}" for label, value in rows]
    rule = "-" * (width + 14)
    return "\n".join([rule, *lines, rule])


def cmd_build(args: argparse.Namespace) -> int:
    if args.engine == "ray":
        from .engines.ray_engine import build as ray_build
        from functools import partial

        build = partial(ray_build, address=args.address)
    elif args.address:
        raise CorpuskitError("--address is for --engine ray (the local engine needs no address)")
    else:
        from .pipeline import build

    config = BuildConfig(
        opencc_config=args.opencc,
        workers=args.workers,
        strict=args.strict,
        output_format=args.format,
        document_timeout=args.timeout,
        dedup_memory=int(args.dedup_memory * 1024 * 1024),
    )
    summary = build(
        Path(args.raw),
        Path(args.out),
        config,
        report_dir=Path(args.report) if args.report else None,
        on_problem=_print_problem,
        progress=sys.stderr.isatty() and not args.quiet,
    )
    if args.profile:
        import json

        Path(args.profile).write_text(json.dumps(summary.profile, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print(format_summary(summary.to_dict()))
        print(f"wrote {args.out}")
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from .publish.hub import files_to_publish, push_to_hub

    if args.dry_run:
        for rel in files_to_publish(Path(args.out)):
            print(rel)
        return EXIT_OK
    from .publish.card import CardInfo

    defaults = CardInfo()
    info = CardInfo(license=args.license or defaults.license, pretty_name=args.pretty_name or defaults.pretty_name)
    result = push_to_hub(Path(args.out), args.repo_id, private=args.private, token=args.token, info=info)
    print(f"published {len(result.files)} files to {result.url}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .dedup.report import regenerate

    if args.threshold is not None and not 0.0 < args.threshold <= 1.0:
        raise CorpuskitError(f"--threshold must be in (0, 1], not {args.threshold}")
    path, summary = regenerate(Path(args.out), args.threshold)
    print(
        f"threshold {summary['threshold']:.2f}: {summary['clusters']} clusters, {summary['records_merged']} records "
        f"merged, {summary['near_misses']} near misses ({summary['new_clusters']} clusters differ from the build's, "
        f"{summary['clusters_gone']} of the build's are gone)"
    )
    print(f"wrote {path}")
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpuskit", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"corpuskit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="raw folder → cleaned, deduplicated dataset folder")
    b.add_argument("raw", help="folder of raw documents (searched recursively)")
    b.add_argument("--out", required=True, help="dataset folder to write (replaced atomically)")
    b.add_argument("--report", help="folder for the dedup reports (default: OUT/reports)")
    b.add_argument("--workers", type=int, default=0, help="processes for per-document stages (default: all cores)")
    b.add_argument("--opencc", default="t2s", help="OpenCC config: t2s, tw2sp, hk2s, … or none (default: t2s)")
    b.add_argument("--format", choices=["parquet", "jsonl"], default="parquet", help="data file format")
    b.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per document (default: 60)")
    b.add_argument("--strict", action="store_true", help="fail when any input is rejected")
    b.add_argument("--dedup-memory", type=float, default=1024, metavar="MB",
                   help="memory for the dedup candidate index before it spills to disk in shards (default: 1024)")
    b.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local: worker processes on this machine; ray: Ray Data on a cluster (pip install 'corpuskit[ray]')")
    b.add_argument("--address", help="Ray cluster to join with --engine ray, e.g. ray://head:10001 (default: RAY_ADDRESS, "
                                     "else a Ray instance on this machine)")
    b.add_argument("--profile", metavar="FILE", help="write seconds per stage and the phases' times (JSON) to FILE")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bars or summary")
    b.set_defaults(func=cmd_build)

    p = sub.add_parser("publish", help="push a built dataset folder to the Hugging Face Hub")
    p.add_argument("out", help="dataset folder written by `corpuskit build`")
    p.add_argument("--repo-id", required=True, help="dataset repo on the Hub, NAMESPACE/NAME (created if missing)")
    p.add_argument("--private", action="store_true", help="create the repo as private")
    p.add_argument("--token", help="Hugging Face token with write access (default: HF_TOKEN or `hf auth login`)")
    p.add_argument("--license", help="license id for the card, e.g. cc-by-4.0 (default: unknown)")
    p.add_argument("--pretty-name", help="dataset name for the card's title")
    p.add_argument("--dry-run", action="store_true", help="list the files that would be uploaded; no network")
    p.set_defaults(func=cmd_publish)

    r = sub.add_parser("report", help="regenerate the dedup reports of a built folder (optionally at another threshold)")
    r.add_argument("out", help="dataset folder written by `corpuskit build`")
    r.add_argument("--threshold", type=float, help="show what this merge threshold would do (writes reports/dedup-threshold-X.*)")
    r.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    # `kill` (SIGTERM) stops a build as cleanly as Ctrl-C: staging removed, OUT untouched
    previous_term = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return args.func(args)
    except CorpuskitError as exc:
        print(f"corpuskit: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("corpuskit: interrupted; the previous output was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous_term)


if __name__ == "__main__":
    sys.exit(main())
