# ruff: noqa
# Golden file: re-raises (REC004) and swallowing handlers (REC005), nested.
from recorder.errors import RecorderError, UsageError, bug, translate


def reraises():
    try:
        work()
    except RecorderError:
        raise
    try:
        work()
    except (RecorderError, UsageError):
        cleanup()
        raise
    try:
        work()
    except OSError:
        raise  # REC004
    try:
        work()
    except:  # REC005
        cleanup()
    try:
        work()
    except:
        raise  # REC004
    try:
        work()
    except RecorderError:
        try:
            cleanup()
        except KeyError:
            raise  # REC004
        raise
    try:
        work()
    except KeyError:
        try:
            cleanup()
        finally:
            raise  # REC004
    try:
        work()
    except KeyError:

        def later():
            raise  # not inside a handler of its own function

        return later


def swallows():
    try:
        work()
    except Exception:  # REC005
        return None
    try:
        work()
    except BaseException as exc:  # REC005
        log(exc)
    try:
        work()
    except (KeyError, Exception):  # REC005
        pass
    try:
        work()
    except Exception as exc:
        raise translate(exc) from exc
    try:
        work()
    except Exception as exc:
        report(bug(exc))
    try:
        work()
    except Exception:
        if retry():
            return None
        raise  # REC004
    try:
        work()
    except* Exception:  # REC005
        pass
    try:
        work()
    except* OSError:
        raise  # REC004
    try:
        work()
    except Exception:  # REC005
        handler = lambda: translate(None)
        return handler


def returns_instead_of_raising():
    try:
        work()
    except Exception as exc:  # REC005: handler swallows every error; re-raise, convert with translate(), or catch narrowly
        return bug(f"work failed: {exc}")
    try:
        work()
    except BaseException as exc:  # REC005
        return translate(exc)
    try:
        work()
    except Exception as exc:
        report(translate(exc))
        return None
    try:
        work()
    except Exception as exc:
        error = bug(f"work failed: {exc}")
        return report(error)
