"""The one rule catalog: code, message, rationale, VALID/INVALID examples and autofix, per rule.

Both engines, the flake8 plugin, the docs generator and the tests read this table; nothing else
defines what a rule is.  Codes are never reused: a retired rule keeps its entry.

Examples are checked with :data:`EXAMPLE_CONFIG` as if they lived at :data:`EXAMPLE_PATH`
(module ``pkg.module``: not a façade, output, entry or test module).  An example may instead be a
``(source, path)`` pair to place it elsewhere, e.g. ``pkg/output.py`` (an output module in
:data:`EXAMPLE_CONFIG`).  Every INVALID example has at least one finding of its rule; every VALID
example has none.  :func:`examples` normalises both shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from lint_rules.config import LintConfig

Example = str | tuple[str, str]

# The tool's version (also ``lint_rules.__version__``).  Lives here, not in ``__init__``, so that
# modules never depend on the package ``__init__`` having run (editable installs made before the
# package had one import it as a namespace package).  Part of the result-cache key.
VERSION = "0.2.0"

EXAMPLE_PATH = "pkg/module.py"
EXAMPLE_CONFIG = LintConfig(
    facade_modules=("recorder.errors",),
    output_modules=("pkg.output",),
    entry_modules=("pkg.cli",),
    guard_functions=("pkg.guard.contain", "pkg.guard.Guard.run"),
)


@dataclass(frozen=True)
class Rule:
    """One rule.  ``message`` may contain ``{detail}``, filled by :meth:`format`."""

    code: str
    name: str
    message: str
    rationale: str
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()
    autofix: str | None = None
    # Where the rule does not apply (for the docs).
    allowed: str = ""

    def format(self, detail: str = "") -> str:
        return self.message.format(detail=detail) if "{detail}" in self.message else self.message


def examples(snippets: tuple[Example, ...]) -> list[tuple[str, str]]:
    """``(source, path)`` pairs, defaulting the path to :data:`EXAMPLE_PATH`."""
    return [(s, EXAMPLE_PATH) if isinstance(s, str) else s for s in snippets]


REC000 = Rule(
    code="REC000",
    name="syntax-error",
    message="file could not be parsed: {detail}",
    rationale=(
        "The checker reports a file it cannot parse instead of crashing or passing it silently "
        "(for example syntax newer than the interpreter running the checker)."
    ),
)

REC001 = Rule(
    code="REC001",
    allowed="the configured output modules (`output-modules`)",
    name="no-print",
    message="print() outside the output modules; write diagnostics through the logger",
    rationale=(
        "The recorder runs inside other people's processes: stdout belongs to the traced program. "
        "Only the configured output modules may print. Names are resolved by scope, so a local "
        "or imported `print` and `obj.print()` are not the builtin."
    ),
    valid=(
        "log.info('done')",
        "def print(*args):\n    return args\n\nprint('shadowed by a local def')",
        "def show(print):\n    print('a parameter, not the builtin')",
        "from rich import print\nprint('an import shadows the builtin')",
        "console.print('a method, not the builtin')",
        ("print('output modules may print')", "pkg/output.py"),
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    print('never runs')",
        "print('suppressed')  # noqa: REC001",
    ),
    invalid=(
        "print('hello')  # error",
        "from builtins import print as p\np('aliased builtin')  # error",
        "import builtins\nbuiltins.print('dotted builtin')  # error",
        "def f():\n    print('in a function')  # error",
        "class Printer:\n    def print(self):\n"
        "        print('the method name does not shadow')  # error",
        "handler = lambda msg: print(msg)  # error",
        "async def f():\n    print('async')  # error",
        "print('wrong code suppressed')  # noqa: REC002",
    ),
    autofix=(
        '`print(a, b)` becomes `logger.info("%s %s", a, b)` on the module\'s logger (an '
        "existing module-level `getLogger(...)`/`get_logger(...)` name, else `logger = "
        "logging.getLogger(__name__)` is added); `file=sys.stderr` becomes `logger.warning`. "
        "Not fixed: `*args`/`**kwargs`, a non-literal `sep`, any other `file=`."
    ),
)

REC002 = Rule(
    code="REC002",
    allowed="test paths (`test-paths`)",
    name="no-assert",
    message="assert outside tests; use the façade's ensure_internal(condition, code, message)",
    rationale=(
        "`assert` disappears under `python -O` and raises a bare AssertionError. Invariants go "
        "through the façade's `ensure_internal`, which raises a classified InternalError."
    ),
    valid=(
        "ensure_internal(x is not None, ErrorCode.INVARIANT_VIOLATED, 'x is set')",
        ("assert 1 + 1 == 2", "tests/test_math.py"),
        ("def test_it():\n    assert True", "pkg/test_things.py"),
        "if TYPE_CHECKING:\n    assert isinstance(x, int)",
    ),
    invalid=(
        "assert x is not None  # error",
        "def f(x):\n    assert x, 'x must be set'  # error",
        "async def f(x):\n    assert await x  # error",
    ),
    autofix=(
        "`assert c, m` becomes `ensure_internal(c, ErrorCode.INVARIANT_VIOLATED, m)` (no "
        'message: `"assertion failed: <c>"`), importing both names from the first façade '
        "module."
    ),
)

REC003 = Rule(
    code="REC003",
    allowed="inside the façade (`facade-modules`); builtin exceptions a protocol dunder must raise",
    name="no-untyped-raise",
    message="raise of untyped exception {detail}; raise a façade error (usage/enverr/target/bug)",
    rationale=(
        "Every error that leaves the recorder is classified (kind, code, exit status). Raising a "
        "builtin or foreign exception class skips the classification; raise the façade's errors, "
        "or convert with `raise translate(exc) from exc`. Protocol dunders may raise what the "
        "protocol requires (AttributeError in __getattr__, StopIteration in __next__, ...), and a "
        "method whose whole body is `raise NotImplementedError` (after an optional docstring) is "
        "the standard placeholder idiom."
    ),
    valid=(
        "from recorder.errors import usage, ErrorCode\n"
        "raise usage(ErrorCode.INVALID_ARGUMENT, 'bad')",
        "from recorder.errors import translate\n"
        "try:\n    pass\nexcept OSError as exc:\n    raise translate(exc) from exc",
        "import recorder.errors as e\nraise e.UsageError('x')",
        "from recorder.errors import RecorderError\n"
        "class MyError(RecorderError):\n    pass\n"
        "class Sub(MyError):\n    pass\nraise Sub('x')",
        "class Lazy:\n    def __getattr__(self, name):\n        raise AttributeError(name)",
        "class It:\n    def __next__(self):\n        raise StopIteration",
        "class AIt:\n    async def __anext__(self):\n        raise StopAsyncIteration",
        "class D(dict):\n    def __missing__(self, key):\n        raise KeyError(key)",
        "import abc\nclass Base(abc.ABC):\n    @abc.abstractmethod\n"
        "    def run(self):\n        raise NotImplementedError",
        "class Shape:\n    def area(self):\n        raise NotImplementedError",
        "class Shape:\n    def area(self):\n        \"\"\"Subclasses compute it.\"\"\"\n"
        "        raise NotImplementedError('area')",
        "def __getattr__(name):\n    raise AttributeError(name)",
        "def f(err):\n    raise err",
        "class C:\n    def fail(self):\n        raise self.error",
        "if TYPE_CHECKING:\n    raise ValueError('never runs')",
        (
            "class Failure(Exception):\n    pass\nraise ValueError('inside the façade')",
            "recorder/errors/exceptions.py",
        ),
    ),
    invalid=(
        "raise ValueError('bad value')  # error",
        "raise RuntimeError  # error",
        "import json\nraise json.JSONDecodeError('m', 'd', 0)  # error",
        "from subprocess import CalledProcessError\nraise CalledProcessError(1, 'x')  # error",
        "class MyError(Exception):\n    pass\nraise MyError('not from the façade')  # error",
        "try:\n    pass\nexcept OSError as exc:\n    raise KeyError('k') from exc  # error",
        "class Lazy:\n    def __getattr__(self, name):\n        raise KeyError(name)  # error",
        "def run():\n    raise NotImplementedError  # error",
        "class Shape:\n    def area(self):\n        self.check()\n"
        "        raise NotImplementedError  # error",
        "try:\n    pass\nexcept OSError as exc:\n    raise exc  # error",
        "async def g():\n    raise TimeoutError  # error",
    ),
    autofix=(
        "`raise ValueError(m)` becomes `raise usage(ErrorCode.UNKNOWN, m)` with a "
        "`# TODO(REC003)` comment to pick the real code: the OSError family -> `enverr`, "
        "ValueError/TypeError families -> `usage`, other Exception subclasses -> `bug`; "
        "`from cause` is kept. Not fixed: BaseException-only classes (SystemExit, "
        "KeyboardInterrupt), several arguments, foreign or local classes."
    ),
)

REC004 = Rule(
    code="REC004",
    allowed="inside the façade; handlers that catch only façade errors",
    name="no-foreign-reraise",
    message="bare raise re-raises a foreign exception; convert it: raise translate(exc) from exc",
    rationale=(
        "A bare `raise` in a handler that catches foreign exceptions lets an unclassified error "
        "escape. Handlers that catch only façade errors may re-raise them unchanged."
    ),
    valid=(
        "from recorder.errors import RecorderError\n"
        "try:\n    pass\nexcept RecorderError:\n    cleanup()\n    raise",
        "from recorder import errors\n"
        "try:\n    pass\nexcept (errors.UsageError, errors.TargetError):\n    raise",
        "from recorder.errors import translate\n"
        "try:\n    pass\nexcept OSError as exc:\n    raise translate(exc) from exc",
        "def helper():\n    raise",
        ("try:\n    pass\nexcept KeyError:\n    raise", "recorder/errors/codes.py"),
    ),
    invalid=(
        "try:\n    pass\nexcept OSError:\n    raise  # error",
        "try:\n    pass\nexcept:\n    raise  # error",
        "from recorder.errors import RecorderError\n"
        "try:\n    pass\nexcept (RecorderError, ValueError):\n    raise  # error",
        "from recorder.errors import RecorderError\n"
        "try:\n    pass\nexcept RecorderError:\n    try:\n        pass\n"
        "    except KeyError:\n        raise  # error",
        "async def f():\n    try:\n        await g()\n"
        "    except TimeoutError:\n        raise  # error",
    ),
)

REC005 = Rule(
    code="REC005",
    allowed="the configured guard functions (`guard-functions`)",
    name="no-swallowing-handler",
    message="handler swallows every error; re-raise, convert with translate(), or catch narrowly",
    rationale=(
        "`except:`/`except Exception:` without re-raising hides recorder bugs and user "
        "interrupts. Only the façade's containment guard may swallow, and it records what it "
        "swallowed. Handing a façade error to a call (`report(translate(exc))`) converts it; "
        "*returning* one (`return bug(...)`) swallows it like any other return value."
    ),
    valid=(
        "try:\n    pass\nexcept OSError:\n    pass",
        "try:\n    pass\nexcept Exception:\n    cleanup()\n    raise",
        "from recorder.errors import translate\n"
        "try:\n    pass\nexcept Exception as exc:\n    raise translate(exc) from exc",
        "from recorder.errors import translate\n"
        "def f(report):\n    try:\n        pass\n    except Exception as exc:\n"
        "        report(translate(exc))",
        (
            "def contain(fn):\n    try:\n        fn()\n    except BaseException:\n        pass",
            "pkg/guard.py",
        ),
        (
            "class Guard:\n    def run(self, fn):\n        try:\n            fn()\n"
            "        except Exception:\n            return None",
            "pkg/guard.py",
        ),
    ),
    invalid=(
        "from recorder.errors import bug\n"
        "def load():\n    try:\n        pass\n    except Exception as exc:  # error\n"
        "        return bug(f'load failed: {exc}')",
        "try:\n    pass\nexcept:  # error\n    pass",
        "try:\n    pass\nexcept Exception:  # error\n    log.warning('ignored')",
        "try:\n    pass\nexcept (OSError, BaseException):  # error\n    pass",
        "try:\n    pass\nexcept Exception:  # error\n    def later():\n        raise",
        "async def f():\n    try:\n        await g()\n"
        "    except Exception:  # error\n        return None",
    ),
)

REC006 = Rule(
    code="REC006",
    allowed="the configured output modules (`output-modules`)",
    name="no-stdout-writes",
    message="writes to stdout outside the output modules ({detail})",
    rationale=(
        "Same reason as REC001, for the other routes to stdout: `sys.stdout.write`, "
        "`sys.__stdout__`, `print(..., file=sys.stdout)` and `os.write(1, ...)` or "
        "`os.write(sys.stdout.fileno(), ...)`."
    ),
    valid=(
        "import sys\nsys.stderr.write('diagnostics go to stderr via the logger')",
        "import sys\nsys.stdout.flush()",
        "import os\nos.write(fd, b'data')",
        "import os, sys\nos.write(sys.stderr.fileno(), b'data')",
        ("import sys\nsys.stdout.write('ok here')", "pkg/output.py"),
        "class Fake:\n    def write(self, s):\n        return s\n"
        "stdout = Fake()\nstdout.write('x')",
    ),
    invalid=(
        "import sys\nsys.stdout.write('x')  # error",
        "from sys import stdout\nstdout.write('x')  # error",
        "import sys\nsys.stdout.buffer.write(b'x')  # error",
        "import sys\nstream = sys.__stdout__  # error",
        "import sys\nprint('x', file=sys.stdout)  # error",
        "import os\nos.write(1, b'x')  # error",
        "import os, sys\nos.write(sys.stdout.fileno(), b'x')  # error",
    ),
)

REC007 = Rule(
    code="REC007",
    allowed="the configured entry modules (`entry-modules`); anywhere with a façade exit code",
    name="no-exit-outside-entry",
    message="{detail} outside the entry modules without a façade exit code",
    rationale=(
        "Exit statuses are part of the contract (Usage=2, Environment=10, Target=20, "
        "Internal=70). Library code raises; only the entry-point modules decide how the "
        "process ends, and elsewhere an exit must use the façade's exit codes."
    ),
    valid=(
        "import sys\nfrom recorder.errors import ExitCode\nsys.exit(ExitCode.USAGE)",
        "import sys\n\ndef bail(err):\n    sys.exit(err.kind.exit_code)",
        ("import sys\nsys.exit(1)", "pkg/cli.py"),
        "class Session:\n    def exit(self, code):\n        return code\nSession().exit(3)",
    ),
    invalid=(
        "import sys\nsys.exit(1)  # error",
        "exit()  # error",
        "quit(3)  # error",
        "import os\nos._exit(4)  # error",
        "from sys import exit as leave\nleave('bye')  # error",
    ),
)

RULES: tuple[Rule, ...] = (REC000, REC001, REC002, REC003, REC004, REC005, REC006, REC007)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
