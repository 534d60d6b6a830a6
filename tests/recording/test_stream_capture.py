"""stdout/stderr capture: writes reach the real stream unchanged and are reported once."""

from __future__ import annotations

import io
import sys
import threading

import pytest

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


def test_other_threads_writes_are_reported_and_detached_writes_are_not() -> None:
    out, err = io.StringIO(), io.StringIO()
    capture, reports = capture_with(out, err)
    proxy_out, _ = capture.proxies_for_test  # type: ignore[attr-defined]
    worker = threading.Thread(target=proxy_out.write, args=("from worker\n",))
    worker.start()
    worker.join()
    capture.detach()
    proxy_out.write("after detach\n")  # a proxy the program kept still passes writes through
    assert out.getvalue() == "from worker\nafter detach\n"
    # The recording decides whether the thread is recorded (its number, or nothing).
    assert reports == [(0, "from worker\n")]


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


def capture_stdin(text: str) -> tuple[StreamCapture, list[tuple[int, str]], object]:
    reports: list[tuple[int, str]] = []
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.StringIO(text)
    try:
        capture = StreamCapture(lambda kind, name, text: reports.append((kind, text)),
                                lambda exc, point: None)
        capture.attach()
        proxy = sys.stdin
    finally:
        capture.active = True  # keep reporting after the real streams are back, for the test
        sys.stdin, sys.stdout, sys.stderr = saved
    return capture, reports, proxy


def test_stdin_reads_are_returned_unchanged_and_reported() -> None:
    _, reports, stdin = capture_stdin("first\nsecond\nthird\nfourth\nrest")
    assert stdin.readline() == "first\n"  # type: ignore[attr-defined]
    assert stdin.read(3) == "sec"  # type: ignore[attr-defined]
    assert next(iter(stdin)) == "ond\n"  # type: ignore[call-overload]
    assert stdin.readlines() == ["third\n", "fourth\n", "rest"]  # type: ignore[attr-defined]
    assert stdin.read() == ""  # type: ignore[attr-defined]  # end of input: nothing to report
    assert list(stdin) == []  # type: ignore[call-overload]
    assert reports == [(3, "first\n"), (3, "sec"), (3, "ond\n"), (3, "third\nfourth\nrest")]
    assert stdin.tell() > 0  # type: ignore[attr-defined]  # everything else is delegated


def test_stdin_read_by_another_thread_is_reported() -> None:
    _, reports, stdin = capture_stdin("one\ntwo\n")
    worker = threading.Thread(target=stdin.readline)  # type: ignore[attr-defined]
    worker.start()
    worker.join()
    assert stdin.readline() == "two\n"  # type: ignore[attr-defined]
    assert reports == [(3, "one\n"), (3, "two\n")]  # the recording numbers the thread


def test_detach_puts_stdin_back_unless_the_program_replaced_it() -> None:
    saved = sys.stdin, sys.stdout, sys.stderr
    try:
        real = sys.stdin = io.StringIO("x")
        capture = StreamCapture(lambda kind, name, text: None, lambda exc, point: None)
        capture.attach()
        assert sys.stdin is not real
        capture.detach()
        assert sys.stdin is real
        capture.attach()
        replacement = sys.stdin = io.StringIO("y")
        capture.detach()
        assert sys.stdin is replacement
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def test_no_stdin_is_left_alone() -> None:
    saved = sys.stdin, sys.stdout, sys.stderr
    try:
        sys.stdin = None  # type: ignore[assignment]
        capture = StreamCapture(lambda kind, name, text: None, lambda exc, point: None)
        capture.attach()
        assert sys.stdin is None
        capture.detach()
        assert sys.stdin is None
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def test_bytes_written_to_the_buffer_reach_it_and_are_reported_as_text() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    capture, reports = capture_with(out, io.StringIO())  # type: ignore[arg-type]
    proxy_out, _ = capture.proxies_for_test  # type: ignore[attr-defined]
    buffer = proxy_out.buffer
    assert proxy_out.buffer is buffer
    snowman = "☃".encode()
    assert buffer.write(b"raw " + snowman[:1]) == 5  # a character split across two writes
    buffer.write(bytearray(snowman[1:] + b"\n"))
    buffer.writelines([memoryview(b"a"), b"\xff"])
    buffer.flush()  # delegated
    assert raw.getvalue() == b"raw " + snowman + b"\na\xff"
    assert reports == [(0, "raw "), (0, "☃\n"), (0, "a"), (0, "\ufffd")]


def test_a_stream_without_a_buffer_still_has_none() -> None:
    capture, _ = capture_with(io.StringIO(), io.StringIO())
    proxy_out, _ = capture.proxies_for_test  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        proxy_out.buffer  # noqa: B018 - the attribute access is the test


def test_proxies_are_context_managers_like_the_streams() -> None:
    _, _, stdin = capture_stdin("x\n")
    with stdin as entered:  # type: ignore[attr-defined]
        assert entered is stdin
        assert entered.readline() == "x\n"
    assert stdin.closed  # type: ignore[attr-defined]  # closed by the real stream's __exit__
