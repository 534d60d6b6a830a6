"""Objects whose protocol methods have side effects: recording must run none of them.

Every method below counts its calls (or sorts, or takes a lock); the program prints the counters
at the end, and the recorder's tests check that the traced run prints exactly what the untraced
run prints. A recorder that called repr(), len(), iter(), bool(), ==, hash() or a property of
these objects to record them would change the counts, or the order, or deadlock.
"""

import threading

calls = {}


def hit(name):
    calls[name] = calls.get(name, 0) + 1


class Noisy:
    def __repr__(self):
        hit("repr")
        return "Noisy()"

    def __str__(self):
        hit("str")
        return "noisy"

    def __len__(self):
        hit("len")
        return 1

    def __iter__(self):
        hit("iter")
        return iter(())

    def __bool__(self):
        hit("bool")
        return True

    def __eq__(self, other):
        hit("eq")
        return self is other

    def __hash__(self):
        hit("hash")
        return 7

    def __getattr__(self, name):
        hit("getattr")
        raise AttributeError(name)

    @property
    def lazy(self):
        hit("property")
        return 1


class Watched:
    def __getattribute__(self, name):
        if not name.startswith("__"):
            hit("getattribute")
        return object.__getattribute__(self, name)


class Registry:
    """markdown's pattern: __repr__ iterates, and iterating sorts and marks the registry sorted."""

    def __init__(self):
        self._items = []
        self._is_sorted = False

    def __iter__(self):
        hit("registry-iter")
        if not self._is_sorted:
            self._items.sort()
            self._is_sorted = True
        return iter(self._items)

    def __repr__(self):
        return f"Registry({list(self)})"

    def register(self, item):
        self._is_sorted = False
        self._items.append(item)


class Guarded:
    lock = threading.Lock()

    def __repr__(self):
        if not Guarded.lock.acquire(timeout=0.1):
            hit("deadlock")
            return "Guarded(locked)"
        Guarded.lock.release()
        return "Guarded()"


class CountingList(list):
    def __len__(self):
        hit("list-len")
        return super().__len__()

    def __iter__(self):
        hit("list-iter")
        return super().__iter__()

    def __getitem__(self, index):
        hit("list-getitem")
        return super().__getitem__(index)


class CountingDict(dict):
    def items(self):
        hit("dict-items")
        return super().items()

    def __iter__(self):
        hit("dict-iter")
        return super().__iter__()


class ShoutingStr(str):
    def __str__(self):
        hit("str-str")
        return self.upper()

    def __getitem__(self, index):
        hit("str-getitem")
        return str.__getitem__(self, index)


def work():
    noisy = Noisy()
    watched = Watched()
    in_list = [Noisy(), Watched()]
    in_dict = {"a": Noisy()}
    as_key = {noisy: 1}
    registry = Registry()
    registry.register("b")
    registry.register("a")
    registry.register("c")
    guarded = Guarded()
    with Guarded.lock:
        locked_step = guarded
    counting = CountingList([1, 2, 3])
    mapping = CountingDict(x=1)
    text = ShoutingStr("quiet")
    return noisy, watched, in_list, in_dict, as_key, registry, locked_step, counting, mapping, text


before = dict(calls)
values = work()
print("calls while working:", {k: v - before.get(k, 0) for k, v in sorted(calls.items())})
print("registry order:", values[5]._items)
