"""The profile section's pure parts: event counts in, kinds out; sampler counts in, top list out."""

from collections import Counter

from bench.profile_report import event_kinds, top_self


def test_event_kinds() -> None:
    counts = Counter({"Step": 10, "Call": 3, "Return": 3, "Value": 7, "Path": 1, "Function": 2,
                      "Type": 4, "VariableName": 5, "Event": 2, "ThreadStart": 1})
    assert event_kinds(counts) == {"Step": 10, "Call": 3, "Return": 3, "Value": 7,
                                   "declarations": 12, "other": 3, "total": 38}
    assert event_kinds(Counter()) == {"Step": 0, "Call": 0, "Return": 0, "Value": 0,
                                      "declarations": 0, "other": 0, "total": 0}


def test_top_self() -> None:
    report = {"samples": 200, "self": {"a:f": 50, "b:g": 100, "c:h": 50},
              "total": {"a:f": 120, "b:g": 100, "c:h": 60}}
    assert top_self(report, 2) == [("b:g", 0.5, 0.5), ("a:f", 0.25, 0.6)]
    assert top_self({"samples": 0, "self": {}}) == []


def test_profile_render() -> None:
    from bench.profile_report import Profile, render

    text = render([
        Profile("calls", 64, 200, (("recorder/x.py:f", 0.5, 0.75),),
                (("Step", 10), ("total", 10))),
        Profile("lines", 80, error="no Python 3.12"),
    ])
    assert "#### `calls` (scale 64)\n\n| Step | total |" in text
    assert "| `recorder/x.py:f` | 50.0% | 75.0% |" in text
    assert "#### `lines` (scale 80)\n\nunavailable: no Python 3.12\n" in text
