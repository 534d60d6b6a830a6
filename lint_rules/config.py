"""Where the façade lives and which modules may print, exit or assert: the rules' only inputs.

``lint_rules`` imports nothing from the project it checks; it learns the project's layout from
``[tool.lint_rules]`` in the nearest ``pyproject.toml`` (kebab-case keys, the same settings as the
flake8 options ``--rec-facade-modules`` ...).  Module names are matched as prefixes on dot
boundaries, so ``recorder.errors`` also covers ``recorder.errors.kinds``.
"""

from __future__ import annotations

import fnmatch
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath

from lint_rules.errors import ConfigError

DEFAULT_TEST_PATHS = ("tests/*", "test_*.py", "*_test.py", "conftest.py")


@dataclass(frozen=True)
class LintConfig:
    """Settings for one run.  Tuples hold dotted module names, except ``test_paths`` (globs)."""

    facade_modules: tuple[str, ...] = ("recorder.errors",)
    output_modules: tuple[str, ...] = ()
    entry_modules: tuple[str, ...] = ()
    test_paths: tuple[str, ...] = DEFAULT_TEST_PATHS
    # Qualified function names (``pkg.guard.contain`` or ``pkg.guard.Guard.run``) where REC005 is
    # allowed: the one containment guard the ADR permits to swallow errors.
    guard_functions: tuple[str, ...] = ()
    # Rule codes to run; empty means all.  ``ignore`` wins over ``select``.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # The directory module names are computed against (the pyproject's directory); None = cwd.
    root: str | None = None
    # The baseline file (relative to ``root``): findings recorded in it are not reported.
    baseline: str | None = None

    def enabled(self, code: str) -> bool:
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        return not self.select or any(code.startswith(prefix) for prefix in self.select)

    def fingerprint(self) -> str:
        """A stable text identifying the settings that change findings (for the result cache)."""
        parts = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)]
        return ";".join(parts)


# pyproject key -> LintConfig field.
_KEYS = {
    "facade-modules": "facade_modules",
    "output-modules": "output_modules",
    "entry-modules": "entry_modules",
    "test-paths": "test_paths",
    "guard-functions": "guard_functions",
    "select": "select",
    "ignore": "ignore",
}


def _string_tuple(key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"[tool.lint_rules] {key} must be a list of strings, got {value!r}")
    return tuple(item.strip() for item in value if item.strip())


def config_from_mapping(table: Mapping[str, object], root: str | None = None) -> LintConfig:
    """Build a config from a ``[tool.lint_rules]`` table; unknown keys are a usage error."""
    values: dict[str, object] = {}
    for key, value in table.items():
        if key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"[tool.lint_rules] baseline must be a path, got {value!r}")
            values["baseline"] = value
            continue
        field_name = _KEYS.get(key) or _KEYS.get(key.replace("_", "-"))
        if field_name is None:
            known = ", ".join(sorted([*_KEYS, "baseline"]))
            raise ConfigError(f"[tool.lint_rules] unknown key {key!r} (known: {known})")
        values[field_name] = _string_tuple(key, value)
    return replace(LintConfig(root=root), **values)  # type: ignore[arg-type]


def baseline_path(cfg: LintConfig) -> Path | None:
    """The configured baseline file, anchored at the pyproject's directory."""
    if cfg.baseline is None:
        return None
    return config_root(cfg) / cfg.baseline


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (a file or directory)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> LintConfig:
    """Read ``[tool.lint_rules]`` from the nearest pyproject.toml; defaults if there is none."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return LintConfig()
    return read_config(pyproject)


class ConfigResolver:
    """Per-file configuration: the nearest pyproject.toml above each file, memoised per directory.

    This is how a monorepo with several projects (or a test making throwaway projects) gets the
    right settings in one run; a single-project run reads one file once.
    """

    def __init__(self) -> None:
        self._by_dir: dict[Path, LintConfig] = {}
        self._by_file: dict[Path, LintConfig] = {}

    def for_path(self, path: str) -> LintConfig:
        directory = Path(path).resolve().parent
        found = self._by_dir.get(directory)
        if found is None:
            pyproject = find_pyproject(directory)
            if pyproject is None:
                found = LintConfig()
            else:
                found = self._by_file.get(pyproject) or read_config(pyproject)
                self._by_file[pyproject] = found
            self._by_dir[directory] = found
        return found


def read_config(pyproject: Path) -> LintConfig:
    """``[tool.lint_rules]`` of one TOML file (any name); module names are relative to its dir."""
    try:
        with pyproject.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {pyproject}: {exc}") from exc
    tool = data.get("tool", {})
    table = tool.get("lint_rules", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.lint_rules] must be a table")
    return config_from_mapping(table, root=str(pyproject.resolve().parent))


# Memoised: a file's role asks for it twice (module name, test path), and resolving costs
# system calls.
@functools.lru_cache(maxsize=4096)
def _relative_posix(path: str, root: Path | None) -> PurePosixPath:
    candidate = Path(path)
    if root is not None and path not in ("-", "stdin", "<stdin>"):
        # Relative paths are relative to the cwd, which need not be the project root.
        resolved, base = candidate.resolve(), root.resolve()
        if resolved.is_relative_to(base):
            candidate = resolved.relative_to(base)
    text = candidate.as_posix()
    while text.startswith("./"):
        text = text[2:]
    return PurePosixPath(text)


def module_name_for(path: str, root: Path | None = None) -> str:
    """``recorder/errors/__init__.py`` -> ``recorder.errors``; ``pkg/module.py`` -> ``pkg.module``.

    Paths are taken relative to ``root`` when they are absolute and below it; leading ``..``,
    ``src/`` layouts and stdin (``-``/``<stdin>``) are handled well enough for prefix matching.
    """
    rel = _relative_posix(path, root)
    parts = [part for part in rel.parts if part not in ("", ".", "..", "/")]
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if not parts:
        return ""
    last = parts[-1]
    for suffix in (".pyi", ".py"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    parts[-1] = last
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(part for part in parts if part.isidentifier())


def package_of(module: str, path: str) -> str:
    """The package relative imports in ``module`` resolve against."""
    if path.endswith("__init__.py") or path.endswith("__init__.pyi"):
        return module
    return module.rpartition(".")[0]


def module_matches(module: str, prefixes: Iterable[str]) -> bool:
    """``module`` is one of ``prefixes`` or inside one of them (dot boundary)."""
    return any(module == p or module.startswith(p + ".") for p in prefixes if p)


def config_root(cfg: LintConfig) -> Path:
    """The directory module names are relative to: the pyproject's directory, else the cwd."""
    return Path(cfg.root) if cfg.root else Path.cwd()


def _module(path_or_module: str, cfg: LintConfig) -> str:
    if path_or_module.endswith((".py", ".pyi")) or "/" in path_or_module or "\\" in path_or_module:
        return module_name_for(path_or_module, config_root(cfg))
    return path_or_module


def is_facade(path_or_module: str, cfg: LintConfig) -> bool:
    return module_matches(_module(path_or_module, cfg), cfg.facade_modules)


def is_output_module(path_or_module: str, cfg: LintConfig) -> bool:
    return module_matches(_module(path_or_module, cfg), cfg.output_modules)


def is_entry_module(path_or_module: str, cfg: LintConfig) -> bool:
    return module_matches(_module(path_or_module, cfg), cfg.entry_modules)


def is_test_path(path: str, cfg: LintConfig) -> bool:
    """Glob match against the root-relative path, its basename, and every path suffix.

    ``tests/*`` therefore matches ``tests/a/b.py`` and ``/abs/repo/tests/x.py`` alike (fnmatch's
    ``*`` crosses ``/``), and ``test_*.py`` matches a test file in any directory.
    """
    rel = _relative_posix(path, config_root(cfg))
    parts = rel.parts
    candidates = {"/".join(parts[i:]) for i in range(len(parts))}
    return any(fnmatch.fnmatchcase(c, pattern) for pattern in cfg.test_paths for c in candidates)
