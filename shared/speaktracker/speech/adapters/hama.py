"""hama's CTC phone recogniser (weights inside the wheel, CPU, numpy in and out) as phone posteriors over
our ARPAbet set.

hama emits log-posteriors over 191 IPA tokens every 20 ms. Each ARPAbet phone is the group of tokens an
English speaker's realisation of it comes out as (its aspirated or flapped variants, the vowel qualities
hama does not separate reliably); a group's posterior is the sum of its tokens'. Word boundaries count as
blank: our reference says where words are.
"""

from __future__ import annotations

import threading

import numpy as np

from ..arrays import FloatArray, Samples
from ..phonemes import PHONES

FRAME_SECONDS = 0.02

TOKENS = {
    "AA": ("ɑ", "ɒ", "a", "ä"),
    "AE": ("æ",),
    "AH": ("ʌ", "ə", "ɐ", "ᵊ"),
    "AO": ("ɔ",),
    "AW": ("aʊ",),
    "AY": ("aɪ",),
    "B": ("b",),
    "CH": ("t͡ʃ",),
    "D": ("d", "ɾ"),
    "DH": ("ð",),
    "EH": ("ɛ", "e"),
    "ER": ("ɚ", "ɝ", "ɜ"),
    "EY": ("eɪ",),
    "F": ("f",),
    "G": ("g", "ɡ"),
    "HH": ("h", "x", "ɦ"),
    "IH": ("ɪ", "ɨ"),
    "IY": ("i",),
    "JH": ("d͡ʒ",),
    "K": ("k", "kʰ"),
    "L": ("l", "ɫ"),
    "M": ("m",),
    "N": ("n",),
    "NG": ("ŋ",),
    "OW": ("oʊ", "o"),
    "OY": ("ɔɪ",),
    "P": ("p", "pʰ"),
    "R": ("ɹ", "r", "ɾ", "ɻ"),
    "S": ("s",),
    "SH": ("ʃ",),
    "T": ("t", "tʰ", "ɾ", "ʔ"),
    "TH": ("θ",),
    "UH": ("ʊ",),
    "UW": ("u", "ʉ"),
    "V": ("v",),
    "W": ("w",),
    "Y": ("j",),
    "Z": ("z",),
    "ZH": ("ʒ",),
}
BLANK_TOKENS = ("<blank>", "<wb>")


class HamaPhoneRecognizer:
    """One model per instance (~5 MB); calls are serialised."""

    frame_seconds = FRAME_SECONDS

    def __init__(self) -> None:
        import hama  # the speech extra; imported here so domain modules never need it

        self._model = hama.ASRModel()
        names = self._model.decoder_tokens
        index = {t: i for i, t in enumerate(names)}
        groups = [TOKENS[p] for p in PHONES] + [BLANK_TOKENS]
        self._groups = [np.array([index[t] for t in g]) for g in groups]
        self._lock = threading.Lock()

    def log_posteriors(self, samples: Samples) -> FloatArray:
        """(frames, len(PHONES) + 1) log-posteriors of our phones and the blank (last column), 50 frames/s."""
        wave = (samples.astype(np.float32) / 32768.0).reshape(1, -1)
        model = self._model
        with self._lock:
            log_probs, lengths = model.session.run(
                [model._log_probs_output_name, model._out_lengths_output_name],
                {model._waveform_input_name: wave, model._waveform_lengths_input_name: np.array([wave.shape[1]])},
            )
        frames = np.asarray(log_probs[0][: int(np.asarray(lengths).reshape(-1)[0])], dtype=np.float64)
        frames = frames - np.logaddexp.reduce(frames, axis=1, keepdims=True)
        return np.stack([np.logaddexp.reduce(frames[:, g], axis=1) for g in self._groups], axis=1)
