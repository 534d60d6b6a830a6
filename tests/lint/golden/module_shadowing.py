# ruff: noqa
# Golden file: a module-level import of `print` shadows the builtin everywhere in the module,
# even before the import line (resolution is flow-insensitive, like pyflakes' binding tables
# and libcst's scopes). This file has no expectations: nothing here is the builtin.
print("shadowed by the import below")


def f():
    print("also shadowed")


from rich import print  # noqa: E402
