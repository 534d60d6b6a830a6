"""Which filter files apply, in 0.3.0's loading order.

1. the built-in filter (:mod:`recorder.filters.builtin`, always first);
2. the nearest ``.codetracer/trace-filter.toml``, walking up from the script's directory (for
   ``-m MODULE``, from the working directory);
3. on the command line: the ``CODETRACER_TRACE_FILTER`` entries, then the ``--trace-filter``
   entries (repeatable; inside one value, entries are separated by ``::``), so flags win.

Auto-start reads only the environment variable, the API only its ``trace_filter=`` argument
(neither discovers a project filter: 0.3.0's do not either). Each file is loaded here, before
anything is traced, so a bad file is a usage error with nothing written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from recorder.filters.loader import load_file
from recorder.filters.model import FilterFile

__all__ = [
    "ENV_TRACE_FILTER",
    "PROJECT_FILTER",
    "cli_filter_paths",
    "load_user_filters",
    "nearest_project_filter",
    "split_entries",
]

ENV_TRACE_FILTER = "CODETRACER_TRACE_FILTER"
PROJECT_FILTER = os.path.join(".codetracer", "trace-filter.toml")


def split_entries(values: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
                  ) -> list[str]:
    """Paths from one value or several, each split at ``::`` (empty entries are ignored)."""
    if values is None:
        return []
    items = [values] if isinstance(values, str | os.PathLike) else list(values)
    return [entry.strip() for item in items for entry in os.fspath(item).split("::")
            if entry.strip()]


def nearest_project_filter(start: str) -> str | None:
    """The nearest ``.codetracer/trace-filter.toml`` in ``start`` or a parent directory."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, PROJECT_FILTER)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def cli_filter_paths(
    program_dir: str, flags: Sequence[str] | None, env: Mapping[str, str],
) -> list[str]:
    """The user filter files of a command-line run, in loading order (see the docstring)."""
    paths: list[str] = []
    project = nearest_project_filter(program_dir)
    if project is not None:
        paths.append(project)
    paths += split_entries(env.get(ENV_TRACE_FILTER))
    paths += split_entries(flags)
    return paths


def load_user_filters(paths: Sequence[str]) -> tuple[FilterFile, ...]:
    """Each file loaded and validated (raises the first file's ``UsageError``)."""
    return tuple(load_file(path, source=index) for index, path in enumerate(paths, start=1))
