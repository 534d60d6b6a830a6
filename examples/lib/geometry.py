"""A helper module imported by modules.py: its module frame is named <lib.geometry>."""

UNIT = "cm"


def describe(width, height):
    return f"{width}x{height} {UNIT}"
