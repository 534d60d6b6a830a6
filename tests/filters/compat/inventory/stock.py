"""A module of the ``inventory`` package (compared between the recorders)."""


def restock(level, amount, debug_note):
    tmp_level = level + amount
    tmp_extra = amount * 2
    return tmp_level + tmp_extra


def price(item, qty):
    unit_price = len(item)
    total_price = unit_price * qty
    return total_price
