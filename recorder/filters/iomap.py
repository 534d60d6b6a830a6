"""``[io]`` of the filter files, mapped onto the ``--io-capture`` setting.

The last file with an ``[io]`` section decides (as 0.3.0 aggregates it). ``capture = false``
means ``off``; capturing only ``stdout``/``stderr`` means ``proxies`` (the ``sys.stdout`` /
``sys.stderr`` proxies this recorder always installs); ``stdin`` or ``files`` need raw
file-descriptor capture, ``proxies+fd``. This is the one place that knows the mapping. The mode
is one source of the ``--io-capture`` setting (:func:`recorder.compat.resolve_io_capture`): the
flag and ``CODETRACER_CAPTURE_IO`` win over it, and it wins over the default.
"""

from __future__ import annotations

from collections.abc import Sequence

from recorder.filters.model import FilterFile
from recorder.iomode import OFF, PROXIES, PROXIES_FD

__all__ = ["io_capture_mode"]


def io_capture_mode(files: Sequence[FilterFile]) -> str | None:
    """The io-capture mode the filters ask for (``None``: they do not say)."""
    chosen = next((item for item in reversed(files) if item.io is not None), None)
    if chosen is None or chosen.io is None:
        return None
    io = chosen.io
    if not io.capture:
        return OFF
    if set(io.streams) <= {"stdout", "stderr"}:
        return PROXIES
    return PROXIES_FD
