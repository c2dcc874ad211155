"""Per-turn feedback: at most two corrections, a better phrasing and the new words the learner used.

The same model is the forced tool's input schema when Claude coaches, and what the local coach returns.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

MAX_CORRECTIONS = 2


class _Camel(BaseModel):
    model_config = ConfigDict(defer_build=True, alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Correction(_Camel):
    original: str = Field(min_length=1, max_length=300, description="The learner's words, as said.")
    corrected: str = Field(min_length=1, max_length=300, description="The same words, corrected.")
    explanation_ko: str = Field(min_length=1, max_length=300, description="Why, in one short Korean sentence (해요체).")


class TurnFeedback(_Camel):
    corrections: list[Correction] = Field(
        default_factory=list,
        max_length=MAX_CORRECTIONS,
        description="At most two real mistakes; none if the turn was fine.",
    )
    better_phrasing: str | None = Field(
        None, max_length=300, description="A more natural way to say the whole turn, or null."
    )
    new_words: list[str] = Field(
        default_factory=list, max_length=8, description="Useful words or phrases the learner used well in this turn."
    )
    unclear_words: list[str] = Field(
        default_factory=list,
        max_length=8,
        description="Words of the turn that are not English words (probably "
        "misheard, e.g. 'kerpam' for 'a cup of'); none if all were "
        "clear. The turn is not called correct around them.",
    )

    @field_validator("new_words", "unclear_words")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        return [w.strip() for w in words if w.strip()][:8]


class PartnerReply(_Camel):
    """The partner's next line: in character, at most 25 words, with its Korean translation."""

    reply: str = Field(min_length=1, max_length=220, description="The partner's next line in English.")
    reply_ko: str = Field(min_length=1, max_length=300, description="Its natural Korean translation.")

    @field_validator("reply")
    @classmethod
    def _short(cls, reply: str) -> str:
        reply = " ".join(reply.split())
        if len(reply.split()) > 30:
            raise ValueError("the reply must be at most 25 words")
        return reply


class Hint(_Camel):
    suggestion: str = Field(min_length=1, max_length=220, description="A reply the learner could say next.")
    suggestion_ko: str = Field(min_length=1, max_length=300, description="Its Korean translation.")
