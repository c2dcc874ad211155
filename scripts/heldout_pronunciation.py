"""Held-out check of the pronunciation scorer: is the cross-validation what unseen speakers get?

    python scripts/heldout_pronunciation.py [--product] [--holdout 5] [--seed 7] [--json OUT]

0. The cross-validation's own held-out predictions, on the train utterances in the test split's range
   (examiners' total >= 6): what the CV says for readers as uniform as the test split's.
1. Test split, offline path: the scorer trained on every train speaker (the recipe of
   ``train_pronunciation.py``), the 58 test utterances scored from their cached phone posteriors with our
   lexicon on every word (the path the cross-validation figures come from).
2. ``--product``: the same 58 utterances through the whole engine (aligner, verdict, the product's scale).
3. ``--holdout N``: N whole train speakers (seeded draw) never used at all; the recipe is run on the rest and
   the N are scored through the offline path.
Every figure: Pearson correlation with a bootstrap 95% interval over utterances and over speakers
(rows of a level resampled with their utterance / speaker), and the examiners' standard deviation.
The test split is only measured here: nothing is fitted or chosen on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import train_pronunciation as train
from pronunciation_data import test_utterances

BOOTSTRAP = 2000
LEVELS = ("accuracy", "fluency", "prosodic", "total", "word", "phone")


def main() -> None:
    args = _arguments()
    train.regression_sample = lambda scorer, data: {}  # the guard's sample is not needed here
    out = {}
    data = train.load_train_data()
    fit = train.train(data, 5, args.seed)
    out["cv_all_train"] = {k: fit["report"]["cross_validation"][k]["pcc"] for k in LEVELS}
    out["cv_in_test_range"] = in_range(fit["oof"], data)
    test = load(test_utterances())
    out["test_offline"] = measure(offline(fit["scorer"], test), args.seed)
    if args.product:
        out["test_product"] = measure(product(test_utterances()), args.seed)
    if args.holdout:
        speakers = sorted({u.speaker for u, _ in data})
        held = set(np.random.default_rng(args.seed + 1).choice(speakers, args.holdout, replace=False).tolist())
        rest = [d for d in data if d[0].speaker not in held]
        fit_rest = train.train(rest, 5, args.seed)
        out["holdout_speakers"] = sorted(held)
        out["holdout_cv_rest"] = {k: fit_rest["report"]["cross_validation"][k]["pcc"] for k in LEVELS}
        out["holdout"] = measure(offline(fit_rest["scorer"], [d for d in data if d[0].speaker in held]), args.seed)
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--product", action="store_true", help="also score the test split through the engine")
    parser.add_argument("--holdout", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the figures here too")
    return parser.parse_args()


def load(utterances):
    """As ``train.load_train_data`` does for the train speakers."""
    saved = train.train_utterances
    train.train_utterances = lambda: utterances
    try:
        return train.load_train_data()
    finally:
        train.train_utterances = saved


def offline(scorer, data) -> list[dict]:
    """Per utterance: (speaker, {sentence target: (ours, theirs)}, word pairs, phone pairs); 0-10 / 0-2."""
    rows = []
    for u, h in data:
        s = scorer.score(h.scoring, h.pitch)
        labelled = ~np.isnan(h.phone_labels)
        rows.append(
            {
                "speaker": u.speaker,
                "sentence": {k: (s.sentence[k], u.row[k]) for k in ("accuracy", "fluency", "prosodic", "total")},
                "word": list(zip(s.words.tolist(), [w["accuracy"] for w in u.row["words"]])),
                "phone": list(zip(s.phones[labelled].tolist(), h.phone_labels[labelled].tolist())),
            }
        )
    return rows


def product(utterances) -> list[dict]:
    """The whole engine, on the product's 0-100 scale (a linear rescale: correlations are unchanged)."""
    from bench_pronunciation import _pair_words
    from speaktracker.settings import Settings
    from speaktracker.speech.factory import build_speech

    engine = build_speech(Settings(speech_engine="local"))
    rows = []
    for u in utterances:
        r = engine.assessor.assess(u.audio(), u.row["text"])
        pairs = {"word": ([], []), "phone": ([], []), "good": ([], [])}
        _pair_words(r, u.row, pairs)
        rows.append(
            {
                "speaker": u.speaker,
                "sentence": {
                    "accuracy": (r.accuracy_score, u.row["accuracy"]),
                    "fluency": (r.fluency_score, u.row["fluency"]),
                    "prosodic": (r.prosody_score or 0.0, u.row["prosodic"]),
                    "total": (r.overall_score, u.row["total"]),
                },
                "word": list(zip(*pairs["word"])),
                "phone": list(zip(*pairs["phone"])),
            }
        )
    return rows


def in_range(oof, data, low=6.0) -> dict:
    """The cross-validated predictions on the train utterances whose examiners' sentence total is at least
    ``low`` (the test split's range is 6-10): the same predictions, a spread like the test split's."""
    keep = np.array([u.row["total"] >= low for u, _ in data])
    words = np.concatenate([[k] * len(u.row["words"]) for k, (u, _) in zip(keep, data)]).astype(bool)
    out = {"utterances": int(keep.sum())}
    for level in LEVELS:
        ours, theirs, _ = oof[level]
        if level == "phone":
            continue  # phones' utterance of origin is not kept in the report
        mask = words if level == "word" else keep
        out[level] = {
            "pcc": round(float(np.corrcoef(ours[mask], theirs[mask])[0, 1]), 3),
            "sd_theirs": round(float(theirs[mask].std()), 2),
        }
    return out


def _pairs(rows, level):
    if level in ("word", "phone"):
        return [np.array(r[level], dtype=float).reshape(-1, 2) for r in rows]
    return [np.array([r["sentence"][level]], dtype=float) for r in rows]


def _pcc(blocks) -> float:
    x = np.concatenate(blocks)
    if len(x) < 3 or x[:, 0].std() == 0 or x[:, 1].std() == 0:
        return float("nan")
    return float(np.corrcoef(x[:, 0], x[:, 1])[0, 1])


def measure(rows, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    speakers = sorted({r["speaker"] for r in rows})
    by_speaker = {s: [i for i, r in enumerate(rows) if r["speaker"] == s] for s in speakers}
    utt_draws = [rng.integers(0, len(rows), len(rows)) for _ in range(BOOTSTRAP)]
    spk_draws = [np.concatenate([by_speaker[s] for s in rng.choice(speakers, len(speakers))]) for _ in range(BOOTSTRAP)]
    out = {"utterances": len(rows), "speakers": len(speakers)}
    for level in LEVELS:
        blocks = _pairs(rows, level)
        x = np.concatenate(blocks)
        by_utt = [_pcc([blocks[i] for i in d]) for d in utt_draws]
        by_spk = [_pcc([blocks[i] for i in d]) for d in spk_draws]
        out[level] = {
            "pcc": round(_pcc(blocks), 3),
            "n": int(len(x)),
            "ci95_utterances": [round(float(v), 2) for v in np.nanquantile(by_utt, [0.025, 0.975])],
            "ci95_speakers": [round(float(v), 2) for v in np.nanquantile(by_spk, [0.025, 0.975])],
            "sd_theirs": round(float(x[:, 1].std()), 2),
            "mean_theirs": round(float(x[:, 1].mean()), 2),
            "per_speaker": {s: round(_pcc([blocks[i] for i in by_speaker[s]]), 2) for s in speakers},
        }
    return out


if __name__ == "__main__":
    sys.exit(main())
