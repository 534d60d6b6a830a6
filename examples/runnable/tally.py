"""A submodule of the package run with -m."""


def count(words):
    total = 0
    for word in words:
        total += len(word)
    return 0 if total else 5
