"""The program every filter golden records (tests/filters/cases/*.toml)."""
from dataclasses import dataclass

from shop.pricing import total


@dataclass
class Account:
    owner: str
    pin: int
    balance: int


def login(user, password, debug_payload):
    session_key = "k-123"
    attempts = 1
    return session_key if password and attempts else None


def open_account(owner):
    account = Account(owner, 1234, 10)
    return account


def noisy(n):
    tmp_total = n * 2
    return tmp_total


key = login("ada", "hunter2", {"raw": True})
acct = open_account("ada")
paid = total([3, 4], 1)
print(noisy(paid), acct.balance)
