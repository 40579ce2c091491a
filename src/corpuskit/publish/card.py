"""The dataset card (``OUT/README.md``), generated from the build's own figures.

The YAML header is what the Hub and ``datasets`` read: ``configs`` (where the
data files are), ``dataset_info`` (typed features, split sizes), language,
license, task and size categories.  The body follows the Hugging Face dataset
card template (summary, structure, creation, limitations, citation) and every
number in it comes from this build, so the card never goes stale.  The card is
deterministic: no timestamps, no absolute paths, nothing from outside the build.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import __version__
from .schema import FIELD_DESCRIPTIONS, JSONL_AS_JSON, SCHEMA, features
from .stats import LENGTH_BUCKETS, PublishStats, length_bucket

#: Stages in pipeline order (the provenance table is sorted by it).
STAGE_ORDER = ("read", "clean", "layout", "normalize", "dedup", "publish")
#: At most this many rules are listed in the card; the rest are counted.
MAX_RULES_LISTED = 40
#: Strings in the example record are cut to this many characters.
EXAMPLE_CHARS = 120


@dataclass(frozen=True)
class CardInfo:
    """What the card says about the dataset as a whole (not figures of the build)."""

    pretty_name: str = "Cleaned Chinese news corpus"
    # The texts are news articles: their copyright stays with the publishers, so
    # corpuskit cannot declare a license for them; the publisher of the dataset should.
    license: str = "unknown"
    citation_key: str = "corpuskit_chinese_news"
    #: The Hub repo the card is published to (set by ``corpuskit publish``), for the usage
    #: snippet and the citation.
    repo_id: str | None = None


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` value for ``n`` records."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
              (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
    for bound, label in bounds:
        if n < bound:
            return label
    return "n>1B"


def data_glob(output_format: str) -> str:
    return "data/train-*." + ("parquet" if output_format == "parquet" else "jsonl")


def card_header(stats: PublishStats, config, download_size: int, info: CardInfo) -> dict:
    """The YAML header as a dict, ``dataset_info`` serialised by ``datasets`` itself."""
    from datasets.info import DatasetInfo

    output_format = getattr(config, "output_format", "parquet")
    from datasets.splits import SplitDict, SplitInfo

    splits = SplitDict()
    splits.add(SplitInfo(name="train", num_bytes=stats.num_bytes, num_examples=stats.records))
    dataset_info = DatasetInfo(
        features=features(output_format), splits=splits, download_size=download_size, dataset_size=stats.num_bytes
    )._to_yaml_dict()
    return {
        "language": ["zh"],
        "license": info.license,
        "pretty_name": info.pretty_name,
        "size_categories": [size_category(stats.records)],
        "task_categories": ["text-generation"],
        "task_ids": ["language-modeling"],
        "annotations_creators": ["no-annotation"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "tags": ["news", "chinese", "deduplicated", "corpuskit"],
        "configs": [
            {"config_name": "default", "data_files": [{"split": "train", "path": data_glob(output_format)}]}
        ],
        "dataset_info": dataset_info,
        # the settings the card's text depends on, so `corpuskit publish` can render it again
        "corpuskit": {
            "version": __version__,
            "opencc_config": getattr(config, "opencc_config", "t2s"),
            "dedup_threshold": getattr(config, "dedup_threshold", 0.8),
            "output_format": output_format,
        },
    }


# ----------------------------------------------------------------------------- helpers


def _n(value: int) -> str:
    return f"{value:,}"


def _share(part: int, whole: int) -> str:
    return f"{_n(part)} of {_n(whole)} ({100 * part / whole:.0f}%)" if whole else "0"


def _cell(value) -> str:
    """A value safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: tuple, rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _type_name(arrow_type) -> str:
    """``list<struct{path: string, …}>`` — the feature type as a reader thinks of it."""
    import pyarrow as pa

    if pa.types.is_list(arrow_type):
        return f"list<{_type_name(arrow_type.value_type)}>"
    if pa.types.is_struct(arrow_type):
        return "struct{" + ", ".join(f"{f.name}: {_type_name(f.type)}" for f in arrow_type) + "}"
    return {"double": "float64"}.get(str(arrow_type), str(arrow_type))


def _shorten(value):
    """The example record with long strings and lists cut, so the card stays readable."""
    if isinstance(value, str):
        return value if len(value) <= EXAMPLE_CHARS else value[:EXAMPLE_CHARS] + f"… ({len(value):,} chars)"
    if isinstance(value, list):
        items = [_shorten(v) for v in value[:3]]
        if len(value) > 3:
            items.append(f"… ({len(value) - 3} more)")
        return items
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


#: How the card names each source kind in prose.
KIND_PHRASES = {"portal": "news portal pages", "forum": "forum threads", "newspaper_page": "newspaper pages",
                "article": "plain articles", "html": "other HTML pages"}


def _kinds_phrase(kinds: dict) -> str:
    """`` — news portal pages, forum threads and plain articles —`` for the kinds this build read."""
    names = [KIND_PHRASES.get(kind, kind) for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])) if n]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" — {listed} —"


def _rule_rows(stats: PublishStats) -> tuple[list[tuple], int]:
    def order(key):
        stage, rule = key
        rank = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)
        return (rank, stage, -stats.rule_records[key], rule)

    keys = sorted(stats.rule_records, key=order)
    rows = [(stage, f"`{rule}`", _n(stats.rule_records[(stage, rule)]), _n(stats.rule_counts[(stage, rule)]))
            for stage, rule in keys[:MAX_RULES_LISTED]]
    return rows, max(0, len(keys) - MAX_RULES_LISTED)


# ----------------------------------------------------------------------------- body


def card_body(stats: PublishStats, summary: dict, config, info: CardInfo,
              folder_files: list[str] | None = None) -> str:
    """The Markdown body; ``folder_files`` are the folder's files outside data/ (relative)."""
    records, files = stats.records, summary.get("files_read", 0)
    rejected = summary.get("rejected", {})
    statuses = summary.get("ledger_statuses", {})
    chars_before, chars_after = summary.get("chars_before", 0), summary.get("chars_after", stats.chars)
    opencc = getattr(config, "opencc_config", "t2s")
    threshold = getattr(config, "dedup_threshold", 0.8)
    output_format = getattr(config, "output_format", "parquet")
    kinds = sorted(set(stats.records_by_kind) | set(stats.sources_by_kind) | set(summary.get("source_kinds", {})))

    out: list[str] = []
    add = out.append

    add(f"# Dataset Card for {info.pretty_name}\n")
    add(
        f"{_n(records)} Chinese news texts ({_n(stats.chars)} characters) made from {_n(files)} raw scraped "
        f"files{_kinds_phrase(summary.get('source_kinds') or stats.sources_by_kind)} by "
        f"corpuskit {__version__}: boilerplate removed, layout repaired, "
        + ("" if opencc == "none" else "converted to Simplified Chinese, ")
        + "normalised, reprints merged. Every record says where it came from "
        f"(`sources`) and what cleaning did to it (`actions`).\n"
    )

    add("## Dataset Details\n")
    add("### Dataset Description\n")
    add(f"- **Curated by:** built with corpuskit {__version__} (`corpuskit build`)")
    add("- **Language(s) (NLP):** Chinese (`zh`), "
        + ("scripts as found (no conversion)" if opencc == "none" else
           f"Simplified script (converted with OpenCC `{opencc}`)"))
    add(f"- **License:** `{info.license}` — see [License](#license)")
    add(f"- **Size:** {_n(records)} records, {_n(stats.chars)} characters, one split (`train`)")
    if stats.first_date:
        span = stats.first_date if stats.first_date == stats.last_date else f"{stats.first_date} to {stats.last_date}"
        add(f"- **Dates covered:** {span} (where known)")
    add("")
    add("### Dataset Sources\n")
    add(_table(("source kind", "raw inputs (sources)", "published records"),
               [(k, _n(stats.sources_by_kind.get(k, 0)), _n(stats.records_by_kind.get(k, 0))) for k in kinds]))
    add("\nA record's kind is the kind of its first source. "
        f"{_share(stats.with_url, records)} records have a source URL.\n")

    add("## Uses\n")
    add("### Direct Use\n")
    add("Language-model pre-training and evaluation on Chinese news, text classification by section, "
        "and research on news reprinting (`sources`, `overlaps`).\n")
    add("```python\nimport datasets\n\n"
        + (f"ds = datasets.load_dataset(\"{info.repo_id}\", split=\"train\")\n" if info.repo_id else
           "ds = datasets.load_dataset(\"path/to/this/folder\", split=\"train\")  # or the Hub repo id\n")
        + "print(ds[0][\"title\"], ds[0][\"text\"][:100])\n```\n")
    add("### Out-of-Scope Use\n")
    add("Not a source of verified facts: the texts are news as published, unchecked. Not for "
        "re-publishing the articles: their copyright stays with the publishers.\n")

    add("## Dataset Structure\n")
    add(f"One split, `train`, of {_n(records)} records in "
        + ("Parquet" if output_format == "parquet" else "JSON Lines")
        + f" files under `data/` ({_n(stats.num_bytes)} bytes in memory). Fields:\n")
    rows = []
    for f in SCHEMA:
        present = "all" if records and stats.coverage[f.name] == records else _share(stats.coverage[f.name], records)
        rows.append((f"`{f.name}`", f"`{_type_name(f.type)}`", FIELD_DESCRIPTIONS[f.name], present))
    add(_table(("field", "type", "meaning", "records with a value"), rows))
    add("")
    if output_format == "jsonl" and JSONL_AS_JSON:
        names = ", ".join(f"`{name}`" for name in JSONL_AS_JSON)
        add(f"In this JSON Lines export {names} is a plain string in the files but declared with the `json` "
            "feature type: pyarrow's JSON reader, which `datasets` uses, would otherwise read ISO dates as "
            "timestamps and change them. `datasets` returns the same strings.\n")
    if stats.example is not None:
        add("An example record of this build, the first with the most metadata (long strings and lists "
            "shortened):\n")
        add("```json\n" + json.dumps(_shorten(stats.example), ensure_ascii=False, indent=2) + "\n```\n")
    add("Text length (characters):\n")
    buckets = [length_bucket(b - 1) for b in LENGTH_BUCKETS] + [length_bucket(LENGTH_BUCKETS[-1])]
    add(_table(("characters", "records"), [(b, _n(stats.length_histogram.get(b, 0))) for b in buckets]))
    if records:
        add(f"\nShortest {_n(stats.min_chars or 0)}, longest {_n(stats.max_chars)}, "
            f"mean {stats.chars / records:,.0f} characters.\n")
    else:
        add("")

    add("## Dataset Creation\n")
    add("### Curation Rationale\n")
    add("Scraped news pages carry navigation, share buttons, forum chrome, hard-wrapped lines, mixed "
        "scripts and many reprints of one story. This dataset keeps the articles and drops the rest, "
        "and keeps a record of every change so any text can be traced back to its raw file.\n")
    add("### Source Data\n")
    add("#### Data Collection and Processing\n")
    add("`corpuskit build` ran read → clean → normalise → dedup → publish:\n")
    add("1. **Read**: files found recursively (text, Markdown, HTML, JSON Lines, gzip); encodings detected; "
        "each file's kind (portal, forum, newspaper page, article, HTML) detected.")
    add("2. **Clean**: HTML to text; portal and forum boilerplate removed; headline, byline, date and "
        "captions moved into metadata; newspaper pages split into articles; wrapped lines rejoined.")
    add("3. **Normalise**: "
        + ("no script conversion; " if opencc == "none" else f"Traditional → Simplified with OpenCC `{opencc}`; ")
        + "punctuation and Unicode normalised (full-width/half-width, invisible characters).")
    add(f"4. **Deduplicate**: exact and near duplicates (MinHash, threshold {threshold}) merged into one "
        "record listing every source; partial overlaps below the threshold kept and listed in `overlaps`.")
    add("5. **Publish**: dates to ISO 8601; records written in input order; this card generated.\n")
    add("Figures of this build:\n")
    figures = [
        ("raw input files", _n(files)),
        *((f"rejected: `{reason}`", _n(n)) for reason, n in sorted(rejected.items())),
        ("records produced (after splitting pages)", _n(summary.get("records_produced", records))),
        ("documents merged into another record", _n(summary.get("documents_merged", 0))),
        ("records published", _n(records)),
        ("records made of several sources", _n(stats.merged_records)),
        ("records with partial overlaps", _n(stats.with_overlaps)),
        ("characters before cleaning", _n(chars_before)),
        ("characters after", _n(chars_after)),
    ]
    if chars_before:
        figures.append(("characters kept", f"{100 * chars_after / chars_before:.1f}%"))
    add(_table(("", "count"), figures))
    if rejected:
        add("\nRejections count files, or single lines of JSON Lines files (the file's other lines still count).")
    if statuses:
        add("\nWhat became of each raw file (`ledger.jsonl`): "
            + ", ".join(f"{_n(n)} {status}" for status, n in sorted(statuses.items())) + ".\n")
    else:
        add("")
    scripts = ", ".join(f"{_n(n)} {script}" for script, n in sorted(stats.scripts.items()))
    if scripts:
        add(f"Original script of the records: {scripts}.\n")
    rule_rows, more = _rule_rows(stats)
    if rule_rows:
        add("Cleaning provenance — the rules that changed records in this build (each record's `actions` "
            "has the details):\n")
        add(_table(("stage", "rule", "records changed", "changes"), rule_rows))
        add(f"\n… and {more} more rules.\n" if more else "")
    add("#### Who are the source data producers?\n")
    add("Chinese news publishers, portals and forum users, as named in `publication`, `author` and the "
        "source URLs. corpuskit does not know who scraped the raw files.\n")
    add("### Annotations\n")
    add("None. All metadata is extracted from the documents by rules.\n")
    add("### Personal and Sensitive Information\n")
    add("News articles name people; forum posts carry user names (kept in `author`). Nothing was "
        "anonymised.\n")

    add("## Bias, Risks, and Limitations\n")
    if not records:
        add("- This build has no records (every input was rejected): the data file holds only the schema, and "
            "`datasets` cannot load an empty split.")
    missing = [f"`{name}` known for {_share(stats.coverage[name], records)} records"
               for name in ("title", "author", "date", "publication") if stats.coverage[name] < records]
    if missing:
        add("- Metadata is incomplete: " + "; ".join(missing) + ".")
    add("- Cleaning is rule-based: some boilerplate may remain and, rarely, a sentence of the article may "
        "have been removed; `actions` shows what was removed from each record.")
    if opencc != "none":
        add(f"- Script conversion (OpenCC `{opencc}`) can mis-convert some names and regional terms; "
            "`original_script` says which records were converted.")
    add(f"- Near-duplicate detection is approximate (MinHash, threshold {threshold}): a few reprints may "
        "remain as separate records (see `overlaps`), and merged records keep one text.")
    add("- The selection of sources reflects whatever was scraped, not a balanced sample of Chinese news.")
    if rejected:
        add(f"- {_n(sum(rejected.values()))} raw inputs were rejected (see the figures above and "
            "`ledger.jsonl`).")
    add("")
    add("### Recommendations\n")
    add("Filter on `num_chars`, `sources.kind` or `date` for your use; check the license of each "
        "publisher before redistributing texts.\n")

    add("## License\n")
    add(f"Declared license: `{info.license}`. The texts are news articles and forum posts whose copyright "
        "belongs to their publishers and authors; this dataset does not grant rights to them. The code "
        "that built it (corpuskit) is Apache-2.0.\n")

    add("## Citation\n")
    add("**BibTeX:**\n")
    add("```bibtex\n"
        f"@misc{{{info.citation_key},\n"
        f"  title        = {{{{{info.pretty_name}}}}},\n"
        f"  note         = {{Built with corpuskit {__version__} from {files} raw files, {records} records}},\n"
        + (f"  howpublished = {{\\url{{https://huggingface.co/datasets/{info.repo_id}}}}}\n" if info.repo_id
           else "  howpublished = {Hugging Face dataset}\n")
        + "}\n```\n")

    add("## More Information\n")
    what = {
        "ledger.jsonl": "one line per raw input file: kept, merged, split or rejected, and why",
        "build_summary.json": "the figures above, machine-readable",
    }
    rows = [("`data/`", "the records")]
    rows += [(f"`{name}`", what[name]) for name in what if folder_files is None or name in folder_files]
    reports = sorted(f.split("/", 1)[1] for f in folder_files or () if f.startswith("reports/"))
    if reports:
        rows.append(("`reports/`", "dedup decisions: " + ", ".join(f"`{r}`" for r in reports)))
    add(_table(("file", "what"), rows))
    add("")
    add("## Dataset Card Authors\n")
    add("Generated by corpuskit from this build's figures; edit the generator, not this file.")
    return "\n".join(out) + "\n"


def render_card(stats: PublishStats, summary: dict, config=None, download_size: int = 0,
                info: CardInfo | None = None, files: list[str] | None = None) -> str:
    info = info or CardInfo()
    header = yaml.safe_dump(
        card_header(stats, config, download_size, info), sort_keys=False, allow_unicode=True, width=1000
    )
    return f"---\n{header}---\n\n" + card_body(stats, summary, config, info, files)


def _folder_files(out_dir: Path) -> list[str]:
    """The folder's files outside data/ (relative; hidden ones left out), for the card's file table."""
    return sorted(
        rel.as_posix() for rel in (p.relative_to(out_dir) for p in out_dir.rglob("*") if p.is_file())
        if rel.parts[0] != "data" and not any(part.startswith(".") for part in rel.parts)
    )


def write_readme(out_dir: Path, config, summary: dict, stats: PublishStats | None = None,
                 info: CardInfo | None = None) -> Path:
    """Write ``out_dir/README.md`` for the data files already in ``out_dir/data``.

    ``stats`` are the writer's; without them they are recomputed from the data files.
    """
    out_dir = Path(out_dir)
    if stats is None:
        stats = PublishStats.from_folder(out_dir)
    output_format = getattr(config, "output_format", "parquet")
    suffix = ".parquet" if output_format == "parquet" else ".jsonl"
    download_size = sum(p.stat().st_size for p in (out_dir / "data").glob("train-*" + suffix))
    path = out_dir / "README.md"
    files = _folder_files(out_dir)
    path.write_text(render_card(stats, summary, config, download_size, info, files), encoding="utf-8")
    return path


def read_card_header(out_dir: Path) -> dict:
    """The YAML header of ``out_dir/README.md`` (empty when there is none)."""
    text = (Path(out_dir) / "README.md").read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {} if end > 0 else {}


def rewrite_readme(out_dir: Path, info: CardInfo, target_dir: Path | None = None) -> Path:
    """Render the card of a finished folder again with other ``info`` (license, name, repo).

    The figures are recounted from the folder's data files and ``build_summary.json``,
    the build settings read from the card's ``corpuskit`` block; with the default
    ``info`` the result equals the card the build wrote.  ``target_dir`` (default
    ``out_dir``) gets the new README.md.
    """
    from ..config import BuildConfig
    from ..errors import BuildError

    out_dir = Path(out_dir)
    try:
        settings = read_card_header(out_dir).get("corpuskit")
        summary = json.loads((out_dir / "build_summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise BuildError(f"cannot read the card or build_summary.json of {out_dir}: {exc}; rebuild it") from exc
    if not isinstance(settings, dict):
        raise BuildError(f"{out_dir}/README.md was not written by this corpuskit (no `corpuskit` block): rebuild it")
    config = BuildConfig(
        opencc_config=settings.get("opencc_config", "t2s"),
        dedup_threshold=settings.get("dedup_threshold", 0.8),
        output_format=settings.get("output_format", "parquet"),
    )
    stats = PublishStats.from_folder(out_dir)
    target_dir = Path(target_dir or out_dir)
    suffix = ".parquet" if config.output_format == "parquet" else ".jsonl"
    download_size = sum(p.stat().st_size for p in (out_dir / "data").glob("train-*" + suffix))
    files = _folder_files(out_dir)
    path = target_dir / "README.md"
    path.write_text(render_card(stats, summary, config, download_size, info, files), encoding="utf-8")
    return path
