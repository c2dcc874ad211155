"""The use case: assess how a learner read a reference sentence aloud."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import intonation, scoring
from .audio import SAMPLE_RATE, Recording, decode_recording, stretched
from .errors import AudioNoSpeech, ReferenceTextError
from .evidence import FRAME_SECONDS, AcousticAnalyzer, AcousticEvidence, Span, SpanTranscriber
from .feedback import feedback
from .judgement import Verdict, judge
from .lexicon import Lexicon
from .phone_evidence import PhonePosteriors
from .phonemes import ipa
from .quality import check_recording
from .result import PhonemeAssessment, PronunciationAssessment, WordAssessment
from .scorer import StackedScorer, packaged_scorer
from .text import ReferenceWord, reference_words

# Tempo of the slowed copy analysed when fast speech defeats the alignment (see assess_recording).
SLOWED_TEMPO = 0.7

# Below this much speech (phone loop and loudness agree) with no reference word found, nobody spoke.
MIN_SPEECH_FRAMES = 30
UNCLEAR = "(unclear)"


@dataclass(frozen=True)
class _Spoken:
    token: int  # index of the written token
    word: str
    phones: tuple[str, ...]


class PronunciationAssessor:
    """The aligner (``analyzer``) decides which words were said and where; the phone recogniser
    (``phones``) and the learned ``scorer`` say how well."""

    def __init__(
        self,
        analyzer: AcousticAnalyzer,
        lexicon: Lexicon,
        transcriber: SpanTranscriber | None = None,
        *,
        phones: PhonePosteriors,
        scorer: StackedScorer | None = None,
    ) -> None:
        self._analyzer = analyzer
        self._lexicon = lexicon
        self._transcriber = transcriber
        self._phones = phones
        self._scorer = scorer or packaged_scorer()

    def assess(self, audio: bytes, reference_text: str, content_type: str | None = None) -> PronunciationAssessment:
        """``content_type`` is informative only: the container is recognised from the bytes."""
        tokens = reference_words(reference_text)
        spoken = self._pronounce(tokens)
        recording = decode_recording(audio)
        check_recording(recording)
        return self.assess_recording(recording, reference_text, tokens, spoken)

    def assess_recording(
        self,
        recording: Recording,
        reference_text: str,
        tokens: list[ReferenceWord] | None = None,
        spoken: list[_Spoken] | None = None,
    ) -> PronunciationAssessment:
        tokens = tokens or reference_words(reference_text)
        spoken = spoken or self._pronounce(tokens)
        evidence = self._evidence(recording.pcm, spoken)
        if len(evidence.spoken) < len(spoken):
            # Fast, fluent speech (or a synthetic voice) can leave fewer frames than the model's three states
            # per phone: the alignment then skips or squeezes words that were said. A slowed copy is judged
            # by the same rules in its own frames and mapped back if it accounts for more of the reference.
            # A word replaced by other speech long enough to have held it was not lost to speed: slowed
            # down, that speech could pass for the word, so only the other missing words count here.
            slowed = self._evidence(stretched(recording.pcm, SLOWED_TEMPO), spoken)
            replaced = _replaced_with_room(evidence, spoken)
            if slowed.spoken.keys() - evidence.spoken.keys() - replaced:
                evidence = slowed.rescaled(SLOWED_TEMPO)
        if not evidence.spoken and evidence.speech_frames < MIN_SPEECH_FRAMES:
            raise AudioNoSpeech("No speech was heard in the recording.")
        heard = {i: self._heard(recording, span) for i, span in enumerate(evidence.extra_speech)}
        pitch = intonation.pitch_range(recording.samples)
        verdict = self._judge(recording, tokens, spoken, evidence, pitch)
        result = _assessment(reference_text, tokens, spoken, evidence, heard, recording.duration, verdict)
        return result.model_copy(update={"pitch_range": pitch, "monotone": intonation.is_monotone(pitch)})

    def _judge(
        self,
        recording: Recording,
        tokens: list[ReferenceWord],
        spoken: list[_Spoken],
        evidence: AcousticEvidence,
        pitch: float | None,
    ) -> Verdict:
        logp = self._phones.log_posteriors(recording.samples)
        last_of_token = {max(i for i, s in enumerate(spoken) if s.token == t): t for t in range(len(tokens))}
        phrase_ends = {i: tokens[t].phrase_ends for i, t in last_of_token.items()}
        said = {i: spoken[i].phones for i in evidence.spoken}
        return judge(logp, self._phones.frame_seconds, said, phrase_ends, self._scorer, pitch, len(spoken))

    def _evidence(self, pcm: bytes, spoken: list[_Spoken]) -> AcousticEvidence:
        """What the analyzer found, without the words the scoring rules judge as left out."""
        found = self._analyzer.analyse(pcm, [s.word for s in spoken], [s.phones for s in spoken])
        return _without_omitted(found)

    def _pronounce(self, tokens: list[ReferenceWord]) -> list[_Spoken]:
        spoken = []
        for t, token in enumerate(tokens):
            for word in token.spoken:
                phones = self._lexicon.pronounce(word)
                if not phones:
                    raise ReferenceTextError(f"'{token.written}' cannot be pronounced as English.")
                spoken.append(_Spoken(t, word, tuple(phones)))
        return spoken

    def _heard(self, recording: Recording, span: Span) -> str:
        if self._transcriber is None:
            return UNCLEAR
        per_frame = SAMPLE_RATE // 100
        piece = recording.samples[span.start * per_frame : span.end * per_frame]
        return " ".join(self._transcriber.words_in(piece.astype("<i2").tobytes())) or UNCLEAR


def _assessment(
    reference_text: str,
    tokens: list[ReferenceWord],
    spoken: list[_Spoken],
    evidence: AcousticEvidence,
    heard: dict[int, str],
    duration: float,
    verdict: Verdict,
) -> PronunciationAssessment:
    substituted, insertions = _attribute_extra_speech(evidence, len(spoken), heard)
    not_said = {i for i, v in verdict.words.items() if not v.said}
    per_word = [_word(i, s, evidence, i in substituted or i in not_said, verdict) for i, s in enumerate(spoken)]
    words = _in_time_order(_merge_tokens(tokens, spoken, per_word), insertions)
    reference = [w for w in words if w.error_type != "insertion"]
    credited = len(evidence.spoken) - len(not_said)
    sentence = verdict.sentence
    accuracy = scoring.clamp(sentence.get("accuracy", 0.0) * credited / max(credited + len(substituted), 1))
    completeness = scoring.clamp(100.0 * credited / len(spoken))
    delivery = scoring.delivery(evidence)
    fluency = scoring.clamp(sentence.get("fluency", 0.0))
    overall = scoring.clamp(
        sentence.get("total", 0.0) * credited / max(credited + len(substituted), 1) * completeness / 100
    )
    return PronunciationAssessment(
        reference_text=reference_text,
        transcribed_text=_transcribed(words, substituted, spoken, heard),
        overall_score=overall,
        accuracy_score=accuracy,
        fluency_score=fluency,
        completeness_score=completeness,
        prosody_score=scoring.clamp(sentence["prosodic"]) if "prosodic" in sentence else None,
        grade=scoring.grade(overall),
        feedback=feedback(words, overall),
        missed_words=[w.text for w in reference if w.error_type == "omission"],
        extra_words=[w.text for w in words if w.error_type == "insertion"],
        words=words,
        audio_duration=round(duration, 3),
        speech_rate=round(delivery.words_per_minute, 1),
        pause_count=delivery.pause_count,
    )


def _without_omitted(evidence: AcousticEvidence) -> AcousticEvidence:
    kept = {i: w for i, w in evidence.spoken.items() if not scoring.looks_omitted(w)}
    return replace(evidence, spoken=kept)


def _skipped_around(evidence: AcousticEvidence, span: Span, n: int) -> list[int]:
    """Reference words not said between the words said just before and just after ``span``."""
    before = [i for i, w in evidence.spoken.items() if w.span.end <= span.start + 3]
    after = [i for i, w in evidence.spoken.items() if w.span.start >= span.end - 3]
    lo, hi = (max(before) if before else -1), (min(after) if after else n)
    return [i for i in range(lo + 1, hi) if i not in evidence.spoken]


def _replaced_with_room(evidence: AcousticEvidence, spoken: list[_Spoken]) -> set[int]:
    """Skipped words with other speech in their place long enough to have held them (every phone its
    minimum frames)."""
    replaced: set[int] = set()
    if len(evidence.spoken) < len(spoken) / 2:
        return replaced  # most of the sentence unaligned: a failed alignment, not words replaced
    for span in evidence.extra_speech:
        skipped = _skipped_around(evidence, span, len(spoken))
        if skipped and span.frames >= scoring.MIN_PHONE_FRAMES * sum(len(spoken[i].phones) for i in skipped):
            replaced.update(skipped)
    return replaced


def _attribute_extra_speech(
    evidence: AcousticEvidence, n: int, heard: dict[int, str]
) -> tuple[dict[int, int], list[WordAssessment]]:
    """Speech where a skipped reference word should be is that word said differently (a substitution);
    anywhere else it is an insertion."""
    substituted: dict[int, int] = {}
    insertions: list[WordAssessment] = []
    for k, span in enumerate(evidence.extra_speech):
        skipped = [i for i in _skipped_around(evidence, span, n) if i not in substituted]
        if skipped:
            substituted.update({i: k for i in skipped})
        else:
            start, end = span.start * FRAME_SECONDS, span.end * FRAME_SECONDS
            insertions.append(WordAssessment(text=heard[k], score=0.0, error_type="insertion", start=start, end=end))
    return substituted, insertions


def _word(i: int, s: _Spoken, evidence: AcousticEvidence, substituted: bool, verdict: Verdict) -> WordAssessment:
    said = evidence.spoken.get(i)
    judged = verdict.words.get(i)
    if said is None or judged is None or substituted:
        # Not said, or something else said in its place: no credit for any of its sounds.
        phonemes = [PhonemeAssessment(phoneme=p, ipa=ipa(p), score=0.0) for p in s.phones]
        span = (
            {}
            if said is None
            else {"start": round(said.span.start * FRAME_SECONDS, 2), "end": round(said.span.end * FRAME_SECONDS, 2)}
        )
        return WordAssessment(
            text=s.word,
            score=0.0,
            phonemes=phonemes,
            error_type="mispronunciation" if substituted else "omission",
            **span,
        )
    phonemes = [
        PhonemeAssessment(
            phoneme=p.phone,
            ipa=ipa(p.phone),
            score=scoring.clamp(score),
            start=round(p.span.start * FRAME_SECONDS, 2),
            end=round(p.span.end * FRAME_SECONDS, 2),
            sounded_like=alternatives,
        )
        for p, score, alternatives in zip(said.phones, judged.phone_scores, judged.sounded_like)
    ]
    return WordAssessment(
        text=s.word,
        score=scoring.clamp(judged.score),
        error_type="mispronunciation" if judged.score < scoring.MISPRONOUNCED_BELOW else "none",
        start=round(said.span.start * FRAME_SECONDS, 2),
        end=round(said.span.end * FRAME_SECONDS, 2),
        phonemes=phonemes,
        break_error=judged.break_before,
    )


def _merge_tokens(
    tokens: list[ReferenceWord], spoken: list[_Spoken], per_word: list[WordAssessment]
) -> list[WordAssessment]:
    """One result per written token: "23" said as "twenty three" is one word to the learner."""
    merged = []
    for t, token in enumerate(tokens):
        parts = [w for s, w in zip(spoken, per_word) if s.token == t]
        errors = {w.error_type for w in parts}
        error = "omission" if errors == {"omission"} else "mispronunciation" if errors - {"none"} else "none"
        starts = [w.start for w in parts if w.start is not None]
        ends = [w.end for w in parts if w.end is not None]
        merged.append(
            WordAssessment(
                text=token.written,
                score=scoring.clamp(float(np.mean([w.score for w in parts]))),
                error_type=error,
                start=min(starts) if starts else None,
                end=max(ends) if ends else None,
                phonemes=[p for w in parts for p in w.phonemes],
                break_error=parts[0].break_error,
            )
        )
    return merged


def _in_time_order(reference: list[WordAssessment], insertions: list[WordAssessment]) -> list[WordAssessment]:
    """Unsaid words keep their place in the sentence: just after the previous word that was said."""
    keyed, last = [], 0.0
    for i, word in enumerate(reference):
        last = word.start if word.start is not None else last
        keyed.append(((last, 0, i), word))
        last = word.end if word.end is not None else last
    keyed += [((w.start or 0.0, 1, i), w) for i, w in enumerate(insertions)]
    return [w for _, w in sorted(keyed, key=lambda kw: kw[0])]


def _transcribed(
    words: list[WordAssessment], substituted: dict[int, int], spoken: list[_Spoken], heard: dict[int, str]
) -> str:
    out: list[str] = []
    used: set[int] = set()
    for w in words:
        if w.error_type == "omission":
            continue
        if w.error_type == "mispronunciation" and w.start is None:
            k = next((k for i, k in substituted.items() if spoken[i].word == w.text.lower()), None)
            if k is not None and k not in used:
                used.add(k)
                if heard[k] != UNCLEAR:
                    out.append(heard[k])
            continue
        out.append(w.text)
    return " ".join(out)
