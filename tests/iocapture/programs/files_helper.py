"""Imported by files_main.py: its copy goes into the trace's files/ too."""


def double(value):
    return value * 2
