"""``python -m recorder``: see :mod:`recorder.cli`."""

import sys

from recorder.cli import console_main

if __name__ == "__main__":
    sys.exit(console_main())
