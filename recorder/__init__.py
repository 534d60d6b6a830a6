"""codetracer recorder: record a Python program's execution as a CodeTracer trace.

The public API (``start``, ``stop``, ``flush``, ``is_tracing``, ``trace``) is filled in by
``recorder.session``.
"""

__version__ = "0.1.0"
