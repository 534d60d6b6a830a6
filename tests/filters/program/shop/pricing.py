"""Prices: a module of the ``shop`` package."""


def total(prices, discount):
    subtotal = sum(prices)
    return subtotal - discount
