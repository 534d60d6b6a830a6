"""An object whose __getattr__ and __getattribute__ raise for everything."""


class Trap:
    def __getattribute__(self, name):
        raise RuntimeError(f"no attribute access: {name}")

    def __getattr__(self, name):
        raise RuntimeError(f"no getattr: {name}")


class Lazy:
    def __getattr__(self, name):
        raise AttributeError(name)


def touch(obj):
    try:
        obj.anything  # noqa: B018 - the attribute access is the point
    except (RuntimeError, AttributeError) as exc:
        return type(exc).__name__
    return "ok"


trap = Trap()
lazy = Lazy()
print(touch(trap), touch(lazy))
