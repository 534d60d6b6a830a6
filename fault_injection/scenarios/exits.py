"""Scenario: prints, then ``sys.exit(3)``: the recorder must exit with the script's own 3."""

import sys


def main() -> int:
    print("about to exit with 3")  # noqa: REC001 - the traced program's own output
    return 3


sys.exit(main())  # noqa: REC007 - the traced program's own exit status
