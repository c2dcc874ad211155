"""python -m speaktracker.speech assess recording.wav "How was your day?"
python -m speaktracker.speech synthesize "How was your day?" out.wav [--voice en-us]"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..settings import Settings
from .errors import SpeechEngineError, SpeechInputError
from .factory import build_speech


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m speaktracker.speech")
    commands = parser.add_subparsers(dest="command", required=True)
    assess = commands.add_parser("assess", help="score a recording against a reference sentence (JSON out)")
    assess.add_argument("recording", type=Path)
    assess.add_argument("sentence")
    synth = commands.add_parser("synthesize", help="speak a sentence into a WAV file (offline voice)")
    synth.add_argument("text")
    synth.add_argument("out", type=Path)
    synth.add_argument("--voice", default=None)
    args = parser.parse_args(argv)
    engine = build_speech(Settings(speech_engine="local"))
    try:
        if args.command == "assess":
            result = engine.assessor.assess(args.recording.read_bytes(), args.sentence)
            print(result.model_dump_json(by_alias=True, indent=2))
        else:
            speech = engine.synthesizer.synthesize(args.text, args.voice, word_times=True)
            args.out.write_bytes(speech.audio)
            print(" ".join(f"{w.text}@{w.start:.2f}-{w.end:.2f}" for w in speech.words))
    except (SpeechInputError, SpeechEngineError) as exc:
        print(json.dumps({"error": exc.code, "message": exc.message}), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
