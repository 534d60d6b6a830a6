"""A 10,000-digit integer (beyond str()'s default digit limit) held in variables."""
import sys

sys.set_int_max_str_digits(20000)
big = 7 ** 11833
digits = len(str(big))
negative = -big
print(digits, digits >= 10000, str(big)[:10])
