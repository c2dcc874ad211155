"""What a scenario picture is asked for and named by, and the offline engine's honest illustration."""

import io
from dataclasses import replace
from pathlib import Path

import pytest
from botocore.exceptions import ReadTimeoutError
from chalicelib.adapters.illustration import EmojiIllustrator
from chalicelib.adapters.nova_canvas import NovaCanvas
from chalicelib.domain.images import HEIGHT, WIDTH, content_id, scenario_spec
from chalicelib.domain.scenarios import Catalogue
from PIL import Image
from speaktracker.errors import Unavailable

CATALOGUE = Catalogue.load()


def test_every_scenario_has_its_own_art_and_a_prompt_nova_canvas_accepts():
    specs = [scenario_spec(s) for s in CATALOGUE.all()]
    assert len({s.emoji for s in specs}) == len(specs)
    for spec in specs:
        assert 1 <= len(spec.prompt) <= 1024 and "no text" in spec.prompt
        assert spec.colors[0] in spec.prompt and spec.colors[1] in spec.prompt
        assert spec.width % 16 == 0 and spec.height % 16 == 0 and min(spec.width, spec.height) >= 320
        assert 0 <= spec.seed < 858_993_460


def test_a_picture_is_named_by_engine_prompt_and_size():
    spec = scenario_spec(CATALOGUE.get("cafe-order"))
    same = content_id("local-noto-emoji-v1", spec)
    assert same == content_id("local-noto-emoji-v1", scenario_spec(CATALOGUE.get("cafe-order")))
    assert same != content_id("amazon.nova-canvas-v1:0", spec)
    assert same != content_id("local-noto-emoji-v1", replace(spec, width=1024))
    assert same != content_id("local-noto-emoji-v1", replace(spec, prompt=spec.prompt + " At night."))


def test_the_offline_illustration_is_deterministic_and_draws_the_scenarios_emoji():
    spec = scenario_spec(CATALOGUE.get("airport-checkin"))
    engine = EmojiIllustrator()
    first, again = engine.generate(spec), engine.generate(spec)
    assert first.content_type == "image/png" and first.data == again.data
    picture = Image.open(io.BytesIO(first.data)).convert("RGB")
    assert picture.size == (WIDTH, HEIGHT)
    # The plane is blue and grey on a pale blue ground: many colours, and strong ones, where the emoji stands.
    plane = picture.crop((int(WIDTH * 0.2), int(HEIGHT * 0.15), int(WIDTH * 0.5), int(HEIGHT * 0.75)))
    assert len(plane.getcolors(maxcolors=1 << 20) or ()) > 1000
    other = engine.generate(scenario_spec(CATALOGUE.get("pharmacy")))
    assert other.data != first.data


def test_without_the_emoji_font_the_offline_engine_says_what_to_install(monkeypatch):
    import chalicelib.adapters.illustration as illustration

    monkeypatch.setattr(illustration, "EMOJI_FONTS", (Path("/nonexistent/NotoColorEmoji.ttf"),))
    with pytest.raises(Unavailable) as refused:
        EmojiIllustrator().generate(scenario_spec(CATALOGUE.get("cafe-order")))
    assert refused.value.code == "IMAGE_UNAVAILABLE" and "fonts-noto-color-emoji" in refused.value.message


class TimingOutBedrock:
    """bedrock-runtime whose every read times out after ``seconds`` of the test's clock."""

    def __init__(self, clock: list[float], seconds: float) -> None:
        self.calls, self._clock, self._seconds = 0, clock, seconds

    def invoke_model(self, **request):
        self.calls += 1
        self._clock[0] += self._seconds
        raise ReadTimeoutError(endpoint_url="http://bedrock.test")


@pytest.mark.parametrize(("seconds", "attempts"), [(20.0, 1), (0.1, 3)])
def test_nova_canvas_tries_again_only_while_an_attempt_can_end_inside_the_budget(seconds, attempts):
    now = [0.0]
    client = TimingOutBedrock(now, seconds)
    canvas = NovaCanvas(
        client, "amazon.nova-canvas-v1:0", sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0]
    )
    with pytest.raises(Unavailable) as refused:
        canvas.generate(scenario_spec(CATALOGUE.get("cafe-order")))
    assert refused.value.code == "IMAGE_UNAVAILABLE" and refused.value.status == 503
    assert client.calls == attempts and now[0] <= 25 + seconds
