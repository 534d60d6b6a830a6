"""What the rules mean, as data: the tables and decisions the one analysis implements.

The analysis reduces every question to *qualified names* ("may refer to" semantics,
flow-insensitive, like pyflakes' binding tables): a name bound anywhere in the first scope of
its lookup chain (function scopes skip class scopes) refers to those bindings; a name bound
nowhere refers to ``builtins.<name>``.  ``import a.b as m; m.C`` is ``a.b.C``; relative imports
are resolved against the current package.  Bindings inside ``if TYPE_CHECKING:`` count for
resolution, but no finding is reported inside such a block (its ``else`` branch is checked).

Classification of an exception expression ``E`` (``raise E``, ``raise E(...)``, ``except E``;
a call is reduced to its callee; a tuple in ``except`` to its elements):

* **typed**: some qualified name of ``E`` is a façade module or inside one
  (:func:`is_facade_name`), or ``E`` is a Name that may refer to a class of this file with a typed
  base (bases are classified the same way, recursively);
* otherwise **untyped** when ``E`` may refer to a builtin (``builtins.X``), to an imported name, or
  to a class of this file (for ``a.b.C`` chains: when the root ``a`` is an import);
* ``raise name`` inside an ``except T as name`` clause of the same function (innermost such
  clause) is classified like ``T`` before anything else: typed if every type in ``T`` is typed,
  untyped if some type is untyped (or the clause is bare), else unknown;
* otherwise, when ``E`` is a Name bound by ``except T as E`` clauses elsewhere, it is classified
  like the union of those ``T`` (untyped if any is untyped, typed if all are typed);
* otherwise **unknown** (parameters, local variables, ``self.error``, calls of calls, functions
  defined in this file): never reported, because the engines cannot know what it holds.

Decisions per rule (``allowed`` = no finding):

* REC001: a call whose callee refers to ``builtins.print``.  ``print(..., file=sys.stdout)``
  (or ``sys.__stdout__``) is REC006 instead.
* REC002: every ``assert`` statement outside test paths.
* REC003: ``raise`` of an untyped exception, except inside the façade and the protocol exemptions
  (:data:`PROTOCOL_EXCEPTIONS`, keyed by the name of the nearest enclosing ``def``; module level
  ``__getattr__`` counts too; ``NotImplementedError`` in any function decorated with a decorator
  spelled ``...abstractmethod``, and in a method -- a ``def`` directly in a class body -- whose
  whole body is ``raise NotImplementedError[(...)]`` after an optional docstring, the placeholder
  idiom).  The exemption applies to builtin exceptions only.
* REC004: a bare ``raise`` whose innermost enclosing ``except`` clause *in the same function*
  is bare (``except:``) or catches at least one untyped type.  A bare ``raise`` outside any
  handler is unknown and not reported.  Not reported inside the façade.
* REC005: an ``except`` clause that is bare or catches ``builtins.Exception``/``BaseException``
  (alone or in a tuple) and whose body (not counting nested ``def``/``class``/``lambda``) has no
  ``raise`` statement and no call of a typed (façade) callable, e.g. ``translate(exc)``; a call
  that is the value of a ``return`` does not count (``return bug(...)`` hands the error back
  as a value: it swallows).
  Allowed inside the configured guard functions (qualified ``module.Class.func``; nested
  functions inside a guard are allowed too).
* REC006: a call whose callee is in :data:`STDOUT_WRITE_CALLS`; any reference to
  ``sys.__stdout__``; ``print(..., file=X)`` with ``X`` in :data:`STDOUT_OBJECTS`;
  ``os.write(1, ...)`` (literal 1) and ``os.write(X.fileno(), ...)`` with ``X`` (or
  ``X.buffer``) in :data:`STDOUT_OBJECTS`.  Allowed in output modules.
* REC007: a call whose callee is in :data:`EXIT_FUNCTIONS`, unless its (first) argument is a
  façade exit code (a typed expression such as ``ExitCode.USAGE``, or any attribute named
  ``exit_code`` such as ``err.kind.exit_code``).  No argument, ``0`` and ``1`` are *not* façade exit
  codes.  Allowed in entry modules.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping

PRINT = "builtins.print"

# Every exception class the running interpreter knows as a builtin (ExceptionGroup on 3.11+, ...).
BUILTIN_EXCEPTIONS: frozenset[str] = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)

# REC005: catching these (as builtins) is "catch everything".
CATCH_ALL: frozenset[str] = frozenset({"builtins.Exception", "builtins.BaseException"})

_ATTR = frozenset({"AttributeError"})
_LOOKUP = frozenset({"KeyError", "IndexError"})
_TYPE = frozenset({"TypeError"})

# REC003: dunder method -> builtin exceptions a Python protocol requires it to raise.
PROTOCOL_EXCEPTIONS: Mapping[str, frozenset[str]] = {
    "__getattr__": _ATTR,
    "__getattribute__": _ATTR,
    "__setattr__": _ATTR,
    "__delattr__": _ATTR,
    "__get__": _ATTR,
    "__set__": _ATTR,
    "__delete__": _ATTR,
    "__next__": frozenset({"StopIteration"}),
    "__anext__": frozenset({"StopAsyncIteration"}),
    "__getitem__": _LOOKUP | _TYPE,
    "__setitem__": _LOOKUP | _TYPE,
    "__delitem__": _LOOKUP | _TYPE,
    "__missing__": _LOOKUP,
    "__class_getitem__": _TYPE,
    "__init_subclass__": _TYPE,
    "__hash__": _TYPE,
    "__index__": _TYPE,
    "__int__": _TYPE,
    "__float__": _TYPE,
    "__complex__": _TYPE,
    "__iter__": _TYPE,
    "__aiter__": _TYPE,
    "__fspath__": _TYPE,
    "__reduce__": _TYPE,
    "__reduce_ex__": _TYPE,
    "__getstate__": _TYPE,
    "__copy__": _TYPE,
    "__deepcopy__": _TYPE,
    "__instancecheck__": _TYPE,
    "__subclasscheck__": _TYPE,
    "__format__": _TYPE | frozenset({"ValueError"}),
    "__len__": frozenset({"ValueError", "OverflowError"}),
}

ABSTRACT_EXCEPTION = "NotImplementedError"
ABSTRACT_DECORATOR_SUFFIX = "abstractmethod"

# REC006
STDOUT_OBJECTS: frozenset[str] = frozenset({"sys.stdout", "sys.__stdout__"})
RAW_STDOUT = "sys.__stdout__"
STDOUT_WRITE_CALLS: frozenset[str] = frozenset(
    f"{obj}{buffer}.{method}"
    for obj in STDOUT_OBJECTS
    for buffer in ("", ".buffer")
    for method in ("write", "writelines")
)
OS_WRITE = "os.write"
STDOUT_FD = 1

# REC007
EXIT_FUNCTIONS: frozenset[str] = frozenset(
    {"sys.exit", "builtins.exit", "builtins.quit", "os._exit"}
)
EXIT_CODE_ATTRIBUTE = "exit_code"

TYPE_CHECKING = "TYPE_CHECKING"


def is_facade_name(qualified: str, facade_modules: Iterable[str]) -> bool:
    """``recorder.errors.usage`` is in façade ``recorder.errors``; ``recorder.errorsx`` is not."""
    return any(qualified == m or qualified.startswith(m + ".") for m in facade_modules if m)


def builtin_name(qualified: str) -> str | None:
    """``builtins.ValueError`` -> ``ValueError``; None for anything not in ``builtins``."""
    if qualified.startswith("builtins.") and qualified.count(".") == 1:
        return qualified[len("builtins.") :]
    return None


def protocol_allows(function_name: str | None, builtin: str, abstract: bool) -> bool:
    """Whether raising builtin exception ``builtin`` inside ``function_name`` is a protocol need."""
    if abstract and builtin == ABSTRACT_EXCEPTION:
        return True
    if function_name is None:
        return False
    return builtin in PROTOCOL_EXCEPTIONS.get(function_name, frozenset())


def is_abstract_decorator(spelled: str | None) -> bool:
    """``@abstractmethod`` / ``@abc.abstractmethod`` (decorators are matched by spelling)."""
    return spelled is not None and spelled.rpartition(".")[2] == ABSTRACT_DECORATOR_SUFFIX


def is_type_checking(spelled: str | None) -> bool:
    """``if TYPE_CHECKING:`` / ``if typing.TYPE_CHECKING:`` (matched by spelling)."""
    return spelled is not None and spelled.rpartition(".")[2] == TYPE_CHECKING
