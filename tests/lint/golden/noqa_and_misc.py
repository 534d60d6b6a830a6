# ruff: noqa
# Golden file: noqa comments, REC006 routes and exit codes.
import os
import sys

from recorder.errors import ExitCode, RecorderError
from recorder.errors import ExitCode as Codes

print("blanket")  # noqa
print("listed")  # noqa: REC001
print("other code listed")  # noqa: REC002  # REC001
print("upper-case NOQA, no space")  # NOQA:REC001
assert x, "several codes"  # noqa: REC001, REC002
print("x", file=sys.stdout)  # REC006: writes to stdout outside the output modules (print(file=sys.stdout))
print("x", file=sys.stderr)  # REC001
sys.stdout.buffer.write(b"x")  # REC006: writes to stdout outside the output modules (sys.stdout.buffer.write)
sys.stdout.flush()
os.write(1, b"x")  # REC006: writes to stdout outside the output modules (os.write(1, ...))
os.write(sys.stdout.fileno(), b"x")  # REC006: writes to stdout outside the output modules (os.write(sys.stdout.fileno(), ...))
os.write(sys.__stdout__.buffer.fileno(), b"x")  # REC006
os.write(sys.stdout.buffer.fileno(), b"x")  # REC006: writes to stdout outside the output modules (os.write(sys.stdout.buffer.fileno(), ...))
os.write(sys.stderr.fileno(), b"x")
os.write(sys.stdout.fileno(1), b"x")
os.write(stdout_fd(), b"x")
stream = sys.__stdout__  # REC006: writes to stdout outside the output modules (sys.__stdout__)
sys.exit(ExitCode.USAGE)
sys.exit(Codes.TARGET)
os._exit(ExitCode.INTERNAL)
sys.exit(error.kind.exit_code)
sys.exit()  # REC007: sys.exit() outside the entry modules without a façade exit code
sys.exit(0)  # REC007
os._exit(status=ExitCode.INTERNAL)
os._exit(status=3)  # REC007: os._exit() outside the entry modules without a façade exit code
exit(code=ExitCode.USAGE)
quit(status := 3)  # REC007


def exit_with_a_caught_error():
    try:
        work()
    except RecorderError as err:
        sys.exit(err)


def exit_with_a_caught_foreign_error():
    try:
        work()
    except OSError as err:
        sys.exit(err)  # REC007: sys.exit() outside the entry modules without a façade exit code
