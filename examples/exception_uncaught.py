"""An exception that nobody catches: the traceback is printed and the exit status is 1."""


def parse(text):
    return int(text)


def load(items):
    return [parse(item) for item in items]


print("loading")
numbers = load(["1", "2", "three"])
print("never printed", numbers)
