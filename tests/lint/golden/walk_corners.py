# ruff: noqa
# Golden file: every place the walk must descend into, and bindings made deep inside patterns.
import abc
import os
import sys
from sys import __stdout__
from typing import TYPE_CHECKING

from recorder.errors import RecorderError, usage

handler = lambda message=print("default"): message  # REC001
metaclass_call = type("M", (), {})


class WithKeywords(metaclass=make_meta(print("keyword"))):  # REC001
    pass


pairs = [x for a in groups for x in print(a)]  # REC001
table = {k: v for k, v in items if print(k)}  # REC001
value = print("in an attribute").strip  # REC001
raise usage(print("inside a raise"))  # REC001
assert print("inside an assert")  # REC001 REC002
walrus = (found := print("walrus value"))  # REC001

lines = [line for line in __stdout__]  # REC006

if TYPE_CHECKING:
    stream = sys.__stdout__
    raw = __stdout__
    other = [line for line in __stdout__]
    sys.stdout.write("never runs")

    def stub():
        print("a def under TYPE_CHECKING never runs either")

    class Stub:
        print("nor a class body")

    stub_lambda = lambda: print("nor a lambda")
    stub_list = [print(x) for x in range(3)]


def walrus_binds_in_the_function():
    (exit := len)
    exit(3)


exit(4)  # REC007: exit() outside the entry modules without a façade exit code


def handler_type_from_a_call():
    try:
        work()
    except exception_types():
        raise
    try:
        work()
    except errors_of(print("in the except clause")):  # REC001
        pass


def patterns_bind_deep_inside(command):
    match command:
        case Point(x=print) as whole:
            pass
        case {"key": exit, **rest}:
            pass
    print("bound by the class pattern above")
    exit(3)


def prints_in_a_function():
    print("the builtin")  # REC001


class Placeholders:
    def ellipsis_is_not_a_docstring(self):
        ...
        raise NotImplementedError  # REC003

    def raise_first_then_more(self):
        raise NotImplementedError  # REC003
        self.unreachable = True


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self):
        self.prepare()
        raise NotImplementedError

    @abc.abstractmethod
    def builds_a_class(self):
        class Body:
            raise NotImplementedError

    @x.abc.abstractmethod
    def deep(self):
        self.prepare()
        raise NotImplementedError

    @property
    def not_abstract(self):
        self.prepare()
        raise NotImplementedError  # REC003


def exits_with_a_parameter(code):
    sys.exit(code)  # REC007


def swallows_into_a_parameter(callback):
    try:
        work()
    except Exception:  # REC005
        callback()


def outer():
    E = None

    def inner():
        nonlocal E

        class E(Exception):
            pass

    raise E("the class inner binds in outer's scope")  # REC003


class Lazy:
    def __getattr__(self, name):
        import compat

        raise compat.AttributeError(name)  # REC003
