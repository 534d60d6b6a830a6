"""The program both recorders trace in the compatibility test (no secret-looking names)."""
from inventory.stock import price, restock


def report(label, count, debug_note=None):
    line_text = label + "=" + str(count)
    tmp_width = len(line_text)
    return line_text, tmp_width


def skipped_helper(n):
    inner_value = n + 1
    return inner_value


def run():
    level = restock(3, 4, "note")
    cost = price("widget", level)
    shown = report("cost", cost, debug_note="x")
    extra = skipped_helper(level)
    return shown, extra


run()
