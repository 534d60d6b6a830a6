# ruff: noqa
# Golden file: aliases of the builtins and of sys/os are still found.
import builtins
import builtins as b
import os as operating_system
import sys as system
from builtins import print as p
from os import _exit
from sys import exit as leave
from sys import stdout as out

p("aliased print")  # REC001: print() outside the output modules; write diagnostics through the logger
b.print("module alias")  # REC001
builtins.print("dotted")  # REC001
out.write("stdout via an alias")  # REC006
system.stdout.writelines(["x"])  # REC006
system.__stdout__  # REC006
operating_system.write(1, b"raw fd 1")  # REC006
operating_system.write(2, b"fd 2 is stderr")
leave(3)  # REC007
_exit(4)  # REC007
system.exit("message")  # REC007
builtins.exit()  # REC007
raise b.ValueError("aliased builtin exception")  # REC003
