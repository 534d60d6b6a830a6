"""A program in two files: both are copied into files/."""

from files_helper import double

print(double(21))
