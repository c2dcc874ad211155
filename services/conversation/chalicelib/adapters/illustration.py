"""Scenario pictures offline: a deterministic illustration, not a generative model.

It composes the scenario's emoji from Noto Color Emoji (Google, SIL Open Font Licence 1.1; Debian's
``fonts-noto-color-emoji``) on a background in the scenario's two colours, with its English title in Noto Sans
CJK (``fonts-noto-cjk``), into a PNG with Pillow. The same scenario always gives the same picture.
"""

from __future__ import annotations

import io
import random
from functools import cache
from pathlib import Path

from PIL import Image as Picture
from PIL import ImageDraw, ImageFilter, ImageFont
from speaktracker.errors import Unavailable

from ..domain.images import ImageSpec
from ..ports import Image

EMOJI_FONTS = (
    Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
    Path("/usr/share/fonts/noto/NotoColorEmoji.ttf"),
)
TEXT_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
_EMOJI_STRIKE = 109  # the one bitmap size Noto Color Emoji carries; drawn there, then scaled


class EmojiIllustrator:
    model = "local-noto-emoji-v1"

    def __init__(self, emoji_font: Path | None = None, text_font: Path | None = None) -> None:
        self._emoji_font, self._text_font = emoji_font, text_font

    def generate(self, spec: ImageSpec) -> Image:
        emoji_font = self._emoji_font or _first(EMOJI_FONTS, "fonts-noto-color-emoji")
        text_font = self._text_font or _first(TEXT_FONTS, "fonts-noto-cjk")
        picture = _compose(spec, emoji_font, text_font)
        out = io.BytesIO()
        picture.save(out, "PNG", optimize=True)
        return Image(out.getvalue(), "image/png")


def _first(paths: tuple[Path, ...], package: str) -> Path:
    for path in paths:
        if path.exists():
            return path
    raise Unavailable(
        f"The offline picture engine needs the Debian package {package} (make dev installs it).", "IMAGE_UNAVAILABLE"
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _compose(spec: ImageSpec, emoji_font: Path, text_font: Path) -> Picture.Image:
    w, h = spec.width, spec.height
    light, deep = _rgb(spec.colors[0]), _rgb(spec.colors[1])
    rng = random.Random(spec.seed)
    picture = _background(w, h, light, deep)
    _bubbles(picture, rng, light, deep)
    main, *props = spec.emoji or ("💬",)
    _emoji(picture, main, emoji_font, size=int(h * 0.52), centre=(int(w * 0.36), int(h * 0.44)), shadow=deep)
    # Props to the right, above the title's band (which takes the bottom quarter, from the left).
    spots = [(int(w * 0.70), int(h * 0.28)), (int(w * 0.86), int(h * 0.56)), (int(w * 0.88), int(h * 0.20))]
    for glyph, spot, scale in zip(props, spots, (0.30, 0.26, 0.22)):
        _emoji(picture, glyph, emoji_font, size=int(h * scale), centre=spot, shadow=deep)
    _title(picture, spec.title, text_font, deep)
    return picture.convert("RGB")


def _background(w: int, h: int, light: tuple[int, int, int], deep: tuple[int, int, int]) -> Picture.Image:
    top, bottom = _mix(light, (255, 255, 255), 0.35), _mix(light, deep, 0.18)
    gradient = Picture.linear_gradient("L").resize((w, h))
    return Picture.composite(
        Picture.new("RGBA", (w, h), (*bottom, 255)), Picture.new("RGBA", (w, h), (*top, 255)), gradient
    )


def _bubbles(picture: Picture.Image, rng: random.Random, light, deep) -> None:
    w, h = picture.size
    layer = Picture.new("RGBA", picture.size, (*light, 0))  # a transparent light, so blurred edges stay light
    draw = ImageDraw.Draw(layer)
    for _ in range(7):
        r = rng.randint(h // 10, h // 3)
        x, y = rng.randint(-r // 2, w + r // 2), rng.randint(-r // 2, h + r // 2)
        tone = _mix(light, deep, rng.uniform(0.15, 0.45))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*tone, rng.randint(40, 90)))
    picture.alpha_composite(layer.filter(ImageFilter.GaussianBlur(h // 60)))


@cache
def _glyph(glyph: str, font_path: Path) -> Picture.Image:
    font = ImageFont.truetype(str(font_path), _EMOJI_STRIKE)
    side = _EMOJI_STRIKE * 2
    canvas = Picture.new("RGBA", (side * 2, side), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((8, 8), glyph, font=font, embedded_color=True)
    return canvas.crop(canvas.getbbox() or (0, 0, 1, 1))


def _emoji(picture: Picture.Image, glyph: str, font: Path, size: int, centre: tuple[int, int], shadow) -> None:
    art = _glyph(glyph, font)
    scale = size / max(art.size)
    art = art.resize((max(1, round(art.width * scale)), max(1, round(art.height * scale))), Picture.LANCZOS)
    x, y = centre[0] - art.width // 2, centre[1] - art.height // 2
    blur = max(2, size // 18)
    silhouette = Picture.new("RGBA", art.size, (*shadow, 0))
    silhouette.putalpha(art.getchannel("A").point(lambda a: a * 0.35))
    halo = Picture.new("RGBA", picture.size, (*shadow, 0))
    halo.paste(silhouette, (x + blur // 2, y + blur), silhouette)
    picture.alpha_composite(halo.filter(ImageFilter.GaussianBlur(blur)))
    picture.alpha_composite(art, (x, y))


def _title(picture: Picture.Image, title: str, font_path: Path, deep) -> None:
    w, h = picture.size
    size = max(14, h // 10)
    font = ImageFont.truetype(str(font_path), size)
    while font.getlength(title) > w * 0.8 and size > 12:
        size -= 1
        font = ImageFont.truetype(str(font_path), size)
    pad_x, pad_y = size // 1.4, size // 2.6
    box = font.getbbox(title)
    text_w, text_h = box[2] - box[0], box[3] - box[1]
    left, bottom = int(w * 0.05), int(h * 0.92)
    pill = (left, bottom - text_h - 2 * pad_y, left + text_w + 2 * pad_x, bottom)
    layer = Picture.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle(pill, radius=(pill[3] - pill[1]) // 2, fill=(255, 255, 255, 225))
    draw.text((pill[0] + pad_x - box[0], pill[1] + pad_y - box[1]), title, font=font, fill=(*deep, 255))
    picture.alpha_composite(layer)
