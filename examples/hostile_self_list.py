"""A list that contains itself, and a dict that contains itself."""

items = [1, 2]
items.append(items)
table = {"me": None}
table["me"] = table
print(len(items), items, len(table))
