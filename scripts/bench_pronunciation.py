"""Pronunciation benchmark on the speechocean762 development subset.

Pearson correlation of our sentence accuracy, fluency and total, word accuracy and phone score with
the corpus's human scores, and the real-time factor (process CPU seconds per audio second; run it on one
core: ``make bench-pronunciation`` pins it with taskset and OMP_NUM_THREADS=1). Then the miscue reports:
espeak-ng readings of sentences said as written, with one word left out and with another word in its
place, and how often each comes out as it should.

    python scripts/bench_pronunciation.py [--dataset DIR] [--split test] [--fit] [--write-docs]

``--fit`` fits the constants of ``speaktracker/speech/calibration.py`` on the train split and prints them
(paste them into that module); the figures are always reported on the chosen split.
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
from speaktracker.speech import calibration, scoring
from speaktracker.speech.audio import decode_recording
from speaktracker.speech.factory import build_speech

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = os.environ.get("SPEECHOCEAN_DIR", str(ROOT / ".." / "shared" / "datasets" / "speechocean762-dev"))
SECTION = "## Pronunciation"


def main() -> None:
    args = _arguments()
    rows = [json.loads(line) for line in open(Path(args.dataset) / "scores.jsonl")]
    engine = build_speech(Settings(speech_engine="local"))
    if args.fit:
        _fit(engine, [r for r in rows if r["split"] == "train"], Path(args.dataset))
    measured = [r for r in rows if r["split"] == args.split]
    table = _evaluate(engine, measured, Path(args.dataset))
    text = _table(table, args.split, len(measured)) + "\n\n" + _miscue_table(_miscues(engine), table["false"])
    print(text)
    if args.write_docs:
        _write_docs(text, sys.argv[1:])


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default=DEFAULT_DATASET, help="speechocean762 subset (env SPEECHOCEAN_DIR)")
    parser.add_argument("--split", default="test", choices=["train", "test"])
    parser.add_argument("--fit", action="store_true", help="fit calibration on the train split and print it")
    parser.add_argument("--write-docs", action="store_true", help="rewrite the Pronunciation section of docs/benchmarks.md")
    return parser.parse_args()


def _audio(dataset: Path, row: dict) -> bytes:
    return (dataset / "wav" / f"{row['utt']}.wav").read_bytes()


def _evaluate(engine, rows: list[dict], dataset: Path) -> dict:
    pairs = {k: ([], []) for k in ("accuracy", "fluency", "total", "word", "phone", "good")}
    cpu = audio = 0.0
    clip_walls: list[float] = []
    engine.assessor.assess(_audio(dataset, rows[0]), rows[0]["text"])  # load models before timing
    for row in rows:
        data = _audio(dataset, row)
        wall, started = time.perf_counter(), time.process_time()
        result = engine.assessor.assess(data, row["text"])
        cpu += time.process_time() - started
        wall = time.perf_counter() - wall
        audio += result.audio_duration
        if 2.5 <= result.audio_duration <= 3.5:
            clip_walls.append(wall)
        for key, ours, theirs in (
            ("accuracy", result.accuracy_score, row["accuracy"]),
            ("fluency", result.fluency_score, row["fluency"]),
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
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
    counts = {"clean": 0, "omission": 0, "omission_alone": 0, "substitution": 0}
    for sentence, index, other in MISCUE_SENTENCES:
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
    return {k: (v, n) for k, v in counts.items()}


def _miscue_table(counts: dict[str, tuple[int, int]], false: tuple[int, int]) -> str:
    labels = {
        "clean": "read as written: no word flagged",
        "omission": "one word left out: that word reported as omission",
        "omission_alone": "one word left out: no other word flagged",
        "substitution": "another word in its place: reported as mispronunciation",
    }
    lines = [
        f"Miscues on espeak-ng readings ({len(MISCUE_SENTENCES)} sentences, `MISCUE_SENTENCES` in the script)",
        "",
        "| case | as it should be |",
        "|---|---|",
    ]
    lines += [f"| {label} | {counts[k][0]} of {counts[k][1]} |" for k, label in labels.items()]
    lines.append(f"| speechocean words scored >= {GOOD_WORD}/10 by examiners reported left out or replaced | "
                 f"{false[0]} of {false[1]} |")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


def _pcc(a: list[float], b: list[float]) -> float:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _fit(engine, rows: list[dict], dataset: Path) -> None:
    """Phones first (logistic: judged fully correct or not), then the sentence-level linear maps."""
    assessor = engine.assessor
    evidence = []
    for row in rows:
        recording = decode_recording(_audio(dataset, row))
        tokens_words = [w.lower() for w in row["text"].split()]
        prons = [assessor._lexicon.pronounce(w) for w in tokens_words]
        ev = assessor._analyzer.analyse(recording.pcm, tokens_words, prons)
        evidence.append((row, ev))
    x, y = [], []
    for row, ev in evidence:
        for i, word in ev.spoken.items():
            if i >= len(row["words"]):
                continue
            canonical = [p.rstrip("012") for p in row["words"][i]["phones"]]
            matcher = difflib.SequenceMatcher(a=[p.phone for p in word.phones], b=canonical, autojunk=False)
            for tag, i1, i2, j1, _ in matcher.get_opcodes():
                if tag == "equal":
                    for k in range(i2 - i1):
                        p = word.phones[i1 + k]
                        x.append([1.0, min(p.loop_ratio, 0.0), p.senone_ratio])
                        y.append(1.0 if row["words"][i]["phones_accuracy"][j1 + k] >= 2 else 0.0)
    calibration.PHONE = tuple(round(float(v), 4) for v in _logistic(np.array(x), np.array(y)))
    print(f"PHONE = {calibration.PHONE}  # {len(y)} train phones")
    # Sentence accuracy: a straight line from the sentence GOP of the words said (omitted ones are
    # completeness's business, as in the product) to the human score; a slope that is not positive would
    # mean the GOP says nothing about accuracy here, and is refused rather than shipped.
    gops, targets = [], []
    for row, ev in evidence:
        gop = scoring.sentence_gop([w for w in ev.spoken.values() if not scoring.looks_omitted(w)])
        if gop is not None:
            gops.append(gop)
            targets.append(10.0 * row["accuracy"])
    a0, a1 = _linear(np.column_stack([np.ones(len(gops)), gops]), targets)
    if a1 <= 0:
        raise SystemExit(f"sentence GOP slope {a1} <= 0 on train: not fitted")
    calibration.ACCURACY = (a0, a1)
    print(f"ACCURACY = {calibration.ACCURACY}  # on {len(gops)} train utterances")


def _logistic(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    w = np.zeros(x.shape[1])
    w[0] = np.log(max(y.mean(), 1e-3) / max(1 - y.mean(), 1e-3))
    for _ in range(50):  # Newton steps
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (y - p) - ridge * w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + ridge * np.eye(len(w))
        w += np.linalg.solve(hessian, gradient)
    return w


def _linear(x: np.ndarray, y: list[float]) -> tuple[float, ...]:
    w = np.linalg.lstsq(x, np.array(y, dtype=float), rcond=None)[0]
    return tuple(round(float(v), 4) for v in w)


def _table(table: dict, split: str, n: int) -> str:
    rtf, seconds = table["rtf"]
    clip, clips = table["clip"]
    lines = [
        f"speechocean762 dev subset, split `{split}` ({n} utterances, {seconds:.0f} s of audio)",
        "",
        "| measure | ours vs human | n | target |",
        "|---|---|---|---|",
    ]
    targets = {"accuracy": ">= 0.60", "word": ">= 0.45", "phone": ">= 0.45"}
    names = {
        "accuracy": "sentence accuracy PCC", "fluency": "sentence fluency PCC",
        "total": "sentence total PCC", "word": "word accuracy PCC", "phone": "phone score PCC",
    }
    for key, label in names.items():
        value, count = table[key]
        lines.append(f"| {label} | {value:.3f} | {count} | {targets.get(key, '')} |")
    lines.append(f"| real-time factor (CPU s per audio s, one core) | {rtf:.3f} | {n} | <= 0.15 |")
    lines.append(f"| slowest 2.5-3.5 s clip, end to end (wall s) | {clip:.3f} | {clips} | < 1 |")
    return "\n".join(lines)


def _write_docs(table: str, argv: list[str]) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    existing = path.read_text() if path.exists() else "# Benchmarks\n"
    by_make = argv == ["--write-docs"]
    command = "make bench-pronunciation" if by_make else "python scripts/bench_pronunciation.py " + " ".join(argv)
    body = (
        f"{SECTION}\n\nMeasured {dt.date.today().isoformat()} with `{command}` "
        "(taskset -c 0, OMP_NUM_THREADS=1). Calibration fitted on the train split only; figures are the "
        f"held-out split. Method and limits: [pronunciation.md](pronunciation.md).\n\n{table}\n"
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
