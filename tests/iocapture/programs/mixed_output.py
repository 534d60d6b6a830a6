"""Output through every route to fds 1 and 2, then the ending named by argv[1]."""

import ctypes
import os
import signal
import subprocess
import sys
import time

print("print 1")
sys.stdout.write("partial ")
sys.stdout.flush()
os.write(1, b"raw one\n")
print("\u00e9 unicode", file=sys.stderr)
os.write(2, b"raw err\n")
sys.stdout.buffer.write(b"bytes\n")
sys.stdout.flush()
subprocess.run([sys.executable, "-c", "import os; print('child'); os.write(2, b'child err\\n')"],
               check=True)
print("tty", os.isatty(1), os.get_terminal_size(1) if os.isatty(1) else None)
libc = ctypes.CDLL(None)
libc.printf(b"c printf\n")
print("last words", end="")
ending = sys.argv[1] if len(sys.argv) > 1 else "normal"
if ending == "exit":
    sys.exit(3)
if ending == "exception":
    raise LookupError("gone")
if ending == "ctrl-c":
    sys.stdout.flush()
    libc.fflush(None)  # a process killed by SIGINT loses C buffers, traced or not
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)
