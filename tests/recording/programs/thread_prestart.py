"""A thread started before tracing starts: recorded from its next call on (3.12+; not on 3.11)."""
import sys
import threading

import recorder

go = threading.Event()
done = threading.Event()


def step(i):
    return i * i


def loop():
    go.wait()
    for i in range(3):
        step(i)
    done.set()


def main_part():
    go.set()
    done.wait()
    return "joined"


worker = threading.Thread(target=loop, name="early")
worker.start()
with recorder.trace(sys.argv[1], backend=sys.argv[2]):
    main_part()
    worker.join()
print("finished")
