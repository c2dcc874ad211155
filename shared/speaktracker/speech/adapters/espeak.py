"""espeak-ng: offline speech for sentences (the ``SpeechSynthesizer`` port) and letter-to-sound rules.

Word timings, only when asked, come from force-aligning the synthesised audio with pocketsphinx: the
espeak-ng command line has no word marks (only its C API has callbacks), and alignment gives 10 ms
boundaries for any voice using the aligner the assessor already loads.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable

from ..audio import Recording, decode_recording
from ..errors import SpeechEngineError
from ..evidence import WordAligner
from ..lexicon import Lexicon, Pronunciation
from ..phonemes import arpabet_from_ipa
from ..ports import SynthesizedSpeech, WordTiming
from ..text import reference_words

DEFAULT_VOICE = "en-us"
_TIMEOUT_SECONDS = 20


def _espeak(*args: str, text: str) -> bytes:
    try:
        done = subprocess.run(
            ["espeak-ng", *args], input=text.encode(), capture_output=True, timeout=_TIMEOUT_SECONDS, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechEngineError(f"espeak-ng failed: {exc}") from exc
    return done.stdout


def letter_to_sound(word: str) -> Pronunciation:
    """ARPAbet for a word the dictionary does not know, from espeak-ng's American English rules."""
    return tuple(arpabet_from_ipa(_espeak("-q", "--ipa", "-v", DEFAULT_VOICE, text=word).decode()))


class EspeakSynthesizer:
    def __init__(
        self,
        aligner: Callable[[], WordAligner],
        lexicon: Lexicon,
        default_voice: str = DEFAULT_VOICE,
        words_per_minute: int = 150,
    ) -> None:
        """``aligner`` makes what has ``word_times(pcm, words, pronunciations)`` (``SphinxAnalyzer``). It is
        called on the first synthesis that asks for word timings, not before: an acoustic model of its own
        (~28 MB, ~0.08 s to load) that the services, which never ask, do not pay for."""
        self._make_aligner = aligner
        self._aligner: WordAligner | None = None
        self._aligner_lock = threading.Lock()
        self._lexicon = lexicon
        self._voice = default_voice
        self._speed = words_per_minute

    def synthesize(self, text: str, voice: str | None = None, *, word_times: bool = False) -> SynthesizedSpeech:
        wav = _espeak("--stdout", "-v", voice or self._voice, "-s", str(self._speed), text=text)
        recording = decode_recording(wav)
        return SynthesizedSpeech(
            audio=wav,
            format="wav",
            content_type="audio/wav",
            words=self._word_times(recording, text) if word_times else [],
            duration=round(recording.duration, 3),
        )

    def _word_aligner(self) -> WordAligner:
        with self._aligner_lock:
            if self._aligner is None:
                self._aligner = self._make_aligner()
            return self._aligner

    def _word_times(self, recording: Recording, text: str) -> list[WordTiming]:
        tokens = reference_words(text)
        spoken = [(t.written, w) for t in tokens for w in t.spoken]
        words = [w for _, w in spoken]
        times = self._word_aligner().word_times(recording.pcm, words, [self._lexicon.pronounce(w) for w in words])
        merged: dict[int, WordTiming] = {}
        owner = {i: t for i, t in enumerate(idx for idx, tok in enumerate(tokens) for _ in tok.spoken)}
        for i, (start, end) in times.items():
            t = owner[i]
            previous = merged.get(t)
            merged[t] = WordTiming(tokens[t].written, previous.start if previous else start, end)
        return [merged[t] for t in sorted(merged)]
