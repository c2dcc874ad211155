"""pocketsphinx: reference alignment with skippable words, a free phone loop, and open recognition.

It decides which words were said and where; the scores come from the neural phone recogniser (``hama``).
Acoustic scores from pocketsphinx are normalised per frame by the best senone, so an aligned phone's
mean score per frame is a likelihood ratio against an unconstrained senone loop (the omission rule reads
it). Speech is where loudness (against the recording's noise floor) and the free phone loop (allphone search
with the bundled phone bigram) agree. The loop is the most expensive search, so it runs only where it can
change the evidence: when loudness alone finds speech that no reference word accounts for, or no word may count.
Its frame-by-frame GOP against the reference, which scored phones before hama, was dropped with its
re-alignment pass (0.12 CPU s per 3 s clip).
"""

from __future__ import annotations

import re
import threading
from typing import Any

import numpy as np
import pocketsphinx

from ..arrays import BoolArray, FloatArray
from ..audio import SAMPLE_RATE, Recording, decode_recording
from ..evidence import AcousticEvidence, PhoneEvidence, Span, SpokenWord
from ..phonemes import PHONES
from ..ports import RecognizedWord, Transcript
from ..quality import frame_levels_db
from ..scoring import looks_omitted

_ALTERNATE = re.compile(r"\(\d+\)$")
_LOOP_WORD = "phoneloop_{}"
# Wide beams: learners' speech is far from the model, and a pruned alignment is worse than a slow one.
_BEAMS = {"beam": 1e-100, "wbeam": 1e-80, "pbeam": 1e-100}
# Prior probability that a reference word is left out. Very low: a badly said word must still be aligned
# (a said word costs its poor fit, a skip this prior), yet a word that is not in the recording at all is
# cheaper to skip than to squeeze out of its neighbours' sounds.
SKIP_PROBABILITY = 1e-30
# Raised to the language weight, a prior that small is beyond the search beam: when a word cannot fit at all
# (fast speech, three frames per phone) the grammar has no path, and is searched again with this one.
FALLBACK_SKIP_PROBABILITY = 0.01
MAX_SKIPPED = 3
# Where a word was skipped, prior probability that something else was said in its place (a run of phones
# from the free loop) rather than nothing at all, and that such a run goes on for one more phone.
SUBSTITUTE_PROBABILITY = 0.01
SUBSTITUTE_CONTINUES = 0.5
# The phones such a run is made of: any speech, not a transcription, so a few broad ones (vowels front,
# central, back; stops, fricatives, nasals, liquids) do; the full set costs four times the search.
SUBSTITUTE_PHONES = ("IY", "AH", "AA", "UW", "ER", "T", "K", "B", "S", "Z", "N", "M", "L", "R", "W")
# A frame this much louder than the recording's noise floor is speech.
SPEECH_ABOVE_FLOOR_DB = 15.0
# Extra speech shorter than this is a breath or a click, not a word.
MIN_EXTRA_SPEECH_FRAMES = 25


# A forced alignment's words, each with its phones (name, first frame, frames, acoustic score).
AlignedPhone = tuple[str, int, int, float]
AlignedWord = tuple[str, list[AlignedPhone]]
# An arc of a pocketsphinx FSG: from state, to state, probability, and the word said (none: a null arc).
Arc = tuple[int, int, float] | tuple[int, int, float, str]


def _quiet_decoder(**config: Any) -> pocketsphinx.Decoder:
    return pocketsphinx.Decoder(loglevel="FATAL", **config)


class SphinxAnalyzer:
    """One decoder per instance; calls are serialised (a pocketsphinx decoder is not thread-safe)."""

    def __init__(self, skip_probability: float = SKIP_PROBABILITY) -> None:
        self._decoder = _quiet_decoder(lm=None, bestpath=False, **_BEAMS)
        for i, phone in enumerate(PHONES):
            self._decoder.add_word(_LOOP_WORD.format(phone.lower()), phone, i == len(PHONES) - 1)
        self._decoder.add_allphone_file("phone_loop", pocketsphinx.get_model_path("en-us/en-us-phone.lm.bin"))
        self._skip = skip_probability
        self._lock = threading.Lock()

    def lookup(self, word: str) -> tuple[str, ...] | None:
        found = self._decoder.lookup_word(word)
        return tuple(found.split()) if found else None

    def analyse(self, pcm: bytes, words: list[str], pronunciations: list[tuple[str, ...]]) -> AcousticEvidence:
        with self._lock:
            self._add_unknown(words, pronunciations)
            said = self._decode_with_skips(pcm, words)
            instead = self._speech_instead_of_skipped(pcm, words, {i for i, _ in said})
            said, reference_frames, aligned = self._aligned_phones(pcm, said)
            spoken = _spoken_words(said, aligned)
            speech = _loud_frames(pcm, len(reference_frames))
            # Speech is where loudness and the phone loop agree, so the loop can only take frames away: it is
            # asked only where that changes the evidence (extra speech, or the frames of speech when no word
            # may count). Most readings have neither, and the loop is the dearest search.
            if _extra_speech(speech, spoken) or all(looks_omitted(w) for w in spoken.values()):
                speech &= _phone_frames(self._phone_loop(pcm), len(reference_frames))
        return AcousticEvidence(
            frames=len(reference_frames),
            spoken=spoken,
            extra_speech=_merged(_extra_speech(speech, spoken), instead),
            speech_frames=int(speech.sum()),
        )

    def word_times(
        self, pcm: bytes, words: list[str], pronunciations: list[tuple[str, ...]]
    ) -> dict[int, tuple[float, float]]:
        """Reference word index -> (start, end) seconds, by forced alignment of every word."""
        with self._lock:
            self._add_unknown(words, pronunciations)
            try:
                self._decoder.set_align_text(" ".join(words))
                self._run(pcm)
            except RuntimeError:
                return {}
            found = [(s.start_frame, s.end_frame + 1) for s in self._segments() if _is_word(s.word)]
        return {i: (start / 100, end / 100) for i, (start, end) in enumerate(found)}

    def _add_unknown(self, words: list[str], pronunciations: list[tuple[str, ...]]) -> None:
        for word, phones in zip(words, pronunciations):
            if phones and self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, " ".join(phones), True)

    def _aligned_phones(
        self, pcm: bytes, said: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], FloatArray, list[AlignedWord]]:
        try:
            return (said, *self._align_phones(pcm, [word for _, word in said]))
        except RuntimeError:
            # The phone-level pass can fail where the word-level one passed (impossibly short phones).
            return [], np.zeros(len(pcm) // 2 // (SAMPLE_RATE // 100)), []

    def _decode_with_skips(self, pcm: bytes, words: list[str]) -> list[tuple[int, str]]:
        """The reference words (index, word), in order, that a grammar in which each may be skipped keeps.
        A word left out is skipped rather than squeezed out of its neighbours' sounds, which used to leave
        both neighbours looking mispronounced."""
        for skip in (self._skip, FALLBACK_SKIP_PROBABILITY):
            fsg = self._decoder.create_fsg("reference", 0, len(words), _skip_arcs(words, skip))
            self._decoder.add_fsg("reference", fsg)
            self._decoder.activate_search("reference")
            self._run(pcm)
            if self._decoder.hyp() is not None:
                break
        recognised = [_ALTERNATE.sub("", s.word) for s in self._segments() if _is_word(s.word)]
        return _match_in_order(recognised, words)

    def _speech_instead_of_skipped(self, pcm: bytes, words: list[str], kept: set[int]) -> list[Span]:
        """Where words were skipped: was something else said there, or nothing? The words said are fixed and
        each skipped word is either left out or replaced by a run of freely chosen phones. Runs of phones
        the grammar prefers are speech in place of a reference word (a substitution, once attributed).
        (Only a skipped word is tested so: the free phones fit any word better, and by more the longer it
        is, so no fixed prior can tell a poorly said word from another word.)"""
        if len(kept) == len(words) or len(kept) < len(words) / 2:
            return []  # nothing to ask, or the alignment itself failed: no pattern of miscues to read
        fsg = self._decoder.create_fsg("miscue", 0, len(words), _miscue_arcs(words, kept))
        self._decoder.add_fsg("miscue", fsg)
        self._decoder.activate_search("miscue")
        self._run(pcm)
        spans: list[Span] = []
        run: Span | None = None
        for segment in self._segments():
            if segment.word.startswith(_LOOP_WORD.format("")):
                run = Span(run.start if run else segment.start_frame, segment.end_frame + 1)
            elif _is_word(segment.word) and run is not None:
                spans.append(run)
                run = None
        return spans + ([run] if run else [])

    def _align_phones(self, pcm: bytes, words: list[str]) -> tuple[FloatArray, list[AlignedWord]]:
        """Phone and state segmentation of the words kept. (pocketsphinx cannot sub-word align an FSG result
        with skipped words, so the kept words are force-aligned again; it is the cheapest pass.)"""
        if not words:
            return np.zeros(len(pcm) // 2 // (SAMPLE_RATE // 100)), []
        self._decoder.set_align_text(" ".join(words))
        self._run(pcm)
        self._decoder.set_alignment()
        self._run(pcm)
        alignment = self._decoder.get_alignment()
        frames = _frame_scores(alignment, self._decoder.n_frames())
        aligned = [
            (w.name, [(p.name, p.start, p.duration, p.score) for p in w]) for w in alignment.words() if _is_word(w.name)
        ]
        return frames, aligned

    def _phone_loop(self, pcm: bytes) -> list[tuple[str, int, int]]:
        self._decoder.activate_search("phone_loop")
        self._run(pcm)
        return [(s.word, s.start_frame, s.end_frame + 1) for s in self._segments()]

    def _segments(self) -> list[Any]:
        """The current result's segments; none when the search found no complete path."""
        return list(self._decoder.seg() or []) if self._decoder.hyp() is not None else []

    def _run(self, pcm: bytes) -> None:
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, full_utt=True)
        self._decoder.end_utt()


def _skip_arcs(words: list[str], skip: float) -> list[Arc]:
    """Arcs i -> m saying word j (i <= j < m): words i..j-1 and j+1..m-1 are left out. Every arc carries a
    word, so no null arcs are needed even when the sentence's last words are missing."""
    n = len(words)
    arcs: list[Arc] = []
    for i in range(n):
        options = [
            (j, m, skip ** ((j - i) + (m - j - 1)))
            for j in range(i, min(n, i + MAX_SKIPPED + 1))
            for m in range(j + 1, min(n, j + MAX_SKIPPED + 1) + 1)
            if m == j + 1 or m == n  # skipping after a word only at the end of the sentence
        ]
        total = sum(p for _, _, p in options)
        arcs += [(i, m, p / total, words[j]) for j, m, p in options]
    return arcs


def _miscue_arcs(words: list[str], said: set[int]) -> list[Arc]:
    """A chain through the reference: words said as they are; a skipped word either left out (a null arc)
    or replaced by two or more phones of the free loop."""
    loop = [_LOOP_WORD.format(p.lower()) for p in SUBSTITUTE_PHONES]
    arcs: list[Arc] = []
    extra_state = len(words) + 1
    for i, word in enumerate(words):
        if i in said:
            arcs.append((i, i + 1, 1.0, word))
            continue
        arcs.append((i, i + 1, 1.0 - SUBSTITUTE_PROBABILITY))
        g, extra_state = extra_state, extra_state + 1
        for phone in loop:
            arcs += [
                (i, g, SUBSTITUTE_PROBABILITY / len(loop), phone),
                (g, g, SUBSTITUTE_CONTINUES / len(loop), phone),
                (g, i + 1, (1.0 - SUBSTITUTE_CONTINUES) / len(loop), phone),
            ]
    return arcs


def _merged(spans: list[Span], more: list[Span]) -> list[Span]:
    """Both lists of extra speech, a span of ``more`` kept only where it overlaps none of ``spans``."""
    added = [m for m in more if not any(s.start < m.end and m.start < s.end for s in spans)]
    return sorted(spans + added, key=lambda s: s.start)


def _is_word(name: str) -> bool:
    return not (name.startswith("<") or name.startswith("[") or name.startswith("+") or name == "(NULL)")


def _match_in_order(recognised: list[str], words: list[str]) -> list[tuple[int, str]]:
    matched, cursor = [], 0
    for word in recognised:
        for j in range(cursor, len(words)):
            if words[j] == word:
                matched.append((j, word))
                cursor = j + 1
                break
    return matched


def _frame_scores(alignment: Any, n: int) -> FloatArray:  # a pocketsphinx Alignment (untyped)
    frames = np.zeros(n)
    for state in alignment.states():
        if state.duration > 0:
            frames[state.start : state.start + state.duration] = state.score / state.duration
    return frames


def _spoken_words(said: list[tuple[int, str]], aligned: list[AlignedWord]) -> dict[int, SpokenWord]:
    spoken = {}
    for (index, _), (_, phones) in zip(said, aligned):
        evidence = []
        for name, start, duration, score in phones:
            span = Span(start, start + max(duration, 1))
            evidence.append(PhoneEvidence(name, span, score / max(duration, 1)))
        if evidence:
            spoken[index] = SpokenWord(Span(evidence[0].span.start, evidence[-1].span.end), tuple(evidence))
    return spoken


def _loud_frames(pcm: bytes, n: int) -> BoolArray:
    """Frames well above the recording's noise floor (its quietest tenth)."""
    levels = frame_levels_db(np.frombuffer(pcm, dtype="<i2").astype(np.float64))
    loud = np.zeros(n, dtype=bool)
    loud[: min(n, len(levels))] = levels[:n] > np.percentile(levels, 10) + SPEECH_ABOVE_FLOOR_DB
    return loud


def _phone_frames(loop: list[tuple[str, int, int]], n: int) -> BoolArray:
    """Frames the phone loop calls a phone (not silence or noise)."""
    speech = np.zeros(n, dtype=bool)
    for phone, start, end in loop:
        if phone in PHONES:
            speech[start:end] = True
    return speech


def _extra_speech(speech: BoolArray, spoken: dict[int, SpokenWord]) -> list[Span]:
    uncovered = speech.copy()
    for word in spoken.values():
        uncovered[max(0, word.span.start - 3) : word.span.end + 3] = False
    spans, start = [], None
    for i, flag in enumerate(np.append(uncovered, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= MIN_EXTRA_SPEECH_FRAMES:
                spans.append(Span(start, i))
            start = None
    return spans


class SphinxRecognizer:
    """Open-vocabulary recognition with the bundled US English trigram model (the ``Recognizer`` port).

    Word confidences are pocketsphinx's segment posteriors (bestpath lattice). The language model is loaded
    on first use.
    """

    def __init__(self) -> None:
        self._decoder: pocketsphinx.Decoder | None = None
        self._lock = threading.Lock()

    def recognize(self, audio: bytes, content_type: str | None = None) -> Transcript:
        return self.recognize_recording(decode_recording(audio))

    def recognize_recording(self, recording: Recording) -> Transcript:
        with self._lock:
            decoder = self._ready()
            decoder.start_utt()
            decoder.process_raw(recording.pcm, full_utt=True)
            decoder.end_utt()
            if decoder.hyp() is None:
                return Transcript(text="")
            words = [
                RecognizedWord(
                    text=_ALTERNATE.sub("", s.word),
                    start=s.start_frame / 100,
                    end=(s.end_frame + 1) / 100,
                    confidence=round(min(1.0, max(0.0, s.prob)), 3),
                )
                for s in decoder.seg()
                if _is_word(s.word)
            ]
        return Transcript(text=" ".join(w.text for w in words), words=words)

    def words_in(self, pcm: bytes) -> list[str]:
        samples = np.frombuffer(pcm, dtype="<i2")
        if len(samples) < SAMPLE_RATE // 10:
            return []
        return [w.text for w in self.recognize_recording(Recording(samples)).words]

    def _ready(self) -> pocketsphinx.Decoder:
        if self._decoder is None:
            self._decoder = _quiet_decoder(bestpath=True)
        return self._decoder
