# ruff: noqa
# Golden file: decorators, lambdas, default values and annotations are all checked.
import functools
import sys


def noisy(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("calling", fn)  # REC001
        return fn(*args, **kwargs)

    return wrapper


@noisy
def decorated():
    return 1


@functools.lru_cache(maxsize=print("decorator arguments run"))  # REC001
def cached():
    return 2


handler = lambda message: print(message)  # REC001
quitter = lambda: sys.exit(2)  # REC007
shadowed = lambda print: print("a lambda parameter")


def defaults(x=print("default values run at def time")):  # REC001
    return x


def param_default(print=print):
    print("the parameter shadows; its default is just read")


class Widget:
    @property
    def size(self):
        assert self.ok  # REC002
        return 1

    @staticmethod
    def render():
        sys.stdout.write("widget")  # REC006
