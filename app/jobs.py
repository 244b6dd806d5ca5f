"""A solver run in a background thread, with a thread-safe progress list the page polls, and a stop button.

The Streamlit script must never block on CP-SAT: the job runs in its own thread and the page reads
`snapshot()` from a fragment that reruns every second. Tests (AppTest runs scripts synchronously) set
PLANNER_APP_SYNC=1 and the same job runs inline.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

LOG = logging.getLogger(__name__)


def run_synchronously() -> bool:
    return os.environ.get("PLANNER_APP_SYNC", "") not in ("", "0")


class SolveJob:
    """Runs `work(progress, stop)` once; keeps its progress points, result and error."""

    def __init__(self, work: Callable, label: str, meta: dict | None = None):
        self.work, self.label, self.meta = work, label, meta or {}
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._points: list[dict] = []
        self.result = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self.finished: float | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SolveJob:
        if run_synchronously():
            self._run()
        else:
            self._thread = threading.Thread(target=self._run, name=f"solve-{self.label}", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = self.work(self._on_progress, self.stop)
        except BaseException as error:  # shown on the page; a solver error must not kill the server
            LOG.exception("solver job %s failed", self.label)  # the server's log keeps where it failed
            self.error = error
        finally:
            self.finished = time.monotonic()

    def _on_progress(self, progress) -> None:
        point = asdict(progress)
        with self._lock:
            self._points.append(point)

    @property
    def done(self) -> bool:
        return self.finished is not None

    @property
    def elapsed_s(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def points(self) -> list[dict]:
        with self._lock:
            return list(self._points)
