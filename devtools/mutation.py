"""Mutation testing of chosen modules with mutmut, each against the tests that exercise it.

``make mutation MODULES="recorder/decision.py recorder/policy.py"`` runs this. For every module it
copies the tracked files of the checkout into a scratch directory (the work tree never sees
mutmut's ``mutants/`` or its configuration), writes a ``[tool.mutmut]`` section naming the module
and its tests (:data:`TESTS`), runs ``mutmut run``, and prints the survivors with their diffs and
the score: killed / (all - equivalent). Equivalent mutants (a change no test can observe, such as
a message's wording the code never promises) are listed with the reason in
``devtools/equivalent-mutants.toml``; anything else that survives is a gap in the tests.

Exit status: 0 when every module reaches ``--min-score`` (default 95), 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = REPO / "devtools" / "equivalent-mutants.toml"

#: The tests that exercise each module (the ones run against its mutants).
TESTS: dict[str, list[str]] = {
    "recorder/decision.py": ["tests/policy/test_decision.py", "tests/session/test_verdict.py"],
    "recorder/policy.py": ["tests/policy", "tests/session/test_verdict.py"],
    "recorder/output/swap.py": ["tests/output"],
    "recorder/output/files.py": ["tests/output"],
    "recorder/tracing/valuejson.py": ["tests/recording/test_valuejson.py"],
    "recorder/tracing/structjson.py": ["tests/recording/test_valuejson.py"],
    "recorder/lifecycle.py": ["tests/session/test_lifecycle.py"],
    # (Not test_atomic_runs.py: it reads the bytecode of the source, which mutmut rewrites.)
    "recorder/trace_threads.py": [
        "tests/recording/test_trace_writer.py", "tests/recording/test_thread_interleavings.py",
        "tests/recording/test_shared_mode.py", "tests/iocapture/test_posted_output.py",
    ],
    "recorder/trace_writer.py": [
        "tests/recording/test_trace_writer.py", "tests/recording/test_thread_interleavings.py",
        "tests/recording/test_shared_mode.py", "tests/iocapture/test_posted_output.py",
    ],
    # The lint analysis (one run of each takes minutes: name it in MODULES to include it).
    "lint_rules/rules.py": ["tests/lint"],
    "lint_rules/collect.py": ["tests/lint"],
    "lint_rules/checker.py": ["tests/lint"],
    "lint_rules/fixfacts.py": ["tests/lint"],
    "lint_rules/scopes.py": ["tests/lint"],
    "lint_rules/semantics.py": ["tests/lint"],
    "lint_rules/prefilter.py": ["tests/lint"],
}
#: Tests that cannot run in the mutation venv: Fixit's click pin conflicts with mutmut's.
NOT_IN_MUTATION_VENV = ["tests/lint/test_fixit.py"]
#: What ``make mutation`` runs when no module is named (the core the issues hold to 95%).
DEFAULT_MODULES = ["recorder/decision.py", "recorder/policy.py", "recorder/output/swap.py",
                   "recorder/lifecycle.py"]


@dataclass
class Result:
    module: str
    killed: int
    survived: list[str]
    equivalent: list[str]
    other: dict[str, int]

    @property
    def score(self) -> float:
        relevant = self.killed + len(self.survived)
        if relevant == 0:  # nothing ran (e.g. mutmut could not run the tests): not a pass
            return 0.0
        return 100.0 * self.killed / relevant


def _equivalents() -> dict[str, str]:
    if not EQUIVALENT_FILE.exists():
        return {}
    data = tomllib.loads(EQUIVALENT_FILE.read_text(encoding="utf-8"))
    return {str(name): str(reason) for name, reason in data.get("equivalent", {}).items()}


def _scratch_copy(target: Path) -> None:
    # Tracked files and new ones not ignored yet: the tests being written count.
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
        capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)


def _configure(root: Path, module: str, tests: list[str]) -> None:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    package = module.split("/")[0] + "/"  # recorder/ or lint_rules/
    section = "\n[tool.mutmut]\n" + "\n".join([
        f"source_paths = [{package!r}]",
        f"only_mutate = [{module!r}]",
        "also_copy = ['recorder/', 'fault_injection/', 'lint_rules/', 'examples/', 'bench/', "
        "'docs/', 'README.md', 'Makefile']",
        f"pytest_add_cli_args_test_selection = {tests!r}",
        "pytest_add_cli_args = ['-p', 'no:cacheprovider', '-q'"
        + "".join(f", '--ignore={t}'" for t in NOT_IN_MUTATION_VENV) + "]",
    ]) + "\n"
    pyproject.write_text(text + section, encoding="utf-8")


_RESULT = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+):\s*(?P<status>[\w ]+?)\s*$")


def run_module(module: str, python: str, equivalents: dict[str, str]) -> Result:
    tests = TESTS.get(module)
    if tests is None:
        raise SystemExit(f"mutation: no tests are mapped to {module}; add it to TESTS")
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        root = Path(scratch)
        _scratch_copy(root)
        _configure(root, module, tests)
        mutmut = [python, "-m", "mutmut"]
        pattern = module.removesuffix(".py").replace("/", ".") + ".*"
        subprocess.run([*mutmut, "run", pattern], cwd=root, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        listing = subprocess.run([*mutmut, "results", "--all", "true"], cwd=root,
                                 capture_output=True, text=True, check=False).stdout
        killed, survived, equivalent, other = 0, [], [], {}
        for line in listing.splitlines():
            found = _RESULT.match(line)
            if not found:
                continue
            name, status = found["name"], found["status"]
            if status == "killed":
                killed += 1
            elif status in {"survived", "no tests"} and name in equivalents:
                equivalent.append(name)
            elif status in {"survived", "no tests"}:  # no test reaches it: not killed either
                survived.append(name)
            else:
                other[status] = other.get(status, 0) + 1
        for name in survived:
            diff = subprocess.run([*mutmut, "show", name], cwd=root, capture_output=True,
                                  text=True, check=False).stdout
            sys.stdout.write(f"--- survived: {name}\n{diff}\n")
    return Result(module, killed, survived, equivalent, other)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", default=DEFAULT_MODULES, metavar="MODULE",
                        help="module paths (default: the recorder's core modules)")
    parser.add_argument("--min-score", type=float, default=95.0)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args(argv)
    equivalents = _equivalents()
    # Absolute, not resolved: the venv's python is a symlink that must keep its venv.
    python = str(Path(options.python).absolute())
    results = [run_module(m, python, equivalents) for m in options.modules]
    sys.stdout.write("\nmodule                         killed  survived  equivalent  score\n")
    for r in results:
        extra = " ".join(f"{k}={v}" for k, v in sorted(r.other.items()))
        sys.stdout.write(f"{r.module:30} {r.killed:6} {len(r.survived):9} "
                         f"{len(r.equivalent):11}  {r.score:5.1f}%  {extra}\n")
    return 0 if all(r.score >= options.min_score for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
