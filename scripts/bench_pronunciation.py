"""Pronunciation benchmark.

1. Speaker-disjoint cross-validation of the scorer over the train speakers (the training recipe of
   ``train_pronunciation.py`` with its seed: held-out predictions, n, a speaker-bootstrap 95% interval,
   standard deviation ours vs the examiners', mean absolute error on 0-10).
2. The whole engine on the speechocean762 dev subset's test split (a smoke test: 4 speakers, narrow spread):
   Pearson correlation of sentence accuracy, fluency, prosody and total, word accuracy and phone score with
   the examiners, the real-time factor (process CPU seconds per audio second; ``make bench-pronunciation``
   pins one core with taskset and OMP_NUM_THREADS=1) and the slowest 2.5-3.5 s clip end to end.
3. Miscues on espeak-ng readings: said as written, one word left out, another word in its place, and another
   sentence read instead.

    python scripts/bench_pronunciation.py [--dataset DIR] [--split test] [--no-cv] [--write-docs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
from speaktracker.settings import Settings
from speaktracker.speech.factory import build_speech

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = os.environ.get("SPEECHOCEAN_DIR", str(ROOT / ".." / "shared" / "datasets" / "speechocean762-dev"))
SECTION = "## Pronunciation"


def main() -> None:
    args = _arguments()
    with open(Path(args.dataset) / "scores.jsonl") as lines:
        rows = [json.loads(line) for line in lines]
    engine = build_speech(Settings(speech_engine="local"))
    measured = [r for r in rows if r["split"] == args.split]
    table = _evaluate(engine, measured, Path(args.dataset))
    text = _table(table, args.split, len(measured)) + "\n\n" + _miscue_table(_miscues(engine), table["false"])
    if not args.no_cv:
        text = _cross_validation_table() + "\n\n" + text
    print(text)
    if args.write_docs:
        _write_docs(text, sys.argv[1:])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default=DEFAULT_DATASET, help="speechocean762 subset (env SPEECHOCEAN_DIR)")
    parser.add_argument("--split", default="test", choices=["train", "test"])
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation (needs scikit-learn)")
    parser.add_argument(
        "--write-docs", action="store_true", help="rewrite the Pronunciation section of docs/benchmarks.md"
    )
    return parser.parse_args()


def _audio(dataset: Path, row: dict) -> bytes:
    return (dataset / "wav" / f"{row['utt']}.wav").read_bytes()


def _evaluate(engine, rows: list[dict], dataset: Path) -> dict:
    pairs = {k: ([], []) for k in ("accuracy", "fluency", "prosodic", "total", "word", "phone", "good")}
    cpu = audio = 0.0
    clip_walls: list[float] = []
    clip_cpus: list[float] = []
    engine.assessor.assess(_audio(dataset, rows[0]), rows[0]["text"])  # load models before timing
    for row in rows:
        data = _audio(dataset, row)
        wall, started = time.perf_counter(), time.process_time()
        result = engine.assessor.assess(data, row["text"])
        used = time.process_time() - started
        cpu += used
        wall = time.perf_counter() - wall
        audio += result.audio_duration
        if 2.5 <= result.audio_duration <= 3.5:
            clip_walls.append(wall)
            clip_cpus.append(used)
        for key, ours, theirs in (
            ("accuracy", result.accuracy_score, row["accuracy"]),
            ("fluency", result.fluency_score, row["fluency"]),
            ("prosodic", result.prosody_score or 0.0, row["prosodic"]),
            ("total", result.overall_score, row["total"]),
        ):
            pairs[key][0].append(ours)
            pairs[key][1].append(theirs)
        _pair_words(result, row, pairs)
    good = pairs.pop("good")[0]
    table = {k: (_pcc(*v), len(v[0])) for k, v in pairs.items()}
    table["false"] = (sum(good), len(good))
    table["rtf"] = (cpu / audio, audio)
    table["clip"] = (float(np.max(clip_walls)) if clip_walls else float("nan"), len(clip_walls))
    table["clip_cpu"] = (float(np.max(clip_cpus)) if clip_cpus else float("nan"), len(clip_cpus))
    return table


def _pair_words(result, row: dict, pairs: dict) -> None:
    ours = [w for w in result.words if w.error_type != "insertion"]
    if [_plain(w.text) for w in ours] != [_plain(w["text"]) for w in row["words"]]:
        return  # tokenisation differs (rare); skip rather than mis-pair
    for mine, theirs in zip(ours, row["words"]):
        if theirs["accuracy"] >= GOOD_WORD:
            pairs["good"][0].append(mine.start is None)  # reported left out or replaced by other speech
        pairs["word"][0].append(mine.score)
        pairs["word"][1].append(theirs["accuracy"])
        canonical = [p.rstrip("012") for p in theirs["phones"]]
        matcher = difflib.SequenceMatcher(a=[p.phoneme for p in mine.phonemes], b=canonical, autojunk=False)
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    pairs["phone"][0].append(mine.phonemes[i1 + k].score)
                    pairs["phone"][1].append(theirs["phones_accuracy"][j1 + k])


# (reference, index of the word changed, the word said in its place). Readings are made with espeak-ng.
MISCUE_SENTENCES = [
    ("Where is the subway station?", 3, "bus"),
    ("I like green apples very much.", 2, "purple"),
    ("How was your day at school?", 3, "night"),
    ("Do I need to change trains to get to the museum?", 4, "buy"),
    ("She bought a new red dress yesterday.", 4, "blue"),
    ("Can you help me carry these heavy boxes?", 6, "small"),
    ("My brother plays soccer every weekend.", 3, "tennis"),
    ("Please turn off the lights before you leave.", 4, "music"),
    ("We are going to visit our grandmother tomorrow.", 6, "uncle"),
    ("The coffee shop opens at seven o'clock.", 1, "book"),
    ("I usually take a walk after dinner.", 4, "nap"),
    ("Could you tell me the way to the hospital?", 8, "library"),
]
# A word the examiners scored this high (of 10) was said, and said well enough to be recognisable.
GOOD_WORD = 8


def _miscues(engine) -> dict[str, tuple[int, int]]:
    counts = {"clean": 0, "omission": 0, "omission_alone": 0, "substitution": 0, "other_sentence": 0}
    worst_other = 0.0
    for k, (sentence, index, other) in enumerate(MISCUE_SENTENCES):
        another = MISCUE_SENTENCES[(k + 1) % len(MISCUE_SENTENCES)][0]
        wrong = engine.assessor.assess(engine.synthesizer.synthesize(another).audio, sentence)
        counts["other_sentence"] += wrong.overall_score < 20
        worst_other = max(worst_other, wrong.overall_score)
        words, end = sentence[:-1].split(), sentence[-1]
        left_out = " ".join(words[:index] + words[index + 1 :]) + end
        replaced = " ".join(words[:index] + [other] + words[index + 1 :]) + end
        correct, omitted, substituted = (
            engine.assessor.assess(engine.synthesizer.synthesize(text).audio, sentence)
            for text in (sentence, left_out, replaced)
        )
        counts["clean"] += all(w.error_type == "none" for w in correct.words)
        counts["omission"] += omitted.words[index].error_type == "omission"
        counts["omission_alone"] += [i for i, w in enumerate(omitted.words) if w.error_type != "none"] == [index]
        counts["substitution"] += substituted.words[index].error_type == "mispronunciation"
    n = len(MISCUE_SENTENCES)
    out = {k: (v, n) for k, v in counts.items()}
    out["worst_other"] = (worst_other, n)
    return out


def _miscue_table(counts: dict[str, tuple[int, int]], false: tuple[int, int]) -> str:
    labels = {
        "clean": "read as written: no word flagged",
        "omission": "one word left out: that word reported as omission",
        "omission_alone": "one word left out: no other word flagged",
        "substitution": "another word in its place: reported as mispronunciation",
        "other_sentence": "the next sentence of the list read instead: overall < 20",
    }
    lines = [
        f"Miscues on espeak-ng readings ({len(MISCUE_SENTENCES)} sentences, `MISCUE_SENTENCES` in the script)",
        "",
        "| case | as it should be |",
        "|---|---|",
    ]
    lines += [f"| {label} | {counts[k][0]} of {counts[k][1]} |" for k, label in labels.items()]
    lines.append(f"| another sentence read instead: highest overall score | {counts['worst_other'][0]:.1f} |")
    lines.append(
        f"| speechocean words scored >= {GOOD_WORD}/10 by examiners reported left out or replaced | "
        f"{false[0]} of {false[1]} |"
    )
    return "\n".join(lines)


def _plain(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


def _pcc(a: list[float], b: list[float]) -> float:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _cross_validation_table() -> str:
    import train_pronunciation as train  # scikit-learn: the train dependency group

    data = train.load_train_data()
    args = train.DEFAULTS
    figures = train.train(data, args["folds"], args["seed"])["report"]["cross_validation"]
    lines = [
        f"Speaker-disjoint cross-validation over the train speakers ({len(data)} utterances, "
        f"{len({u.speaker for u, _ in data})} speakers, {args['folds']} folds, seed {args['seed']}): held-out "
        "predictions, 95% interval from a speaker bootstrap",
        "",
        "| measure | PCC | 95% interval | n | SD ours / examiners (0-10) | MAE (0-10) | target |",
        "|---|---|---|---|---|---|---|",
    ]
    scale = {"phone": 5.0}  # phones are scored 0-2
    for key, label in CV_NAMES.items():
        f = figures[key]
        k = scale.get(key, 1.0)
        lines.append(
            f"| {label} | {f['pcc']:.3f} | {f['ci95'][0]:.2f}-{f['ci95'][1]:.2f} | {f['n']} | "
            f"{k * f['sd_ours']:.2f} / {k * f['sd_theirs']:.2f} | {k * f['mae']:.2f} | {CV_TARGETS.get(key, '')} |"
        )
    return "\n".join(lines)


CV_NAMES = {
    "accuracy": "sentence accuracy",
    "fluency": "sentence fluency",
    "prosodic": "sentence prosody",
    "total": "sentence total",
    "word": "word accuracy",
    "phone": "phone score",
}
CV_TARGETS = {"accuracy": ">= 0.70", "fluency": ">= 0.75", "word": ">= 0.50", "phone": ">= 0.55"}


def _table(table: dict, split: str, n: int) -> str:
    rtf, seconds = table["rtf"]
    clip, clips = table["clip"]
    lines = [
        f"speechocean762 dev subset, split `{split}` ({n} utterances, {seconds:.0f} s of audio)",
        "",
        "| measure | ours vs human | n | target |",
        "|---|---|---|---|",
    ]
    targets = {}  # a smoke test: the targets are on the cross-validation above
    names = {
        "accuracy": "sentence accuracy PCC",
        "fluency": "sentence fluency PCC",
        "prosodic": "sentence prosody PCC",
        "total": "sentence total PCC",
        "word": "word accuracy PCC",
        "phone": "phone score PCC",
    }
    for key, label in names.items():
        value, count = table[key]
        lines.append(f"| {label} | {value:.3f} | {count} | {targets.get(key, '')} |")
    lines.append(f"| real-time factor (CPU s per audio s, one core) | {rtf:.3f} | {n} | <= 0.15 |")
    lines.append(f"| slowest 2.5-3.5 s clip, end to end (wall s) | {clip:.3f} | {clips} | < 1 |")
    lines.append(f"| slowest 2.5-3.5 s clip, end to end (CPU s) | {table['clip_cpu'][0]:.3f} | {clips} | |")
    return "\n".join(lines)


def _write_docs(table: str, argv: list[str]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n"
    by_make = argv == ["--write-docs"]
    command = "make bench-pronunciation" if by_make else "python scripts/bench_pronunciation.py " + " ".join(argv)
    body = (
        f"{SECTION}\n\nMeasured {dt.date.today().isoformat()} with `{command}` "
        "(taskset -c 0, OMP_NUM_THREADS=1). The scorer is fitted on the train speakers only; every figure is on "
        f"speakers it did not see. Method and limits: [pronunciation.md](pronunciation.md).\n\n{table}\n"
    )
    start = existing.find(SECTION)
    if start < 0:
        updated = existing.rstrip() + "\n\n" + body
    else:
        following = existing.find("\n## ", start + len(SECTION))
        rest = existing[following + 1 :] if following >= 0 else ""
        notes = _notes_between(existing, start, following)
        updated = existing[:start] + body + notes + ("\n" + rest if rest else "")
    path.write_text(updated)


def _notes_between(text: str, start: int, end: int) -> str:
    """Hand-written notes under '### Notes' in our section survive a rewrite of the table."""
    section = text[start : end if end >= 0 else len(text)]
    marker = section.find("### Notes")
    return "\n" + section[marker:].rstrip() + "\n" if marker >= 0 else ""


if __name__ == "__main__":
    main()
