"""Objects recorded by their fields: a plain class, a dataclass, __slots__, nesting, a cycle."""

from dataclasses import dataclass


class Plain:
    def __init__(self, x, y):
        self.x = x
        self.y = y


@dataclass
class Point:
    x: int
    y: int


class Slotted:
    __slots__ = ("name", "size", "unset")

    def __init__(self, name, size):
        self.name = name
        self.size = size


class Node:
    def __init__(self, value):
        self.value = value
        self.next = None


class Account:
    def __init__(self, user, password):
        self.user = user
        self.password = password  # a secret-looking field name: recorded as <redacted>


class Owner:
    @property
    def computed(self):  # a property is never evaluated to record the object
        raise RuntimeError("recording must not evaluate properties")


def build():
    plain = Plain(1, "one")
    point = Point(2, 3)
    slotted = Slotted("box", 4.5)
    nested = Plain(point, [slotted, None])
    ring = Node(1)
    ring.next = Node(2)
    ring.next.next = ring  # a cycle through fields
    owner = Owner()
    account = Account("alice", "hunter2")
    return plain, nested, ring, owner, account


result = build()
print(type(result[0]).__name__, result[1].x.y, result[2].next.next.value)
