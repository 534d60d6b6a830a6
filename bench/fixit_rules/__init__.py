"""Fixit rules equivalent to the REC rules, for the lint-speed comparison (needs ``fixit``)."""
