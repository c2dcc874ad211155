"""Builds the speech engine chosen by ``settings.speech_engine``.

Assessment always runs pocketsphinx in-process (alignment and phone scores need the acoustic model; neither
Transcribe nor any AWS service returns them). What changes with the engine is the voice (espeak-ng or Polly)
and open recognition (pocketsphinx or Transcribe). With ``settings.assessment_workers`` > 0 (a host serving many
requests at once, such as the dev stack) assessments run in that many worker processes (``pool.AssessorPool``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from .assessment import PronunciationAssessor
from .lexicon import Lexicon
from .ports import Assessor, Recognizer, SpeechSynthesizer


@dataclass(frozen=True)
class SpeechEngine:
    assessor: Assessor
    synthesizer: SpeechSynthesizer
    recognizer: Recognizer


def build_speech(
    settings: Any,
    polly_client: Any = None,
    transcribe_client: Any = None,
    s3_client: Any = None,
    transcribe_bucket: str | None = None,
    polly_voice: str = "Joanna",
) -> SpeechEngine:
    local = _local_engine()
    workers = getattr(settings, "assessment_workers", 0)
    assessor = _assessor_pool(workers) if workers > 0 else local.assessor
    if settings.speech_engine == "local":
        return replace(local, assessor=assessor)
    from .adapters.polly import PollySynthesizer
    from .adapters.transcribe import TranscribeRecognizer

    if polly_client is None or transcribe_client is None or s3_client is None or not transcribe_bucket:
        raise ValueError("speech_engine 'aws' needs polly, transcribe and s3 clients and a transcribe bucket")
    return SpeechEngine(
        assessor=assessor,
        synthesizer=PollySynthesizer(polly_client, default_voice=polly_voice),
        recognizer=TranscribeRecognizer(transcribe_client, s3_client, transcribe_bucket),
    )


@lru_cache(maxsize=1)
def _local_engine() -> SpeechEngine:
    """One acoustic model per process: loading it takes a fraction of a second and ~30 MB."""
    from .adapters.espeak import EspeakSynthesizer, letter_to_sound
    from .adapters.hama import HamaPhoneRecognizer
    from .adapters.sphinx import SphinxAnalyzer, SphinxRecognizer

    analyzer = SphinxAnalyzer()
    lexicon = Lexicon(analyzer.lookup, letter_to_sound)
    recognizer = SphinxRecognizer()
    return SpeechEngine(
        assessor=PronunciationAssessor(analyzer, lexicon, transcriber=recognizer, phones=HamaPhoneRecognizer()),
        synthesizer=EspeakSynthesizer(SphinxAnalyzer, lexicon),
        recognizer=recognizer,
    )


def local_assessor() -> Assessor:
    """This process's own assessor (the engine loaded on first use)."""
    return _local_engine().assessor


@lru_cache(maxsize=1)
def _assessor_pool(workers: int) -> Assessor:
    """One pool per process, whoever builds the engine."""
    from .pool import AssessorPool

    return AssessorPool(workers)


def build_recognizer(
    settings: Any,
    transcribe_client: Any = None,
    s3_client: Any = None,
    transcribe_bucket: str | None = None,
    transcribe_prefix: str = "transcribe/",
) -> Recognizer:
    """Open recognition of learners' speech (conversation turns): Whisper tiny.en offline, Transcribe in AWS."""
    if settings.speech_engine == "local":
        from .adapters.whisper import WhisperRecognizer

        return WhisperRecognizer()
    from .adapters.transcribe import TranscribeRecognizer

    if transcribe_client is None or s3_client is None or not transcribe_bucket:
        raise ValueError("speech_engine 'aws' needs transcribe and s3 clients and a bucket")
    return TranscribeRecognizer(transcribe_client, s3_client, transcribe_bucket, prefix=transcribe_prefix)
