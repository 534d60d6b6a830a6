"""Where filters come from and in which order, and what a bad one does to a run.

Each case lays out files in a temporary project, runs the command line (or auto-start, or the
API) and checks which filters the metadata lists, in order, and what was traced.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROGRAM = """\
def alpha(x):
    return x + 1

def beta(x):
    return x * 2

print(alpha(1) + beta(2))
"""


def filter_text(name: str, skip: str | None = None) -> str:
    text = (f"[meta]\nname = '{name}'\nversion = 1\n[scope]\ndefault_exec = 'trace'\n"
            "default_value_action = 'allow'\n")
    if skip:
        text += f"[[scope.rules]]\nselector = 'obj:__main__.{skip}'\nexec = 'skip'\n"
    return text


def _project(root: Path) -> None:
    (root / "proj" / ".codetracer").mkdir(parents=True)
    (root / "proj" / "src").mkdir()
    (root / "proj" / "src" / "prog.py").write_text(PROGRAM, encoding="utf-8")
    (root / "proj" / ".codetracer" / "trace-filter.toml").write_text(
        filter_text("project", skip="alpha"), encoding="utf-8")
    (root / "env.toml").write_text(filter_text("env"), encoding="utf-8")
    (root / "flag1.toml").write_text(filter_text("flag1"), encoding="utf-8")
    (root / "flag2.toml").write_text(filter_text("flag2", skip="beta"), encoding="utf-8")


def _traced(trace: Path) -> tuple[list[str], list[str]]:
    meta = json.loads((trace / "trace_metadata.json").read_text(encoding="utf-8"))
    events = json.loads((trace / "trace.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in meta["trace_filter"]["filters"]]
    return names, [e["Function"]["name"] for e in events if "Function" in e]


@pytest.mark.parametrize(("flags", "env", "filters", "skipped"), [
    ([], {}, ["builtin-default", "project"], ["alpha"]),
    (["--trace-filter", "../flag1.toml::../flag2.toml"], {"CODETRACER_TRACE_FILTER": "../env.toml"},
     ["builtin-default", "project", "env", "flag1", "flag2"], ["alpha", "beta"]),
    (["--trace-filter", "../flag2.toml", "--trace-filter", "../flag1.toml"], {},
     ["builtin-default", "project", "flag2", "flag1"], ["alpha", "beta"]),
], ids=["project-filter", "env-then-flags", "repeated-flags"])
def test_command_line_loading_order(tmp_path: Path, make_env, flags: list[str],
                                    env: dict[str, str], filters: list[str],
                                    skipped: list[str]) -> None:
    _project(tmp_path)
    cwd = tmp_path / "proj"
    done = subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", str(tmp_path / "t"),
                           *flags, "src/prog.py"], cwd=cwd,
                          env=make_env(**env), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    names, functions = _traced(tmp_path / "t")
    assert names == filters
    assert [f for f in ("alpha", "beta") if f not in functions] == skipped


def test_module_mode_discovers_from_the_working_directory(tmp_path: Path, make_env) -> None:
    _project(tmp_path)
    (tmp_path / "proj" / "mod_prog.py").write_text(PROGRAM, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", str(tmp_path / "t"),
                           "-m", "mod_prog"], cwd=tmp_path / "proj", env=make_env(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _traced(tmp_path / "t")[0] == ["builtin-default", "project"]


def test_auto_start_reads_only_the_variable(tmp_path: Path, make_env) -> None:
    _project(tmp_path)
    prog = tmp_path / "proj" / "src" / "prog.py"
    prog.write_text("import recorder\n" + PROGRAM, encoding="utf-8")
    done = subprocess.run([sys.executable, str(prog)], cwd=tmp_path, capture_output=True,
                          env=make_env(CODETRACER_TRACE=str(tmp_path / "t"),
                                       CODETRACER_TRACE_FILTER=str(tmp_path / "flag2.toml")),
                          timeout=120)
    assert done.returncode == 0, done.stderr
    names, functions = _traced(tmp_path / "t")
    assert names == ["builtin-default", "flag2"]  # no project filter discovered
    assert "beta" not in functions and "alpha" in functions


def test_api_reads_only_its_argument(tmp_path: Path, make_env) -> None:
    _project(tmp_path)
    code = textwrap.dedent(f"""\
        import recorder
        def alpha(x):
            return x + 1
        def beta(x):
            return x * 2
        with recorder.trace({str(tmp_path / 't')!r},
                            trace_filter=[{str(tmp_path / 'flag2.toml')!r}]):
            alpha(1) + beta(2)
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "proj", timeout=120,
                          env=make_env(CODETRACER_TRACE_FILTER=str(tmp_path / "env.toml")),
                          capture_output=True)
    assert done.returncode == 0, done.stderr
    assert _traced(tmp_path / "t")[0] == ["builtin-default", "flag2"]


def test_api_bad_filter_is_a_usage_error_before_tracing(tmp_path: Path) -> None:
    import recorder
    from recorder.errors import UsageError

    bad = tmp_path / "bad.toml"
    bad.write_text(filter_text("bad") + "[[scope.rules]]\nselector = 'nope:x'\n", "utf-8")
    with pytest.raises(UsageError) as caught:
        recorder.start(tmp_path / "t", trace_filter=str(bad))
    assert caught.value.code.value == "ERR_TRACE_FILTER_UNKNOWN_DOMAIN"
    assert f"{bad}:8:" in caught.value.message
    assert not recorder.is_tracing() and not (tmp_path / "t").exists()


@pytest.mark.parametrize(("text", "code"), [
    ("[meta]\nname='x'\n", "ERR_TRACE_FILTER_MISSING_KEY"),
    (filter_text("x") + "[[scope.rules]]\nselector = 'obj:regex:(?<=a)b'\n",
     "ERR_TRACE_FILTER_BAD_REGEX"),
])
def test_bad_filter_on_the_command_line_is_exit_2_with_the_trailer(
    tmp_path: Path, make_env, text: str, code: str,
) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "f.toml").write_text(text, encoding="utf-8")
    for json_errors in (True, False):
        done = subprocess.run([sys.executable, "-m", "recorder",
                               *(["--json-errors"] if json_errors else []), "--trace-filter",
                               "f.toml", "prog.py"], cwd=tmp_path, env=make_env(),
                              capture_output=True, timeout=120)
        assert done.returncode == 2
        assert done.stdout == b""  # the program never ran
        lines = done.stderr.decode().strip().splitlines()
        assert len(lines) == 1, lines  # one line, never a traceback
        if json_errors:
            trailer = json.loads(lines[-1])
            assert trailer["error_code"] == code and trailer["error_kind"] == "Usage"
        else:
            assert lines[0].startswith(f"recorder: [{code}] trace filter ")
        assert not (tmp_path / "trace-out").exists()


@pytest.mark.parametrize(("io", "env", "flags", "mode"), [
    ("capture = false\n", {}, [], "off"),
    ("capture = true\nstreams = ['stdout']\n", {}, [], "proxies"),
    ("capture = true\nstreams = ['stdout', 'stderr', 'files']\n", {}, [], "proxies+fd"),
    ("capture = false\n", {"CODETRACER_CAPTURE_IO": "proxies"}, [], "proxies"),  # env wins
    ("capture = false\n", {"CODETRACER_CAPTURE_IO": "off"}, ["--io-capture", "proxies+fd"],
     "proxies+fd"),  # the flag wins over both
])
def test_io_section_sets_the_io_capture_unless_the_flag_or_variable_does(
    tmp_path: Path, make_env, io: str, env: dict[str, str], flags: list[str], mode: str,
) -> None:
    (tmp_path / "prog.py").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "f.toml").write_text(filter_text("x") + "[io]\n" + io, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "recorder", "--trace-dir", "out", *flags,
                           "--trace-filter", "f.toml", "prog.py"], cwd=tmp_path,
                          env=make_env(**env), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"6\n"
    metadata = json.loads((tmp_path / "out" / "trace_metadata.json").read_text("utf-8"))
    assert metadata["io_capture"]["mode"] == mode
    events = json.loads((tmp_path / "out" / "trace.json").read_text("utf-8"))
    assert any("Event" in event for event in events) == (mode != "off")


def test_repr_mode_never_reprs_an_object_with_a_hidden_field(tmp_path: Path, make_env) -> None:
    (tmp_path / "prog.py").write_text(textwrap.dedent("""\
        from dataclasses import dataclass
        @dataclass
        class Card:
            holder: str
            pin_code: int
        def show(card):
            return card.holder
        show(Card("ada", 4321))
        """), encoding="utf-8")
    (tmp_path / "f.toml").write_text(filter_text("x") + textwrap.dedent("""\
        [[scope.rules]]
        selector = "pkg:*"
        [[scope.rules.value_patterns]]
        selector = "attr:pin_*"
        action = "redact"
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "recorder", "--value-repr", "repr",
                           "--trace-filter", "f.toml", "prog.py"], cwd=tmp_path,
                          env=make_env(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    trace = (tmp_path / "trace-out" / "trace.json").read_text(encoding="utf-8")
    assert "4321" not in trace and "<redacted>" in trace
