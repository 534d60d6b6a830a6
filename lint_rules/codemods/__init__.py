"""The autofix codemods, one per module: each turns one reported node into its façade form.

They are pure node builders (no traversal, no imports added): :mod:`lint_rules.fixers` decides
which nodes to rewrite (exactly the reported, non-suppressed findings), applies the builders and
adds the imports they need once.
"""
