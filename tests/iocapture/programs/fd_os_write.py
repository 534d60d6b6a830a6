"""Writes that bypass sys.stdout/sys.stderr, between proxied ones."""

import os
import sys


def shout(text):
    os.write(1, text.encode() + b"\n")
    return len(text)


print("through the proxy")
shout("raw from a function")
os.write(2, b"raw to fd 2\n")
sys.stdout.buffer.write(b"through the buffer proxy\n")
print("proxied to stderr", file=sys.stderr)
os.write(1, b"no newline")
