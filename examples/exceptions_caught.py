"""Exceptions raised and caught: in the same frame, through frames, with finally, re-raised."""


def divide(a, b):
    return a / b


def safe_divide(a, b):
    try:
        return divide(a, b)
    except ZeroDivisionError as exc:
        return str(exc)
    finally:
        cleanup = True  # noqa: F841 - a line that runs in finally


def checked(value):
    if value < 0:
        raise ValueError("negative")
    return value


def wrapper(value):
    try:
        return checked(value)
    except ValueError:
        raise RuntimeError("wrapped") from None


results = [safe_divide(1, 2), safe_divide(1, 0)]
try:
    wrapper(-1)
except RuntimeError as err:
    results.append(repr(err))
print(results)
