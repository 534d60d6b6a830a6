"""``python -m lint_rules``: ``check``, ``fix`` and ``docs`` subcommands.

Exit status: 0 clean, 1 findings (or, for ``fix --diff`` and ``docs --check``, changes
needed), 2 usage error (one line on stderr, never a traceback).  :func:`main` takes its output
streams as arguments so that it is testable and so that only ``__main__`` touches ``sys``.
"""

from __future__ import annotations

import argparse
import difflib
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NoReturn, TextIO, TypeVar

from lint_rules import docs, report
from lint_rules.baseline import FORMAT_VERSION, Baseline, keys
from lint_rules.cache import CACHE_DIR_NAME, ResultCache
from lint_rules.catalog import VERSION
from lint_rules.config import (
    ConfigResolver,
    LintConfig,
    baseline_path,
    find_pyproject,
    read_config,
)
from lint_rules.errors import LintError, LintUsageError
from lint_rules.lookup import Lookup
from lint_rules.runner import check_paths, decode, discover, import_optional

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors by raising and prints help to the stream it was given."""

    out: TextIO | None = None

    def error(self, message: str) -> NoReturn:
        raise LintUsageError(f"{self.prog}: {message}")

    def _print_message(self, message: str, file: object = None) -> None:
        if message and self.out is not None:
            self.out.write(message)


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def build_parser(out: TextIO) -> _Parser:
    parser = _Parser(prog="python -m lint_rules", description=__doc__)
    parser.out = out
    parser.add_argument("--version", action="version", version=f"lint_rules {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="report rule violations")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=sorted(report.FORMATS), default="text")
    # Removed in 0.2.0 (one analysis decides every rule); kept only to explain the change.
    check.add_argument("--engine", default=None, help=argparse.SUPPRESS)
    check.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    check.add_argument("--no-cache", action="store_true", help="neither read nor write cache")
    check.add_argument("--cache-dir", help=f"default: {CACHE_DIR_NAME}/ in the project root")
    check.add_argument("--select", type=_codes, default=None, help="comma-separated codes")
    check.add_argument("--ignore", type=_codes, default=None, help="comma-separated codes")
    check.add_argument("--config", help="pyproject.toml to read (default: nearest to cwd)")
    check.add_argument(
        "--baseline",
        metavar="PATH",
        help="report only findings not recorded in PATH (default: [tool.lint_rules] baseline)",
    )
    check.add_argument(
        "--write-baseline", metavar="PATH", help="record every finding in PATH (adds and prunes)"
    )
    check.add_argument(
        "--prune-baseline",
        action="store_true",
        help="remove the baseline's stale entries (fixed findings); never adds any",
    )

    fix = commands.add_parser("fix", help="apply the libcst autofixes")
    fix.add_argument("paths", nargs="+", metavar="PATH")
    fix.add_argument("--diff", action="store_true", help="show the changes, do not write")
    fix.add_argument("--config", help="pyproject.toml to read (default: nearest to cwd)")

    doc = commands.add_parser("docs", help="render docs/lint-rules.md from the catalog")
    mode = doc.add_mutually_exclusive_group()
    mode.add_argument("--write", metavar="PATH", help="write the file instead of stdout")
    mode.add_argument("--check", metavar="PATH", help="exit 1 if PATH is not up to date")
    for sub in (check, fix, doc):
        sub.out = out
    return parser


def _config_for(args: argparse.Namespace) -> Callable[[str], LintConfig]:
    """Each file's settings: ``--config`` for all, else the pyproject nearest to the file."""
    select, ignore = getattr(args, "select", None), getattr(args, "ignore", None)

    def adjust(config: LintConfig) -> LintConfig:
        if select is not None:
            config = replace(config, select=select)
        if ignore is not None:
            config = replace(config, ignore=ignore)
        return config

    if args.config is not None:
        pyproject = Path(args.config)
        if not pyproject.is_file():
            raise LintUsageError(f"config file not found: {args.config}")
        fixed = adjust(read_config(pyproject))
        return lambda _path: fixed
    resolver = ConfigResolver()
    adjusted: dict[int, LintConfig] = {}

    def config_for(path: str) -> LintConfig:
        base = resolver.for_path(path)
        # Memoised by identity: the resolver hands out one object per pyproject.
        if id(base) not in adjusted:
            adjusted[id(base)] = adjust(base)
        return adjusted[id(base)]

    return config_for


def _cache(args: argparse.Namespace) -> ResultCache:
    if args.no_cache:
        return ResultCache(None)
    if args.cache_dir:
        return ResultCache(Path(args.cache_dir))
    pyproject = find_pyproject(Path.cwd())
    root = pyproject.parent if pyproject is not None else Path.cwd()
    return ResultCache(root / CACHE_DIR_NAME)


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.engine is not None:
        raise LintUsageError(
            f"check --engine {args.engine} was removed in lint_rules 0.2.0: check always runs the "
            "one analysis (the former 'ast' engine); drop --engine (libcst is used only by fix)"
        )
    if args.jobs < 1:
        raise LintUsageError("--jobs must be at least 1")
    config_for = _config_for(args)
    files = discover(args.paths)
    recorded = None if args.write_baseline else _baseline_file(args)
    if args.prune_baseline and recorded is None:
        raise LintUsageError(
            "--prune-baseline needs a baseline (--baseline PATH or [tool.lint_rules] baseline)"
        )
    # The version first: the fingerprints are made the way the baseline's version made them
    # (the rest of the file is read while the pool works).
    lookup = Lookup(recorded) if recorded is not None else None
    fingerprint = 0
    if lookup is not None:
        fingerprint = lookup.version
    elif args.write_baseline or args.format in report.FINGERPRINTED:
        fingerprint = FORMAT_VERSION
    keep = lookup.keep if lookup is not None else None
    findings, _stats = check_paths(files, config_for, _cache(args), args.jobs, fingerprint, keep)
    if args.write_baseline:
        target = Path(args.write_baseline)
        written = Baseline(target, set(keys(findings, target.parent)))
        _io(partial(target.write_text, written.text(), encoding="utf-8"), args.write_baseline)
        err.write(f"lint_rules: wrote {len(written.entries)} baseline entries to {target}\n")
        return EXIT_CLEAN
    if lookup is not None:
        _stale_entries(lookup, files, args, err)
    out.write(report.FORMATS[args.format](findings))
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def _baseline_file(args: argparse.Namespace) -> Path | None:
    """``--baseline``, else ``baseline`` in the pyproject ``--config`` names or nearest the cwd."""
    if args.baseline:
        return Path(args.baseline)
    pyproject = Path(args.config) if args.config else find_pyproject(Path.cwd())
    if pyproject is None or not pyproject.is_file():
        return None
    return baseline_path(read_config(pyproject))


def _stale_entries(
    lookup: Lookup, files: list[str], args: argparse.Namespace, err: TextIO
) -> None:
    """Count the baseline's stale entries (its new findings were kept as they arrived), or
    prune them."""
    stale = lookup.stale(files)
    if args.prune_baseline and stale:
        recorded = lookup.baseline
        recorded.entries -= stale
        path = recorded.path
        _io(partial(path.write_text, recorded.text(), encoding="utf-8"), str(path))
        err.write(f"lint_rules: pruned {len(stale)} stale baseline entries from {path}\n")
    elif stale:
        err.write(
            f"lint_rules: {len(stale)} baseline entries are stale (their findings were fixed); "
            "--prune-baseline removes them\n"
        )


FixSource = Callable[[str, str, LintConfig], str]
T = TypeVar("T")


def _io(operation: Callable[[], T], path: str) -> T:
    """Run one file operation; a failure is reported as a usage error, not a traceback."""
    try:
        return operation()
    except OSError as exc:
        raise LintUsageError(f"{path}: {exc.strerror or exc}") from exc


def _load_fixer() -> FixSource:
    module = import_optional("lint_rules.fixers", "the fixer")
    fix_source: FixSource = module.fix_source
    return fix_source


def _fix(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config_for = _config_for(args)
    fix_source = _load_fixer()
    changed = 0
    for path in discover(args.paths):
        raw = _io(Path(path).read_bytes, path)
        source = decode(raw, path)
        if not isinstance(source, str):
            err.write(f"{path}: skipped, {source.message}\n")
            continue
        fixed = fix_source(source, path, config_for(path))
        if fixed == source:
            continue
        changed += 1
        if args.diff:
            out.writelines(
                difflib.unified_diff(
                    source.splitlines(keepends=True),
                    fixed.splitlines(keepends=True),
                    fromfile=f"a/{path}",
                    tofile=f"b/{path}",
                )
            )
        else:
            _io(partial(Path(path).write_text, fixed, encoding="utf-8"), path)
            err.write(f"fixed {path}\n")
    if args.diff and changed:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = docs.render()
    if args.write:
        _io(lambda: Path(args.write).write_text(text, encoding="utf-8"), args.write)
        return EXIT_CLEAN
    if args.check:
        current = _io(lambda: Path(args.check).read_text(encoding="utf-8"), args.check)
        if current != text:
            err.write(f"{args.check} is stale: run python -m lint_rules docs --write PATH\n")
            return EXIT_FINDINGS
        return EXIT_CLEAN
    out.write(text)
    return EXIT_CLEAN


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "check": _check,
    "fix": _fix,
    "docs": _docs,
}


def main(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Run one command; returns the exit status."""
    try:
        args = build_parser(out).parse_args(list(argv))
        return COMMANDS[args.command](args, out, err)
    except LintError as exc:
        err.write(f"lint_rules: error: {exc}\n")
        return EXIT_USAGE
