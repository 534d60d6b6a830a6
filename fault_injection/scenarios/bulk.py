"""Scenario: enough events (values in a loop) that the trace takes several writes."""

data: dict[str, list[int]] = {}
for i in range(300):
    key = f"k{i % 17}"
    data.setdefault(key, []).append(i * i)
print("keys", len(data), "sum", sum(sum(v) for v in data.values()))  # noqa: REC001
