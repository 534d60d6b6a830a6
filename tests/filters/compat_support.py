"""Comparing a trace of ours with one of ``codetracer-python-recorder`` 0.3.0, step by step.

The two formats differ where the comparison must not look: 0.3.0 records a function's globals at
every step (ours records its locals), module-level dunders, and argument values only inside
``Call`` (ours also writes them as ``Value`` events just before the ``Step`` of the definition
line). So a step is compared as (file, line, function, the sorted ``(name, redacted)`` pairs of
its values), for steps inside functions, leaving out the program's module-level names.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

__all__ = ["Step", "function_steps", "module_level_names", "venv_python"]

Step = tuple[str, int, str, tuple[tuple[str, bool], ...]]


def module_level_names(program: Path) -> set[str]:
    """Names bound at the top level of the program's modules (globals in 0.3.0's steps)."""
    names: set[str] = set()
    for path in program.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def function_steps(trace_dir: Path, program: Path) -> list[Step]:
    """The steps of the trace in ``trace_dir`` inside functions (see the module docstring)."""
    events = json.loads((trace_dir / "trace.json").read_text(encoding="utf-8"))
    names: list[str] = []
    functions: list[str] = []
    paths: list[str] = []
    groups: list[tuple[str | None, int, int, list[tuple[str, bool]]]] = []
    stack: list[str] = []
    for event in events:
        if "VariableName" in event:
            names.append(event["VariableName"])
        elif "Function" in event:
            functions.append(event["Function"]["name"])
        elif "Path" in event:
            paths.append(event["Path"])
        elif "Step" in event:
            step = event["Step"]
            groups.append((stack[-1] if stack else None, step["path_id"], step["line"], []))
        elif "Value" in event and groups:
            value = event["Value"]
            redacted = value["value"].get("msg") == "<redacted>"
            groups[-1][3].append((names[value["variable_id"]], redacted))
        elif "Call" in event:
            args = [names[arg["variable_id"]] for arg in event["Call"]["args"]]
            # Ours: the arguments' Values precede the Step of the definition line.
            if args and len(groups) >= 2 and not groups[-1][3]:
                before = groups[-2][3]
                if [name for name, _ in before[-len(args):]] == args:
                    del before[-len(args):]
            stack.append(functions[event["Call"]["function_id"]])
        elif "Return" in event and stack:
            stack.pop()
    skip = module_level_names(program)
    return [(Path(paths[path_id]).name, line, function,
             tuple(sorted((n, r) for n, r in values if n not in skip and not n.startswith("__"))))
            for function, path_id, line, values in groups
            if function is not None and not function.startswith("<")]


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"
