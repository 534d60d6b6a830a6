"""Closures: nonlocal state, a counter factory, a decorator, lambdas."""
import functools


def make_counter(start):
    count = start

    def increment(step=1):
        nonlocal count
        count += step
        return count

    return increment


def logged(func):
    @functools.wraps(func)
    def inner(*args):
        result = func(*args)
        return result

    return inner


@logged
def square(x):
    return x * x


counter = make_counter(10)
counter()
counter(5)
scale = lambda v: v * 3  # noqa: E731
print(counter(), square(4), scale(2))
