"""Content parity: traces in, masked lines and the first difference out."""

import pytest

from bench import parity

ROOT = "/tmp/run-1/examples"


def _value(text: str) -> dict[str, object]:
    return {"Value": {"variable_id": 0, "value": {"kind": "Raw", "r": text, "type_id": 0}}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{ROOT}/lib/geo.py", "<ROOT>/lib/geo.py"),
        ("<Point object at 0x7f3a2c1b9e50>", "<Point object at 0xADDR>"),
        ("<Thread(worker-1, started 140233)>", "<Thread(worker-1, STATE)>"),
        ("plain text 0xZZ", "plain text 0xZZ"),
    ],
)
def test_mask_text(text: str, expected: str) -> None:
    assert parity.mask_text(text, ROOT) == expected


def test_run_dependent_fields_only_are_masked() -> None:
    before = [{"Path": f"{ROOT}/a.py"}, {"Step": {"path_id": 0, "line": 1}},
              _value("<A object at 0x1234>")]
    again = [{"Path": f"{ROOT}/a.py"}, {"Step": {"path_id": 0, "line": 1}},
             _value("<A object at 0xbeef>")]
    changed = [{"Path": f"{ROOT}/a.py"}, {"Step": {"path_id": 0, "line": 2}},
               _value("<A object at 0xbeef>")]
    a, b, c = (parity.normalise(t, ROOT) for t in (before, again, changed))
    assert a == b
    assert a[0] == '{"Path": "<ROOT>/a.py"}'
    assert parity.first_difference(a, c) == (
        1, '{"Step": {"path_id": 0, "line": 1}}', '{"Step": {"path_id": 0, "line": 2}}'
    )
    assert parity.first_difference(a, a[:2]) == (2, a[2], "<end>")
    assert parity.first_difference(a, b) is None


def test_racy_thread_fields_keep_only_the_type() -> None:
    thread_type = {"Type": {"kind": 20, "lang_type": "threading.Thread", "specific_info": {}}}
    event = {"Value": {"variable_id": 0, "value": {"kind": "Struct", "field_values": [1],
                                                   "type_id": 0}}}
    assert parity.normalise([thread_type, event], ROOT)[1] == (
        '{"Value": {"variable_id": 0, "value": {"kind": "Struct", "field_values": "<racy>", '
        '"type_id": 0}}}'
    )


def test_thread_interleaving_is_not_a_difference() -> None:
    def trace(order: list[int]) -> list[dict[str, object]]:
        events: list[dict[str, object]] = [{"Path": f"{ROOT}/t.py"}]
        for thread in order:
            events += [{"ThreadSwitch": thread}, {"VariableName": f"v{thread}"},
                       {"Step": {"path_id": 0, "line": thread}}]
        return events

    one, other = parity.normalise(trace([1, 2, 3]), ROOT), parity.normalise(trace([3, 1, 2]), ROOT)
    assert one == other
    assert one[:2] == ["== thread 1 ==", '{"Step": {"path": "<ROOT>/t.py", "line": 1}}']
    assert parity.normalise(trace([1, 2]), ROOT) != one


def test_parity_verdicts_and_table() -> None:
    from bench.parity_check import BASELINE, Cell, render, verdicts

    same = [Cell("classes", "3.12"), Cell("classes", "3.11")]
    assert verdicts(same) == [
        f"- Content parity with {BASELINE}: identical on all 2 program runs (golden programs x "
        "interpreters) - met."
    ]
    mixed = [Cell("classes", "3.12", difference="line 3: `a` before, `b` now"),
             Cell("classes", "3.11", error="no Python 3.11")]
    assert verdicts(mixed) == [
        f"- Content parity with {BASELINE}: **differs** on classes (3.12) (0 of 1 identical); "
        "not compared on 3.11 - **not met**."
    ]
    assert ("| `classes` | **differs**: line 3: `a` before, `b` now | unavailable: no Python 3.11 |"
            in render(mixed))
