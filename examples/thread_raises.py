"""Threads that raise: the exception ends its thread (threading.excepthook reports it)."""
import threading


def fail(n):
    if n > 1:
        raise ValueError(f"bad input {n}")
    return n


def main():
    for n in (1, 2):
        worker = threading.Thread(target=fail, args=(n,), name=f"worker-{n}")
        worker.start()
        worker.join()
    print("done")


main()
