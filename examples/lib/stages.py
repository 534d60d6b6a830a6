"""The activation file of activation.py: its module body is the activating frame."""


def double(n):
    return n * 2


TABLE = [double(n) for n in range(3)]
