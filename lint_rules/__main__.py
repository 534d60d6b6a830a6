"""``python -m lint_rules``: the process entry point (the only module that touches sys.std*)."""

from __future__ import annotations

import sys

from lint_rules.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdout, sys.stderr))
