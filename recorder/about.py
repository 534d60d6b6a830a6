"""Facts about the recorder itself: its version, its name in trace metadata, its package root.

A bottom module (it imports nothing from the project), so that modules below the package face
never import ``recorder/__init__.py`` to read ``__version__`` or ``__file__``.
"""

from __future__ import annotations

import os

__all__ = ["PACKAGE_ROOT", "RECORDER_NAME", "VERSION"]

#: The package version (also ``recorder.__version__``).
VERSION = "0.1.0"
#: The recorder's name in ``trace_metadata.json``.
RECORDER_NAME = "codetracer-recorder-errors"
#: The directory of the ``recorder`` package: its own frames are never traced.
PACKAGE_ROOT = os.path.dirname(os.path.abspath(__file__))
