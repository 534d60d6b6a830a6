# ruff: noqa
# Golden file: which raises are typed (façade) and which are not.
import abc
import json

import recorder.errors
import recorder.errors as errs
from recorder import errors
from recorder.errors import ErrorCode, RecorderError, translate, usage
from recorder.errors.exceptions import InternalError


class Local(RecorderError):
    pass


class Deeper(Local):
    pass


class Foreign(Exception):
    pass


class Mixed(Foreign, errors.TargetError):
    pass


def typed(kind):
    if kind == 1:
        raise usage(ErrorCode.INVALID_ARGUMENT, "constructor from the façade")
    if kind == 2:
        raise errors.UsageError("module import")
    if kind == 3:
        raise errs.EnvironmentError("aliased module")
    if kind == 4:
        raise recorder.errors.TargetError("dotted module")
    if kind == 5:
        raise Deeper("local class derived from the façade, twice")
    if kind == 6:
        raise Mixed("one façade base is enough")
    if kind == 7:
        raise InternalError("submodule of the façade")
    raise kind  # unknown: a parameter


def untyped(kind):
    if kind == 1:
        raise ValueError("builtin")  # REC003: raise of untyped exception ValueError; raise a façade error (usage/enverr/target/bug)
    if kind == 2:
        raise Foreign("local class not derived from the façade")  # REC003: raise of untyped exception Foreign; raise a façade error (usage/enverr/target/bug)
    if kind == 3:
        raise json.JSONDecodeError("m", "d", 0)  # REC003: raise of untyped exception json.JSONDecodeError; raise a façade error (usage/enverr/target/bug)
    try:
        json.loads(kind)
    except json.JSONDecodeError as exc:
        raise KeyError(kind) from exc  # REC003
    try:
        json.loads(kind)
    except OSError as exc:
        raise translate(exc) from exc
    try:
        json.loads(kind)
    except OSError as exc:
        raise exc  # REC003
    try:
        json.loads(kind)
    except RecorderError as exc:
        raise exc


class Protocols:
    def __getattr__(self, name):
        raise AttributeError(name)

    def __next__(self):
        raise StopIteration

    async def __anext__(self):
        raise StopAsyncIteration

    def __getitem__(self, key):
        if key:
            raise KeyError(key)
        raise IndexError(key)

    def __getattribute__(self, name):
        raise KeyError(name)  # REC003

    def __iter__(self):
        def helper():
            raise TypeError("the exemption is for the dunder itself, not nested defs")  # REC003

        return helper

    @abc.abstractmethod
    def abstract(self):
        raise NotImplementedError

    def placeholder(self):
        raise NotImplementedError

    def placeholder_with_docstring_and_message(self):
        """Subclasses implement it."""
        raise NotImplementedError("subclasses implement it")

    def not_only_the_raise(self):
        self.prepare()
        raise NotImplementedError  # REC003: raise of untyped exception NotImplementedError; raise a façade error (usage/enverr/target/bug)

    def docstring_is_not_the_only_other_statement(self):
        """Doc."""
        pass
        raise NotImplementedError  # REC003

    def nested_placeholder_is_not_a_method(self):
        def inner():
            raise NotImplementedError  # REC003

        return inner


def plain_function_placeholder():
    raise NotImplementedError  # REC003


class Attributes:
    def raise_attribute_of_self(self):
        raise self.error

    def raise_attribute_of_a_parameter(self, obj):
        raise obj.Error("unknown: what obj holds is not known")

    def raise_attribute_of_a_local(self):
        module = load()
        raise module.Failure("unknown too")


def raise_attribute_of_an_import():
    raise abc.Whatever("an import's attribute is foreign")  # REC003: raise of untyped exception abc.Whatever; raise a façade error (usage/enverr/target/bug)


def the_same_local_classes_twice(kind):
    if kind:
        raise Deeper("typed, asked a second time")
    if not kind:
        raise Foreign("untyped, asked a second time")  # REC003
    raise Deeper("and a third")
