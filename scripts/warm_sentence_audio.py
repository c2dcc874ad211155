"""Makes the sentence bank's audio ahead of the students: every bank sentence in the given voices that the
audio library lacks is synthesised and stored, so ``POST /api/sentences/generate`` finds it ready and answers
those jobs COMPLETED without a queue round trip. Idempotent; audio is reused for 5 days, so run it again
within that. In AWS practice's daily ``warm_bank_audio`` schedule does the same (and renews what is about to
expire); this script is for the dev stack, or for a new stage's first warm-up without waiting a day.

    python scripts/warm_sentence_audio.py --stack-env .dev/stack.env   # the stack `make dev` runs
    python scripts/warm_sentence_audio.py                              # the settings in this environment (AWS)
    python scripts/warm_sentence_audio.py --voice Matthew --voice Joanna
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack-env", type=Path, help="a dev stack's stack.env to take the settings from")
    parser.add_argument("--voice", action="append", help="a voice to make (default: the default voice)")
    parser.add_argument("--workers", type=int, default=2, help="sentences synthesised at once")
    args = parser.parse_args(argv)
    if args.stack_env:
        from speaktracker_dev.launch import read_env_file

        os.environ.update(read_env_file(args.stack_env))
    sys.path.insert(0, str(ROOT / "services" / "practice"))
    from chalicelib import service
    from chalicelib.domain.speech_jobs import DEFAULT_VOICE, VOICES
    from chalicelib.wiring import practice

    voices = args.voice or [DEFAULT_VOICE]
    unknown = set(voices) - set(VOICES)
    if unknown:
        parser.error(f"unknown voice {', '.join(sorted(unknown))}; one of {', '.join(VOICES)}")
    began = time.perf_counter()
    warmed = service.warm_sentence_audio(practice(), voices, workers=args.workers)
    print(
        f"bank sentences ({', '.join(voices)}): {warmed.sentences}; made now: {warmed.made}; "
        f"failed: {warmed.failed}; {time.perf_counter() - began:.1f} s"
    )
    return 1 if warmed.failed else 0


if __name__ == "__main__":
    sys.exit(main())
