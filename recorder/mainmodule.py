"""Run a module as ``python -m MODULE ARGS...`` would (the semantics of ``runpy``'s ``-m`` path).

:func:`find_module` resolves the name the way ``runpy._run_module_as_main`` does (a package runs
its ``__main__`` submodule; parent packages are imported to find it) and :func:`prepare_module`
installs a fresh ``__main__`` module and ``sys.argv``; :meth:`MainModule.runner` is what
:func:`recorder.script.run_code` calls: ``runpy._run_module_as_main`` itself, which fills that
``__main__`` with the module's spec (``__name__ == "__main__"``, ``__spec__``, ``__file__``,
``__loader__``, ``__package__`` as Python sets them, so a class defined there pickles as
``__main__.X`` and ``multiprocessing``'s ``spawn`` start method re-imports the module by name in
the child) and sets ``sys.argv[0]`` to the module's file. Running through runpy's own frames also
makes an uncaught exception's traceback exactly ``python -m``'s (its two ``<frozen runpy>``
lines included). ``sys.path[0]`` is the working directory.

Finding the module happens before tracing starts: the parent packages that are imported to find
it (``pkg`` for ``-m pkg.tool``, the package itself for ``-m pkg``) run untraced.
"""

from __future__ import annotations

import functools
import os
import runpy
import sys
import types
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from types import CodeType

from recorder.errors import ErrorCode, ExitCode, usage
from recorder.script import ScriptEnd, exit_status, print_exception, trim_traceback
from recorder.structs import struct

__all__ = ["MainModule", "find_module", "prepare_module"]


@struct(frozen=True)
class MainModule:
    """A module found for ``-m``: its requested name, spec and code."""

    name: str
    spec: ModuleSpec
    code: CodeType

    def runner(self) -> Callable[[], object]:
        """Run the module as ``__main__`` (the runpy function ``python -m`` runs)."""
        # A partial, not a lambda: no frame of the recorder's own sits between run_code and
        # runpy, so the program's traceback is cut exactly where python -m's starts.
        run_as_main = runpy._run_module_as_main  # type: ignore[attr-defined]
        return functools.partial(run_as_main, self.name, alter_argv=True)

    @property
    def file(self) -> str:
        """The module's source file (``sys.argv[0]`` and the trace's program)."""
        origin = self.spec.origin or self.code.co_filename
        return os.path.abspath(origin)


class _NotRunnable(ImportError):
    """What ``runpy`` raises (with its own message) for a module it cannot run."""


def find_module(name: str) -> MainModule | ScriptEnd:
    """Resolve ``name`` as ``python -m`` does, with the working directory first on ``sys.path``.

    An unknown module (or one that cannot be run, such as a package without ``__main__``) is a
    usage error ``ERR_MODULE_NOT_FOUND``. An exception raised while importing a parent package
    is the program's own failure: it is printed as Python prints it and ends the run (20).
    """
    cwd = os.getcwd()
    if sys.path:
        sys.path[0] = cwd
    else:
        sys.path.append(cwd)
    try:
        # The private helper is what ``python -m`` itself uses (3.11-3.13): same lookup rules,
        # same handling of packages and of namespace packages.
        mod_name, spec, code = runpy._get_module_details(name, _NotRunnable)  # type: ignore[attr-defined]
    except _NotRunnable as exc:
        raise usage(ErrorCode.MODULE_NOT_FOUND, f"cannot run module {name!r}: {exc}",
                    module=name) from None
    except SystemExit as exc:  # a parent package ended the program while being imported
        return ScriptEnd(exit_status(exc), "exit", None)
    except KeyboardInterrupt as exc:
        return ScriptEnd(130, "interrupted", trim_traceback(exc))
    except BaseException as exc:  # noqa: REC005 - the program's own package raised on import
        print_exception(trim_traceback(exc))
        return ScriptEnd(int(ExitCode.TARGET), "exception", exc)
    return MainModule(mod_name, spec, code)


def prepare_module(module: MainModule, args: list[str]) -> dict[str, object]:
    """Install a fresh ``__main__`` for ``module`` and set ``sys.argv``; returns its globals."""
    main = types.ModuleType("__main__")
    spec = module.spec
    main.__dict__.update({
        "__file__": module.file, "__cached__": spec.cached, "__doc__": None,
        "__loader__": spec.loader, "__package__": spec.parent, "__spec__": spec,
        "__builtins__": __builtins__,
    })
    sys.modules["__main__"] = main
    sys.argv[:] = [module.file, *args]
    return main.__dict__
