"""Assessment in worker processes: the ``Assessor`` port for a host that serves many requests at once.

pocketsphinx holds the GIL through each search, so in one process the searches of concurrent assessments (about
half of their CPU; hama's native engine releases the GIL) run one at a time, and the process's other requests wait
for the GIL between them. A host that serves many students at once (the dev stack's practice and conversation
services) assesses in a small pool of processes instead, each with the engine loaded once. In AWS each request is
its own Lambda invocation and assesses in-process (``assessment_workers`` = 0).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .errors import SpeechEngineError
from .result import PronunciationAssessment

PARENT_CHECK_SECONDS = 1.0


class AssessorPool:
    """``workers`` processes (started on first use, then kept), each assessing one recording at a time."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("an assessor pool needs at least one worker")
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def assess(self, audio: bytes, reference_text: str, content_type: str | None = None) -> PronunciationAssessment:
        executor = self._ready()
        try:
            return executor.submit(_assess, audio, reference_text, content_type).result()
        except BrokenProcessPool as error:
            # A worker died (killed, out of memory): this request fails as the engine's fault, the next one
            # gets a fresh pool.
            self._discard(executor)
            raise SpeechEngineError("An assessment worker stopped; please try again.") from error

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _ready(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the host has threads (HTTP server, pollers), and a forked child of a threaded
                # process may inherit a lock held mid-operation.
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_load_engine
                )
            return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)


def _load_engine() -> None:
    from .factory import local_assessor

    threading.Thread(target=_exit_with, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    local_assessor()


def _exit_with(parent: int) -> None:
    """A host killed outright (SIGKILL, as the dev stack's fault tests do) cannot stop its workers: each leaves
    on its own once its parent is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _assess(audio: bytes, reference_text: str, content_type: str | None) -> PronunciationAssessment:
    from .factory import local_assessor

    return local_assessor().assess(audio, reference_text, content_type)
