# ruff: noqa
"""A small settings cache written before the error policy existed (input for the fixer tests).

Lines the fixers cannot repair carry a trailing ``# unfixable: RECnnn`` marker; after
``fix_source`` exactly those findings must remain.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    print("type checkers never run this")

DEFAULT_PATH = os.path.expanduser("~/.settings.json")


class SettingsError(Exception):
    """A foreign exception hierarchy: the fixer cannot know which façade kind it maps to."""


class Settings:
    def __init__(self, path=DEFAULT_PATH, verbose=False):
        assert isinstance(path, str), "path must be a string"
        self.path = path
        self.verbose = verbose
        self._data = None

    def __getitem__(self, key):
        data = self.load()
        if key not in data:
            raise KeyError(key)
        return data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.load())

    def load(self):
        if self._data is not None:
            return self._data
        if self.verbose:
            print("loading settings from", self.path)
        if not os.path.exists(self.path):
            raise FileNotFoundError(self.path)
        try:
            with open(self.path, encoding="utf-8") as fh:
                self._data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ValueError("settings file is not JSON: %s" % exc) from exc
        except OSError:
            print("could not read", self.path, file=sys.stderr)
            raise  # unfixable: REC004
        assert isinstance(self._data, dict)
        return self._data

    def get(self, key, default=None):
        try:
            return self[key]
        except:  # unfixable: REC005
            return default

    def set(self, key, value):
        if not isinstance(key, str):
            raise TypeError("keys are strings, got %r" % (key,))
        if key.startswith("_"):
            raise SettingsError("private key: " + key)  # unfixable: REC003
        self.load()[key] = value

    def save(self):
        data = json.dumps(self.load(), indent=2)
        try:
            with open(self.path, "w", encoding="utf-8") as fh:
                print(data, file=fh)  # unfixable: REC001
        except Exception:  # unfixable: REC005
            print("save failed")

    def dump(self, *keys):
        for key in keys:
            print(key, "=", self[key])
        print(*keys)  # unfixable: REC001
        sys.stdout.write("done\n")  # unfixable: REC006
        print("debug only")  # noqa: REC001


def main(argv):
    if len(argv) != 2:
        print("usage: settings KEY")
        sys.exit(2)  # unfixable: REC007
    settings = Settings(verbose=True)
    if argv[1] not in settings.load(): raise RuntimeError("no such key")  # fmt: skip
    print(settings[argv[1]])
    return 0
