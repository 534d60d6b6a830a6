"""`python run_pytest.py ARGS` is `python -m pytest ARGS`: the Rust recorder runs scripts only."""

import sys

import pytest

sys.exit(pytest.main(sys.argv[1:]))
