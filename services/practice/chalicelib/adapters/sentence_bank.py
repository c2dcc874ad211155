"""The offline sentence engine: the curated bank in ``sentence_bank.json`` with its templates expanded."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..domain.levels import Level
from ..domain.sentences import Sentence, SentenceBank

BANK_FILE = Path(__file__).resolve().parent.parent / "sentence_bank.json"


@functools.cache
def load_bank(path: Path = BANK_FILE) -> SentenceBank:
    return SentenceBank.from_data(json.loads(path.read_text(encoding="utf-8")))


class BankSentenceWriter:
    name = "bank"

    def __init__(self, bank: SentenceBank) -> None:
        self._bank = bank

    def write(self, level: Level, topic: str, count: int, avoid: list[str]) -> list[Sentence]:
        """Everything the bank has at this level and topic; the practice set is chosen from it with the
        student's history (what to avoid is decided there, with more knowledge than a list of texts)."""
        return self._bank.candidates(level, topic)
