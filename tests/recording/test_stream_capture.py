"""stdout/stderr capture: writes reach the real stream unchanged and are reported once."""

from __future__ import annotations

import io
import sys
import threading

from recorder.tracing.streams import StreamCapture


def capture_with(out: io.StringIO, err: io.StringIO) -> tuple[StreamCapture, list[tuple[int, str]]]:
    reports: list[tuple[int, str]] = []
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        capture = StreamCapture(lambda kind, name, text: reports.append((kind, text)),
                                lambda exc, point: None)
        capture.attach()
    finally:
        proxies = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = saved
    capture.proxies_for_test = proxies  # type: ignore[attr-defined]
    return capture, reports


def test_writes_reach_the_stream_and_are_reported() -> None:
    out, err = io.StringIO(), io.StringIO()
    capture, reports = capture_with(out, err)
    proxy_out, proxy_err = capture.proxies_for_test  # type: ignore[attr-defined]
    print("hello", 42, file=proxy_out)
    assert proxy_err.write("oops\n") == 5
    proxy_out.writelines(["a", "b"])
    assert out.getvalue() == "hello 42\nab"
    assert err.getvalue() == "oops\n"
    assert reports == [(0, "hello"), (0, " "), (0, "42"), (0, "\n"), (2, "oops\n"), (0, "a"),
                       (0, "b")]
    assert proxy_out.getvalue() == out.getvalue()  # everything else is delegated


def test_other_threads_and_detached_writes_are_not_reported() -> None:
    out, err = io.StringIO(), io.StringIO()
    capture, reports = capture_with(out, err)
    proxy_out, _ = capture.proxies_for_test  # type: ignore[attr-defined]
    worker = threading.Thread(target=proxy_out.write, args=("from worker\n",))
    worker.start()
    worker.join()
    capture.detach()
    proxy_out.write("after detach\n")  # a proxy the program kept still passes writes through
    assert out.getvalue() == "from worker\nafter detach\n"
    assert reports == []


def test_detach_restores_only_its_own_proxies() -> None:
    saved = sys.stdout, sys.stderr
    capture = StreamCapture(lambda kind, name, text: None, lambda exc, point: None)
    capture.attach()
    try:
        replacement = io.StringIO()
        sys.stderr = replacement  # the program redirected stderr itself
        capture.detach()
        assert sys.stdout is saved[0]
        assert sys.stderr is replacement
    finally:
        sys.stdout, sys.stderr = saved


def test_a_failing_report_is_contained() -> None:
    out, err = io.StringIO(), io.StringIO()
    failures: list[tuple[type[BaseException], str]] = []

    def report(kind: int, name: str, text: str) -> None:
        raise RuntimeError("writer broke")

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        capture = StreamCapture(report, lambda exc, point: failures.append((type(exc), point)))
        capture.attach()
        sys.stdout.write("still printed\n")
        capture.detach()
    finally:
        sys.stdout, sys.stderr = saved
    assert out.getvalue() == "still printed\n"
    assert failures == [(RuntimeError, "line")]
