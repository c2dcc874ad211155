"""How each reference word is pronounced: CMUdict (shipped with pocketsphinx), else letter-to-sound rules."""

from __future__ import annotations

from collections.abc import Callable

Pronunciation = tuple[str, ...]
Lookup = Callable[[str], "Pronunciation | None"]


class Lexicon:
    """Word -> ARPAbet phones (no stress): ``dictionary`` first, ``letter_to_sound`` for unknown words
    (names, brands, romanised Korean such as "tteokbokki")."""

    def __init__(self, dictionary: Lookup, letter_to_sound: Callable[[str], Pronunciation]) -> None:
        self._dictionary = dictionary
        self._letter_to_sound = letter_to_sound
        self._guessed: dict[str, Pronunciation] = {}

    def known(self, word: str) -> bool:
        return bool(self._dictionary(word))

    def pronounce(self, word: str) -> Pronunciation:
        found = self._dictionary(word)
        if found:
            return found
        if word not in self._guessed:
            self._guessed[word] = self._letter_to_sound(word)
        return self._guessed[word]
