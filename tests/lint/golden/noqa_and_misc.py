# ruff: noqa
# Golden file: noqa comments, REC006 routes and exit codes.
import os
import sys

from recorder.errors import ExitCode
from recorder.errors import ExitCode as Codes

print("blanket")  # noqa
print("listed")  # noqa: REC001
print("other code listed")  # noqa: REC002  # REC001
print("upper-case NOQA, no space")  # NOQA:REC001
assert x, "several codes"  # noqa: REC001, REC002
print("x", file=sys.stdout)  # REC006
print("x", file=sys.stderr)  # REC001
sys.stdout.buffer.write(b"x")  # REC006
sys.stdout.flush()
os.write(1, b"x")  # REC006
stream = sys.__stdout__  # REC006
sys.exit(ExitCode.USAGE)
sys.exit(Codes.TARGET)
os._exit(ExitCode.INTERNAL)
sys.exit(error.kind.exit_code)
sys.exit()  # REC007
sys.exit(0)  # REC007
exit(code=ExitCode.USAGE)
quit(status := 3)  # REC007
