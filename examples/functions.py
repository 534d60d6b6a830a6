"""Plain functions: arguments, defaults, keyword-only, *args/**kwargs, return values."""


def add(a, b):
    c = a + b
    return c


def greet(name, greeting="hello", *, punctuation="!"):
    return f"{greeting}, {name}{punctuation}"


def total(*numbers, **weights):
    result = 0
    for n in numbers:
        result += n * weights.get("scale", 1)
    return result


r = add(1, 2)
message = greet("world", punctuation="?")
t = total(1, 2, 3, scale=2)
print(r, message, t)
