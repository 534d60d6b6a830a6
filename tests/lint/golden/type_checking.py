# ruff: noqa
# Golden file: code under `if TYPE_CHECKING:` never runs and is skipped; `else` is checked.
import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recorder.errors import UsageError

    print("never runs")
    assert True
    raise ValueError("never runs")
else:
    print("runs")  # REC001

if typing.TYPE_CHECKING:
    import sys

    sys.exit(3)


def f():
    if TYPE_CHECKING:
        try:
            pass
        except Exception:
            pass
    raise UsageError("imports under TYPE_CHECKING still bind names")
