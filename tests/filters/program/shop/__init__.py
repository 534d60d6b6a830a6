"""A package the skip-a-package filter leaves out."""
