"""Fixtures of the output-layer tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from output_support import FaultHook

from recorder import seams


@pytest.fixture
def hook() -> Iterator[FaultHook]:
    """A recording seams hook, installed for the test and always removed afterwards."""
    installed = FaultHook()
    seams.install(installed)
    try:
        yield installed
    finally:
        seams.uninstall()
