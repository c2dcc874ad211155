"""The learned pronunciation scorer, run with numpy alone: three stacked levels of boosted regression trees
(phones -> words -> sentence), each trained on out-of-fold predictions of the level below, then a linear
calibration that gives the sentence scores the examiners' spread.

Trained by ``scripts/train_pronunciation.py`` (``make train-pronunciation``); its weights are
``models/scorer.npz`` and what they were trained on, how, and what they measured is ``models/scorer.json``.
Scales are the corpus's: phones 0-2, words and sentences 0-10.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from .arrays import FloatArray, IntArray
from .phone_evidence import PhoneScoring, utterance_features

SENTENCE_TARGETS = ("accuracy", "fluency", "prosodic", "total")
_F = {
    name: i
    for i, name in enumerate(
        (
            "lpp",
            "lpr",
            "peak",
            "log_frames",
            "gop_posterior",
            "gop_margin",
            "deletion_ratio",
            "substitution_margin",
        )
    )
}


@dataclass(frozen=True)
class TreeEnsemble:
    """Regression trees as flat arrays (one row per tree, nodes padded): a leaf is its own child."""

    feature: IntArray  # (trees, nodes)
    threshold: FloatArray  # (trees, nodes)
    left: IntArray  # (trees, nodes)
    right: IntArray
    value: FloatArray  # (trees, nodes), already multiplied by the learning rate
    base: float
    depth: int

    def predict(self, x: FloatArray) -> FloatArray:
        x = x.astype(np.float32)  # the trees were grown on float32 features: compare as they were
        trees = np.arange(self.feature.shape[0])[None, :]
        node: IntArray = np.zeros((x.shape[0], self.feature.shape[0]), dtype=np.int64)
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            f = self.feature[trees, node]
            go_left = x[rows, np.maximum(f, 0)] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        predicted: FloatArray = self.base + self.value[trees, node].sum(axis=1)
        return predicted

    def arrays(self, name: str) -> dict[str, FloatArray | IntArray]:
        return {
            f"{name}.feature": self.feature,
            f"{name}.threshold": self.threshold,
            f"{name}.left": self.left,
            f"{name}.right": self.right,
            f"{name}.value": self.value,
            f"{name}.meta": np.array([self.base, self.depth], dtype=np.float64),
        }

    @classmethod
    def from_arrays(cls, data: Mapping[str, NDArray[Any]], name: str) -> TreeEnsemble:
        base, depth = data[f"{name}.meta"]
        return cls(
            data[f"{name}.feature"],
            data[f"{name}.threshold"],
            data[f"{name}.left"],
            data[f"{name}.right"],
            data[f"{name}.value"],
            float(base),
            int(depth),
        )


def word_features(phone_scores: FloatArray, scoring: PhoneScoring) -> FloatArray:
    """Per word: its phones' predicted scores and raw evidence, summarised."""
    f = scoring.features
    n_words = int(scoring.word_of_phone.max()) + 1
    speaker = [phone_scores.mean(), float(np.mean(phone_scores < 1.5))]  # the reading as a whole, for context
    rows = []
    for j in range(n_words):
        mine = scoring.word_of_phone == j
        s, g, lpp = phone_scores[mine], f[mine, _F["gop_posterior"]], f[mine, _F["lpp"]]
        first, last = (
            scoring.spans[int(np.argmax(mine))][0],
            scoring.spans[len(mine) - 1 - int(np.argmax(mine[::-1]))][1],
        )
        rows.append(
            [
                s.mean(),
                s.min(),
                s.max(),
                s.std(),
                float(mine.sum()),
                g.mean(),
                g.min(),
                lpp.mean(),
                lpp.min(),
                f[mine, _F["deletion_ratio"]].mean(),
                f[mine, _F["deletion_ratio"]].min(),
                (last - first) * scoring.frame_seconds,
                j / max(n_words - 1, 1),
                *speaker,
            ]
        )
    return np.array(rows, dtype=np.float64)


def sentence_features(
    phone_scores: FloatArray, word_scores: FloatArray, scoring: PhoneScoring, pitch_range: float | None
) -> FloatArray:
    """One row: the words' and phones' predicted scores, the raw evidence, the delivery in time and the
    pitch range in semitones (``intonation``; -1 when too little was voiced to tell)."""
    f = scoring.features
    g, lpp = f[:, _F["gop_posterior"]], f[:, _F["lpp"]]
    return np.concatenate(
        [
            [
                word_scores.mean(),
                word_scores.min(),
                np.quantile(word_scores, 0.25),
                word_scores.std(),
                phone_scores.mean(),
                phone_scores.min(),
                float(np.mean(phone_scores < 1.0)),
                float(np.mean(phone_scores < 1.5)),
                g.mean(),
                np.quantile(g, 0.1),
                lpp.mean(),
            ],
            utterance_features(scoring),
            [-1.0 if pitch_range is None else pitch_range],
        ]
    )[None, :]


@dataclass(frozen=True)
class Scores:
    phones: FloatArray  # 0-2, per reference phone
    words: FloatArray  # 0-10, per reference word
    sentence: dict[str, float]  # SENTENCE_TARGETS on 0-10, calibrated


@dataclass(frozen=True)
class StackedScorer:
    phone: TreeEnsemble
    word: TreeEnsemble
    sentence: dict[str, TreeEnsemble]
    # Per output: (mean of the training predictions, mean of the examiners' scores, stretch): calibrated =
    # examiners' mean + stretch * (prediction - prediction mean), so that the spread matches theirs.
    calibration: dict[str, tuple[float, float, float]]

    def score(self, scoring: PhoneScoring, pitch_range: float | None) -> Scores:
        phones = np.clip(self.phone.predict(scoring.features), 0.0, 2.0)
        words = np.clip(self._calibrated("word", self.word.predict(word_features(phones, scoring))), 0.0, 10.0)
        x = sentence_features(phones, words, scoring, pitch_range)
        sentence = {
            k: float(np.clip(self._calibrated(k, m.predict(x)), 0.0, 10.0)[0]) for k, m in self.sentence.items()
        }
        return Scores(phones, words, sentence)

    def _calibrated(self, name: str, predicted: FloatArray) -> FloatArray:
        if name not in self.calibration:
            return predicted
        mean_predicted, mean_human, stretch = self.calibration[name]
        return mean_human + stretch * (predicted - mean_predicted)

    def save(self, path: str | os.PathLike[str] | IO[bytes]) -> None:
        arrays = {**self.phone.arrays("phone"), **self.word.arrays("word")}
        for k, m in self.sentence.items():
            arrays.update(m.arrays(f"sentence.{k}"))
        for k, c in self.calibration.items():
            arrays[f"calibration.{k}"] = np.array(c, dtype=np.float64)
        # numpy's stub checks **arrays against its own allow_pickle keyword; every value here is an array.
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, source: str | os.PathLike[str] | IO[bytes]) -> StackedScorer:
        with np.load(source, allow_pickle=False) as data:
            names = set(data.files)
            sentence = {
                k: TreeEnsemble.from_arrays(data, f"sentence.{k}")
                for k in SENTENCE_TARGETS
                if f"sentence.{k}.meta" in names
            }
            calibration = {n.split(".", 1)[1]: _three(data[n]) for n in names if n.startswith("calibration.")}
            return cls(
                TreeEnsemble.from_arrays(data, "phone"), TreeEnsemble.from_arrays(data, "word"), sentence, calibration
            )


MODEL_FILE = "scorer.npz"
METADATA_FILE = "scorer.json"


@lru_cache(maxsize=1)
def packaged_scorer() -> StackedScorer:
    """The committed model, from inside the package (so Lambda packaging carries it)."""
    with resources.files(__package__).joinpath("models", MODEL_FILE).open("rb") as f:
        return StackedScorer.load(f)


def _three(values: NDArray[Any]) -> tuple[float, float, float]:
    """A calibration: mean predicted, mean human, stretch."""
    mean_predicted, mean_human, stretch = (float(v) for v in values)
    return mean_predicted, mean_human, stretch


def packaged_metadata() -> dict[str, Any]:
    metadata: dict[str, Any] = json.loads(resources.files(__package__).joinpath("models", METADATA_FILE).read_text())
    return metadata
