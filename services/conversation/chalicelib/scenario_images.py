"""The scenario picture use case (issue 14): ``GET /api/ai/scenarios/{id}/image``.

A picture is made once per (engine, prompt, size) and reused until it expires: a live record is counted and
served; otherwise the engine draws it, it is stored under a key of its own, and the record is written only if
no live one appeared meanwhile. The request that loses that race deletes its copy and serves the winner's.
Clients get a presigned URL (an ``<img>`` cannot send the bearer token the route needs).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .domain.conversation import utcnow
from .domain.images import GeneratedContent, ImageSpec, alt_text, content_id, image_key, scenario_spec
from .domain.scenarios import Catalogue
from .ports import GeneratedContentStore, ImageGenerator, RecordingStore

_log = logging.getLogger(__name__)


@dataclass
class ScenarioImages:
    catalogue: Catalogue
    generator: ImageGenerator
    records: GeneratedContentStore
    bucket: RecordingStore
    url_seconds: int = 900  # how long a presigned URL is valid
    clock: Callable[[], datetime] = field(default=utcnow)


@dataclass(frozen=True)
class ServedImage:
    scenario_id: str
    url: str
    expires_in: int
    content_type: str
    width: int
    height: int
    alt: dict[str, str]
    engine: str


def scenario_image(ctx: ScenarioImages, scenario_id: str) -> ServedImage:
    scenario = ctx.catalogue.get(scenario_id)  # 404 SCENARIO_NOT_FOUND
    spec = scenario_spec(scenario)
    content = _made_once(ctx, content_id(ctx.generator.model, spec), spec)
    return ServedImage(
        scenario_id=scenario.scenario_id,
        url=ctx.bucket.presign_download(content.s3_key),
        expires_in=ctx.url_seconds,
        content_type=content.content_type,
        width=spec.width,
        height=spec.height,
        alt=alt_text(scenario),
        engine=content.model,
    )


def _made_once(ctx: ScenarioImages, cid: str, spec: ImageSpec) -> GeneratedContent:
    reused = ctx.records.reuse(cid, ctx.clock())
    if reused is not None:
        return reused
    image = ctx.generator.generate(spec)
    key = image_key(cid, uuid.uuid4().hex[:12])
    ctx.bucket.put(key, image.data, image.content_type)
    mine = GeneratedContent(cid, ctx.generator.model, key, image.content_type, ctx.clock())
    stored = ctx.records.record(mine, ctx.clock())
    if stored.s3_key != key:
        _log.info("a concurrent request made picture %s first: serving its copy", cid)
        ctx.bucket.delete(key)
    return stored
