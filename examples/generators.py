"""Generators: yield, send, yield from, close, throw caught inside, a generator expression."""


def countdown(n):
    while n > 0:
        yield n
        n -= 1


def echo():
    received = yield "ready"
    while received is not None:
        received = yield received.upper()


def chain(a, b):
    yield from a
    yield from b


def resilient():
    while True:
        try:
            yield "ok"
        except ValueError as exc:
            yield f"caught {exc}"


values = list(countdown(3))
e = echo()
first = next(e)
second = e.send("abc")
e.close()
joined = list(chain(countdown(2), iter("xy")))
squares = sum(x * x for x in range(4))
r = resilient()
next(r)
caught = r.throw(ValueError("bad"))
print(values, first, second, joined, squares, caught)
