"""Deep recursion: 3,000 frames below the default limit, then a RecursionError caught."""
import sys

sys.setrecursionlimit(5000)


def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def forever(n):
    return forever(n + 1)


print(depth(3000))
try:
    forever(0)
except RecursionError:
    print("recursion error caught")
