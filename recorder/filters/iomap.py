"""``[io]`` of the filter files, mapped onto the ``--io-capture`` setting.

The last file with an ``[io]`` section decides (as 0.3.0 aggregates it). ``capture = false``
means ``off``; capturing only ``stdout``/``stderr`` means ``proxies`` (the ``sys.stdout`` /
``sys.stderr`` proxies this recorder always installs); ``stdin`` or ``files`` need raw
file-descriptor capture, ``proxies+fd``. A mode this recorder does not support yet is the usage
error ``ERR_IO_CAPTURE_UNSUPPORTED``, never ignored. This is the one place that knows the mapping:
when the ``--io-capture`` setting grows modes, only :data:`SUPPORTED_MODES` changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from recorder.errors import ErrorCode, usage
from recorder.filters.model import FilterFile

__all__ = ["SUPPORTED_MODES", "io_capture_mode"]

#: The ``--io-capture`` modes this recorder implements today.
SUPPORTED_MODES = ("proxies",)


def io_capture_mode(files: Sequence[FilterFile]) -> str | None:
    """The io-capture mode the filters ask for (``None``: they do not say), or a usage error."""
    chosen = next((item for item in reversed(files) if item.io is not None), None)
    if chosen is None or chosen.io is None:
        return None
    io = chosen.io
    if not io.capture:
        mode = "off"
    elif set(io.streams) <= {"stdout", "stderr"}:
        mode = "proxies"
    else:
        mode = "proxies+fd"
    if mode not in SUPPORTED_MODES:
        raise usage(ErrorCode.IO_CAPTURE_UNSUPPORTED,
                    f"trace filter {chosen.path}: [io] asks for io capture {mode!r}, which this "
                    "recorder does not support yet: remove the [io] section (sys.stdout and "
                    "sys.stderr writes are always captured)")
    return mode
