"""ThreadPoolExecutor with 4 workers: each runs one task (a barrier holds them together)."""
import threading
from concurrent.futures import ThreadPoolExecutor

barrier = threading.Barrier(4)


def square_sum(n):
    barrier.wait()
    total = 0
    for i in range(n):
        total += i * i
    return total


def main():
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(square_sum, [3, 4, 5, 6]))
    print(results)


main()
