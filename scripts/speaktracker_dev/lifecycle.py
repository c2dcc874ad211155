"""How a dev-stack child process learns it should stop: SIGINT, SIGTERM, or its parent going away.

Ctrl-C in a terminal signals the whole foreground process group, the stack's supervisor sends SIGTERM, and a
supervisor that was killed outright cannot send anything: the child then notices it was re-parented and stops
by itself, so a killed ``make dev`` or test run leaves no process holding a port.
"""

from __future__ import annotations

import os
import signal
import threading

PARENT_CHECK_SECONDS = 0.5


def stop_on_signal_or_orphaning() -> threading.Event:
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    parent = os.getppid()

    def watch_parent() -> None:
        while not stop.wait(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    return stop
