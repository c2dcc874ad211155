"""The speechocean762 subsets as training and evaluation data for the pronunciation scorer.

Shared by ``train_pronunciation.py`` and ``bench_pronunciation.py``: which utterances belong to the train
speakers, their audio, and the recogniser's phone posteriors for each (cached under ``build/``, so that
re-training does not run the recogniser again).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / ".." / "shared" / "datasets"
DEV = Path(os.environ.get("SPEECHOCEAN_DIR", str(DATASETS / "speechocean762-dev")))
TRAIN = Path(os.environ.get("SPEECHOCEAN_TRAIN_DIR", str(DATASETS / "speechocean762-train")))
CACHE = ROOT / "build" / "pronunciation"


@dataclass(frozen=True)
class Utterance:
    row: dict
    audio_path: Path

    @property
    def utt(self) -> str:
        return self.row["utt"]

    @property
    def speaker(self) -> str:
        return self.utt[1:5]

    @property
    def words(self) -> list[tuple[str, ...]]:
        return [tuple(p.rstrip("012") for p in w["phones"]) for w in self.row["words"]]

    def audio(self) -> bytes:
        return self.audio_path.read_bytes()


def _rows(directory: Path) -> list[dict]:
    return [json.loads(line) for line in open(directory / "scores.jsonl")]


def train_utterances() -> list[Utterance]:
    """The train speakers: the training subset and the development subset's train split."""
    out = [Utterance(r, TRAIN / "flac" / f"{r['utt']}.flac") for r in _rows(TRAIN)]
    out += [Utterance(r, DEV / "wav" / f"{r['utt']}.wav") for r in _rows(DEV) if r["split"] == "train"]
    return out


def test_utterances() -> list[Utterance]:
    return [Utterance(r, DEV / "wav" / f"{r['utt']}.wav") for r in _rows(DEV) if r["split"] == "test"]


def cached_posteriors(utterance: Utterance, recognizer, samples_of, model_tag: str) -> np.ndarray:
    """The recogniser's log-posteriors for an utterance, computed once per audio file and ``model_tag``
    (what the recogniser's output depends on: change it and the cache is rebuilt)."""
    key = hashlib.sha1(utterance.audio_path.read_bytes() + model_tag.encode()).hexdigest()[:16]
    path = CACHE / f"{utterance.utt}-{key}.npy"
    if path.exists():
        return np.load(path)
    logp = recognizer.log_posteriors(samples_of(utterance))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, logp.astype(np.float32))
    return logp.astype(np.float32)
