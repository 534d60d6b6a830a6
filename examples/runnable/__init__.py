"""A package run with -m: its __main__ runs; this __init__ is imported first (untraced)."""
