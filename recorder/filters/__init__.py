"""Trace filters: 0.3.0's TOML filter language, the one mechanism for what is traced and kept.

::

    from recorder.filters import FilterChain, builtin_filter, load_user_filters
    chain = FilterChain([builtin_filter(include, exclude), *load_user_filters(paths)])

Modules: :mod:`~recorder.filters.loader` (files, validation, positions),
:mod:`~recorder.filters.selectors` (with :mod:`~recorder.filters.globs` and
:mod:`~recorder.filters.regexes`), :mod:`~recorder.filters.chain` (precedence, value policies,
counters), :mod:`~recorder.filters.builtin` (our built-in filter),
:mod:`~recorder.filters.scopes` (code objects to scope names and decisions),
:mod:`~recorder.filters.discovery` (the loading order) and :mod:`~recorder.filters.iomap`
(``[io]`` to the io-capture setting).
"""

from __future__ import annotations

from recorder.filters.builtin import builtin_filter, default_excluded_roots
from recorder.filters.chain import FilterChain, FilterStats, ScopeDecision, ValuePolicy
from recorder.filters.discovery import (
    ENV_TRACE_FILTER,
    cli_filter_paths,
    load_user_filters,
    nearest_project_filter,
    split_entries,
)
from recorder.filters.iomap import io_capture_mode
from recorder.filters.loader import load_file, parse_text
from recorder.filters.model import BUILTIN_PATH, FilterFile
from recorder.filters.scopes import ScopeFilter

__all__ = [
    "BUILTIN_PATH",
    "ENV_TRACE_FILTER",
    "FilterChain",
    "FilterFile",
    "FilterStats",
    "ScopeDecision",
    "ScopeFilter",
    "ValuePolicy",
    "builtin_filter",
    "cli_filter_paths",
    "default_excluded_roots",
    "io_capture_mode",
    "load_file",
    "load_user_filters",
    "nearest_project_filter",
    "parse_text",
    "split_entries",
]
