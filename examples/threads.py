"""A worker thread: recorded as thread 2 (1 is the thread that started tracing)."""
import threading

results = []


def work(n):
    total = 0
    for i in range(n):
        total += i
    results.append(total)


def run_in_thread(n):
    # Module globals are not shown in this frame, so no step sees `results` change under it.
    worker = threading.Thread(target=work, args=(n,))
    worker.start()
    worker.join()


run_in_thread(5)
work(3)
print(results)
