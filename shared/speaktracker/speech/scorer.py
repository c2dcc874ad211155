"""The learned pronunciation scorer, run with numpy alone: three stacked levels of boosted regression trees
(phones -> words -> sentence), each trained on out-of-fold predictions of the level below, then a linear
calibration that gives the sentence scores the examiners' spread.

Trained by ``scripts/train_pronunciation.py`` (``make train-pronunciation``); its weights are
``models/scorer.npz`` and what they were trained on, how, and what they measured is ``models/scorer.json``.
Scales are the corpus's: phones 0-2, words and sentences 0-10.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

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

    feature: np.ndarray  # (trees, nodes) int
    threshold: np.ndarray  # (trees, nodes)
    left: np.ndarray  # (trees, nodes) int
    right: np.ndarray
    value: np.ndarray  # (trees, nodes), already multiplied by the learning rate
    base: float
    depth: int

    def predict(self, x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float32)  # the trees were grown on float32 features: compare as they were
        trees = np.arange(self.feature.shape[0])[None, :]
        node = np.zeros((x.shape[0], self.feature.shape[0]), dtype=np.int64)
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            f = self.feature[trees, node]
            go_left = x[rows, np.maximum(f, 0)] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        return self.base + self.value[trees, node].sum(axis=1)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {
            f"{name}.feature": self.feature,
            f"{name}.threshold": self.threshold,
            f"{name}.left": self.left,
            f"{name}.right": self.right,
            f"{name}.value": self.value,
            f"{name}.meta": np.array([self.base, self.depth], dtype=np.float64),
        }

    @classmethod
    def from_arrays(cls, data, name: str) -> TreeEnsemble:
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


def word_features(phone_scores: np.ndarray, scoring: PhoneScoring) -> np.ndarray:
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
    phone_scores: np.ndarray, word_scores: np.ndarray, scoring: PhoneScoring, pitch_range: float | None
) -> np.ndarray:
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
    phones: np.ndarray  # 0-2, per reference phone
    words: np.ndarray  # 0-10, per reference word
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

    def _calibrated(self, name: str, predicted: np.ndarray) -> np.ndarray:
        if name not in self.calibration:
            return predicted
        mean_predicted, mean_human, stretch = self.calibration[name]
        return mean_human + stretch * (predicted - mean_predicted)

    def save(self, path) -> None:
        arrays = {**self.phone.arrays("phone"), **self.word.arrays("word")}
        for k, m in self.sentence.items():
            arrays.update(m.arrays(f"sentence.{k}"))
        for k, c in self.calibration.items():
            arrays[f"calibration.{k}"] = np.array(c, dtype=np.float64)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, source) -> StackedScorer:
        with np.load(source, allow_pickle=False) as data:
            names = set(data.files)
            sentence = {
                k: TreeEnsemble.from_arrays(data, f"sentence.{k}")
                for k in SENTENCE_TARGETS
                if f"sentence.{k}.meta" in names
            }
            calibration = {
                n.split(".", 1)[1]: tuple(float(v) for v in data[n]) for n in names if n.startswith("calibration.")
            }
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


def packaged_metadata() -> dict:
    return json.loads(resources.files(__package__).joinpath("models", METADATA_FILE).read_text())
