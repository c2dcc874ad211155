"""Scenario pictures (issue 14): what to ask an image model for, and the record that makes each one once.

A picture is named by a hash of (model, prompt, size), so the same request is answered by the same stored
image; the record says where it is, how many requests it served and when it expires (30 days: then a request
makes it again). The engines (Nova Canvas in AWS, an emoji illustration offline) are behind ``ImageGenerator``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from .scenarios import Scenario

TTL = timedelta(days=30)
# 16:9 for the scenario cards; both sides are multiples of 16, as Nova Canvas requires.
WIDTH, HEIGHT = 768, 432
PREFIX = "generated-images/"
_SEED_RANGE = 858_993_460  # Nova Canvas takes seeds 0..858,993,459


@dataclass(frozen=True)
class ImageSpec:
    """One picture to make: the prompt (what a model draws) and what the offline engine composes."""

    prompt: str
    negative: str
    width: int
    height: int
    title: str
    emoji: tuple[str, ...]
    colors: tuple[str, str]

    @property
    def seed(self) -> int:
        """Deterministic per prompt, so a picture made again (after it expired) looks alike."""
        return int(hashlib.sha256(self.prompt.encode()).hexdigest()[:12], 16) % _SEED_RANGE


def scenario_spec(scenario: Scenario) -> ImageSpec:
    light, deep = scenario.art.colors
    prompt = (
        f"A friendly flat vector illustration for an English speaking lesson: {scenario.situation.en} "
        f"A {scenario.ai_role.en} talks with a {scenario.learner_role.en}. "
        f"Soft pastel background in {light} with {deep} accents, simple shapes, warm light, no text."
    )
    return ImageSpec(
        prompt=" ".join(prompt.split())[:1024],
        negative="text, letters, words, captions, watermark, logo",
        width=WIDTH,
        height=HEIGHT,
        title=scenario.title.en,
        emoji=scenario.art.emoji,
        colors=scenario.art.colors,
    )


def alt_text(scenario: Scenario) -> dict[str, str]:
    return {
        "ko": f"{scenario.title.ko} 장면: {scenario.situation.ko}",
        "en": f"{scenario.title.en}: {scenario.situation.en}",
    }


def content_id(model: str, spec: ImageSpec) -> str:
    return hashlib.sha256(f"{model}\n{spec.width}x{spec.height}\n{spec.prompt}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class GeneratedContent:
    content_id: str
    model: str
    s3_key: str
    content_type: str
    created_at: datetime
    usage_count: int = 1  # requests it served, the one that made it included

    @property
    def expires_at(self) -> datetime:
        return self.created_at + TTL

    def is_live(self, now: datetime) -> bool:
        return now < self.expires_at


def image_key(content: str, generation: str, extension: str = "png") -> str:
    """Where one generation of a picture is stored; two requests racing to make it write different keys,
    and the one whose record loses deletes its own."""
    return f"{PREFIX}{content}/{generation}.{extension}"
