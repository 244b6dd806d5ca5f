"""Ctrl-C during a solve: the first one stops the search (the command then writes nothing, or with --keep-partial
what it has), a second one quits at once."""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_stoppable(work: Callable[[threading.Event], T]) -> tuple[T, bool]:
    """`work(stop)` and whether Ctrl-C stopped it.

    CP-SAT holds the thread that calls it, and Python runs signal handlers only on the main thread between two
    steps of Python code; so `work` runs on a worker thread while the main thread waits, ready to set `stop`.
    """
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        return work(stop), False
    results: list[T] = []
    errors: list[BaseException] = []

    def on_interrupt(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\n正在停止求解……（再按一次 Ctrl-C 立即退出）", file=sys.stderr, flush=True)

    def target() -> None:
        try:
            results.append(work(stop))
        except BaseException as error:  # handed to the main thread as it is
            errors.append(error)

    worker = threading.Thread(target=target, name="solve", daemon=True)  # a second Ctrl-C need not wait for it
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        worker.start()
        worker.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    if errors:
        raise errors[0]
    return results[0], stop.is_set()
