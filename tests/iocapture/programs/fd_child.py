"""A child process writing to the stdout and stderr it inherits."""

import subprocess
import sys

print("parent before", flush=True)
subprocess.run([sys.executable, "-c",
                "import sys; print('child out'); print('child err', file=sys.stderr)"],
               check=True)
print("parent after")
