"""The lint corpus: which standard-library files are taken, and the copy's line count."""

from pathlib import Path

from bench.corpus import build, count_lines, stdlib_files

TREE = {
    "os.py": "import sys\nx = 1\n",
    "json/__init__.py": "a = 1",  # no final newline: still a line
    "json/tests/test_x.py": "t = 1\n",
    "test/test_os.py": "t = 1\n",
    "idlelib/idle_test/test_a.py": "t = 1\n",
    "site-packages/pkg/mod.py": "p = 1\n",
    "email/mime/text.py": "\n\n\n",
    "README.txt": "not python\n",
}


def _tree(root: Path) -> Path:
    for rel, text in TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_tests_and_site_packages_left_out(tmp_path: Path) -> None:
    files = stdlib_files(_tree(tmp_path / "lib"))
    assert [str(f) for f in files] == ["email/mime/text.py", "json/__init__.py", "os.py"]


def test_every_nth_file_is_deterministic(tmp_path: Path) -> None:
    lib = _tree(tmp_path / "lib")
    assert [str(f) for f in stdlib_files(lib, every=2)] == ["email/mime/text.py", "os.py"]


def test_build_copies_and_counts(tmp_path: Path) -> None:
    lib = _tree(tmp_path / "lib")
    corpus = build(lib, tmp_path / "copy" / "stdlib")
    assert corpus.lines == 3 + 1 + 2
    assert (tmp_path / "copy" / "stdlib" / "json" / "__init__.py").read_text() == "a = 1"
    assert not (tmp_path / "copy" / "stdlib" / "test").exists()


def test_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.py"
    for text, lines in (("", 0), ("x", 1), ("x\n", 1), ("x\ny", 2), ("\n\n", 2)):
        path.write_text(text, encoding="utf-8")
        assert count_lines(path) == lines
