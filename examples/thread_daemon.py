"""A daemon thread still running when the program ends: its open call is closed at the end."""
import threading

started = threading.Event()
never = threading.Event()


def serve(port):
    started.set(); never.wait()  # one line: its Step is written before the thread blocks


threading.Thread(target=serve, args=(8000,), daemon=True).start()
started.wait()
print("main done")
