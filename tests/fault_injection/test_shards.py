"""``sweep --shard K/N`` and ``merge``: shards together are the sweep; merge refuses the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.runs import shard_of

FIXTURES = Path(__file__).parent / "fixtures" / "save_settings"


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fault_injection", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def sweep(out: Path, version: str, *shard: str) -> dict[str, object]:
    fixture = FIXTURES / version
    done = harness("sweep", "--fixture", str(fixture), "--oracle",
                   str(fixture / "fault-oracle.toml"), "--kind", "enospc", "--kind", "eacces",
                   "--json", str(out), *shard, "--", sys.executable, "save_settings.py", "a=b")
    assert done.returncode in (0, 1), done.stderr
    data: dict[str, object] = json.loads(out.read_text())
    return data


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The in-place writer swept whole and in three shards, and one shard of another sweep."""
    root = tmp_path_factory.mktemp("shards")
    paths = {"whole": root / "whole.json", "foreign": root / "foreign.json"}
    sweep(paths["whole"], "inplace")
    for k in (1, 2, 3):
        paths[f"{k}"] = root / f"shard-{k}.json"
        sweep(paths[f"{k}"], "inplace", "--shard", f"{k}/3")
    sweep(paths["foreign"], "careful", "--shard", "2/3")
    return paths


def runs(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    return [str(name) for name in data["runs"]]


def test_the_shards_together_are_the_sweep_exactly(reports: dict[str, Path]) -> None:
    whole = runs(reports["whole"])
    parts = [runs(reports[k]) for k in ("1", "2", "3")]
    assert sorted(name for part in parts for name in part) == sorted(whole)
    assert max(map(len, parts)) - min(map(len, parts)) <= 1  # balanced
    assert len(whole) == 10  # os.open x2 and os.write x1, enospc (and eacces at opens), x2 modes


def test_merge_gives_the_whole_sweeps_findings(reports: dict[str, Path], tmp_path: Path) -> None:
    merged = tmp_path / "merged.json"
    done = harness("merge", str(reports["3"]), str(reports["1"]), str(reports["2"]), "--json",
                   str(merged), "--junit-xml", str(tmp_path / "merged.xml"))
    assert done.returncode == 1  # the in-place writer tears its file
    data, whole = json.loads(merged.read_text()), json.loads(reports["whole"].read_text())
    assert data["runs"] == sorted(whole["runs"])
    assert (data["explored"], data["failed"]) == (whole["explored"], whole["failed"])
    assert sorted(f["case"] for f in data["failures"]) == sorted(
        f["case"] for f in whole["failures"])
    assert data["table"] == whole["table"]
    assert "FAILED program:enospc@os.write#1+" in done.stdout
    junit = (tmp_path / "merged.xml").read_text()
    assert junit.count("<testcase ") == whole["explored"]
    assert junit.count("<failure ") == whole["failed"]


BAD_MERGES = [  # which reports, the error's code
    (["1", "2"], "ERR_SHARD_MISSING"),
    (["1", "2", "2", "3"], "ERR_SHARD_DUPLICATED"),
    (["1", "foreign", "3"], "ERR_SHARD_FOREIGN"),
    (["1", "2", "3", "whole"], "ERR_SHARD_FOREIGN"),
    (["1", "2", "notjson"], "ERR_REPORT_INVALID"),
    (["whole"], "ERR_REPORT_INVALID"),
    ([], "ERR_REPORT_INVALID"),
]


@pytest.mark.parametrize(("names", "code"), BAD_MERGES)
def test_merge_refuses_what_is_not_one_sweep(reports: dict[str, Path], tmp_path: Path,
                                             names: list[str], code: str) -> None:
    (tmp_path / "notjson").write_text("not a report\n")
    paths = [str(reports.get(name, tmp_path / name)) for name in names]
    done = harness("merge", *paths)
    assert done.returncode == 2, done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith(f"fault_injection: [{code}] ")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "a/b", "1", "-1/2"])
def test_a_bad_shard_is_a_usage_error(text: str, tmp_path: Path) -> None:
    done = harness("sweep", f"--shard={text}", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 2
    assert done.stderr.startswith("fault_injection: [ERR_INVALID_SHARD] ")


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_partition_any_run_list(count: int) -> None:
    work = list(range(20))
    parts = [shard_of(work, (k, count)) for k in range(1, count + 1)]
    assert sorted(x for part in parts for x in part) == work
