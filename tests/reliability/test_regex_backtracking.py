"""Issue 9.5: no regex in corpuskit backtracks catastrophically.

Every compiled pattern in corpuskit's modules (module globals, pattern tables,
class attributes) is checked twice: statically for the shape that backtracks
exponentially (an unbounded repeat of nothing but unbounded repeats, ``(a+)+``,
``(?:\\s*\\S*)*``), and dynamically against long adversarial strings built from the
pattern's own characters, under the per-document time limit of corpuskit.guard.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import corpuskit
from corpuskit.guard import DocumentTimeout, can_limit_time, time_limit

try:
    from re import _constants as sre_constants, _parser as sre_parse  # Python ≥ 3.11
except ImportError:  # pragma: no cover
    import sre_constants, sre_parse  # type: ignore[no-redef]

#: Seconds one search over one adversarial string may take (linear patterns take milliseconds).
SECONDS_PER_SEARCH = 1.0
LENGTH = 2000


def _patterns_in(value, found: dict, where: str, depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        found.setdefault((value.pattern, value.flags), where)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _patterns_in(key, found, where, depth + 1)
            _patterns_in(item, found, where, depth + 1)
    elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _patterns_in(item, found, where, depth + 1)


def corpuskit_patterns() -> dict[tuple, str]:
    found: dict[tuple, str] = {}
    for info in pkgutil.walk_packages(corpuskit.__path__, "corpuskit."):
        if info.name.endswith("__main__"):
            continue  # running it would start the CLI
        try:
            module = importlib.import_module(info.name)
        except Exception:  # an optional backend (ray …) that is not installed
            continue
        for name, value in vars(module).items():
            _patterns_in(value, found, f"{info.name}.{name}")
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, item in vars(value).items():
                    _patterns_in(item, found, f"{info.name}.{name}.{attr}")
    return found


RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def inline_patterns() -> dict[tuple, str]:
    """Literal patterns passed straight to re.* / regex.* calls inside functions."""
    found: dict[tuple, str] = {}
    root = Path(corpuskit.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            if not (isinstance(owner, ast.Name) and owner.id in {"re", "regex"} and node.func.attr in RE_FUNCTIONS):
                continue
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                flags = 0
                flag_arg = next((k.value for k in node.keywords if k.arg == "flags"), None)
                if flag_arg is None and node.func.attr == "compile" and len(node.args) > 1:
                    flag_arg = node.args[1]
                try:
                    flags = int(eval(compile(ast.Expression(flag_arg), "<flags>", "eval"), {"re": re})) if flag_arg is not None else 0
                except Exception:
                    flags = 0
                rel = path.relative_to(root.parent).as_posix()
                found.setdefault((node.args[0].value, flags), f"{rel}:{node.lineno}")
    return found


PATTERNS = {**inline_patterns(), **corpuskit_patterns()}
IDS = [f"{where}" for where in PATTERNS.values()]


def test_patterns_were_found():
    assert len(PATTERNS) >= 5, "the pattern collector found almost nothing: is it still looking in the right places?"


def _unbounded(item) -> bool:
    op, av = item
    return op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[1] == sre_constants.MAXREPEAT


def _only_unbounded_repeats(items) -> bool:
    items = list(items)
    while len(items) == 1 and items[0][0] == sre_constants.SUBPATTERN:
        items = list(items[0][1][-1])
    return bool(items) and all(_unbounded(item) for item in items)


def exponential_repeats(parsed) -> list[str]:
    """Unbounded repeats whose body is only unbounded repeats: ``(a+)+`` and kin."""
    problems = []
    for op, av in parsed:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            body = av[2]
            if av[1] == sre_constants.MAXREPEAT and _only_unbounded_repeats(body):
                problems.append(str(body))
            problems += exponential_repeats(body)
        elif op == sre_constants.SUBPATTERN:
            problems += exponential_repeats(av[-1])
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                problems += exponential_repeats(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            problems += exponential_repeats(av[1])
    return problems


def test_static_check_catches_the_classic_shapes():
    assert exponential_repeats(sre_parse.parse(r"(a+)+$"))
    assert exponential_repeats(sre_parse.parse(r"(?:\s*\S*)*x"))
    assert not exponential_repeats(sre_parse.parse(r"^\s*\S{1,12}(?:\s*>\s*\S{1,12}){2,}$"))


@pytest.mark.parametrize("key", list(PATTERNS), ids=IDS)
def test_no_nested_unbounded_repeats(key):
    pattern, flags = key
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        pytest.skip("a pattern of the `regex` module, which guards against backtracking itself")
    assert not exponential_repeats(parsed), f"{PATTERNS[key]}: {pattern!r}"


def compile_any(pattern: str, flags: int):
    try:
        return re.compile(pattern, flags)
    except re.error:
        import regex

        return regex.compile(pattern, flags)


def adversarial_strings(pattern: str) -> list[str]:
    """Long runs of the pattern's own characters, ending in something it cannot match."""
    own = {ch for ch in pattern if ch not in "\\()[]{}?*+|^$.:-"} | {" ", "a", "中", "\n", "1", "\u3000", "。"}
    strings = []
    for ch in sorted(own)[:24]:
        strings.append(ch * LENGTH + "\x00")
    for a, b in (("中", " "), ("a", "1"), ("中", "\n"), (" ", "\n"), ("中", "。")):
        strings.append((a + b) * (LENGTH // 2) + "\x00")
    return strings


@pytest.mark.skipif(not can_limit_time(), reason="needs SIGALRM in the main thread")
@pytest.mark.parametrize("key", list(PATTERNS), ids=IDS)
def test_no_catastrophic_backtracking_on_adversarial_input(key):
    compiled = compile_any(*key)
    for text in adversarial_strings(key[0]):
        try:
            with time_limit(SECONDS_PER_SEARCH):
                compiled.search(text)
                compiled.sub("", text[: LENGTH // 3])
        except DocumentTimeout:
            pytest.fail(f"{PATTERNS[key]}: {key[0]!r} took over {SECONDS_PER_SEARCH} s on {text[:20]!r}… ({len(text)} chars)")
