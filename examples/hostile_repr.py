"""Objects whose repr raises, or returns a non-string."""


class BadRepr:
    def __repr__(self):
        raise RuntimeError("repr exploded")


class WrongRepr:
    def __repr__(self):
        return 42


def use(obj):
    kind = type(obj).__name__
    return kind


bad = BadRepr()
wrong = WrongRepr()
print(use(bad), use(wrong))
