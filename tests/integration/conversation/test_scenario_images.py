"""Scenario pictures (issue 14) against the emulator: made once and reused (usageCount, the generated-content
table's TTL honoured on read), two first requests racing record one picture, and Nova Canvas on Bedrock through
boto3's real bedrock-runtime client and a local InvokeModel fake: throttling and a busy model retried, then a
503 IMAGE_UNAVAILABLE; malformed output a 503 too; never a 500 and nothing recorded for a failed picture."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
import requests
from PIL import Image
from speaktracker.dynamo import from_item, to_values
from speaktracker.settings import reset_settings
from support.fake_bedrock import FakeBedrock, model_timeout, throttled, unavailable

CAFE = "/api/ai/scenarios/cafe-order/image"


@pytest.fixture(autouse=True)
def fresh_pictures(aws, app):
    """Each test starts without pictures (the table and the bucket's generated-images/ are shared)."""
    from chalicelib import wiring

    db, table = aws.client("dynamodb"), aws.settings.name("generated-content")
    for item in db.scan(TableName=table)["Items"]:
        db.delete_item(TableName=table, Key={"contentId": item["contentId"]})
    wiring.scenario_images.cache_clear()
    yield
    wiring.scenario_images.cache_clear()


def records(aws) -> list[dict]:
    items = aws.client("dynamodb").scan(TableName=aws.settings.name("generated-content"))["Items"]
    return [from_item(i) for i in items]


def stored_keys(aws, content_id: str) -> list[str]:
    bucket = aws.settings.name("user-content")
    listed = aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=f"generated-images/{content_id}/")
    return [o["Key"] for o in listed.get("Contents", [])]


def fetch_png(url: str) -> Image.Image:
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    return picture


def test_a_scenario_picture_is_made_once_then_reused_and_counted(api, aws, student, tutor):
    status, first = api.call("get", CAFE, user=student)
    assert status == 200, first
    assert first["engine"] == "local-noto-emoji-v1" and first["contentType"] == "image/png"
    assert (first["width"], first["height"]) == (768, 432)
    assert "카페에서 주문하기" in first["alt"]["ko"] and "café" in first["alt"]["en"]
    picture = fetch_png(first["url"])
    assert picture.size == (768, 432)
    assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20) or ()) > 500  # an illustration, not a fill

    (record,) = records(aws)
    assert record["usageCount"] == 1 and record["model"] == "local-noto-emoji-v1"
    assert record["expiresAt"] - int(record["expiresAt"]) == 0  # epoch seconds, as DynamoDB TTL wants

    status, again = api.call("get", CAFE, user=tutor)  # any signed-in user may see it
    assert status == 200
    (record,) = records(aws)
    assert record["usageCount"] == 2
    assert fetch_png(again["url"]).tobytes() == picture.tobytes()
    assert stored_keys(aws, record["contentId"]) == [record["s3Key"]]


def test_each_scenario_has_its_own_picture(api, aws, student):
    urls = {api.call("get", f"/api/ai/scenarios/{s}/image", user=student)[1]["url"] for s in ("pharmacy", "cafe-order")}
    assert len(urls) == 2 and len(records(aws)) == 2


def test_an_expired_picture_is_made_again(api, aws, student):
    api.call("get", CAFE, user=student)
    (old,) = records(aws)
    past = int(old["expiresAt"]) - int(timedelta(days=31).total_seconds())
    aws.client("dynamodb").update_item(  # the emulator never deletes expired items: reads must ignore them
        TableName=aws.settings.name("generated-content"),
        Key={"contentId": {"S": old["contentId"]}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues=to_values({":past": past}),
    )
    status, _ = api.call("get", CAFE, user=student)
    assert status == 200
    (new,) = records(aws)
    assert new["s3Key"] != old["s3Key"] and new["usageCount"] == 1 and new["expiresAt"] > past


def test_unknown_scenario_and_anonymous_callers_are_refused(api, aws, student):
    status, body = api.call("get", "/api/ai/scenarios/no-such-scenario/image", user=student)
    assert (status, body["error"]) == (404, "SCENARIO_NOT_FOUND")
    status, body = api.call("get", CAFE)
    assert status == 401 and body["error"]
    assert records(aws) == []


def test_two_first_requests_racing_record_one_picture_and_serve_it_both(app, aws):
    from chalicelib import wiring
    from chalicelib.scenario_images import scenario_image

    ctx = wiring.scenario_images()
    both_drawing = threading.Barrier(2, timeout=20)
    real = ctx.generator

    class SlowTwin:
        model = real.model

        def generate(self, spec):
            image = real.generate(spec)
            both_drawing.wait()  # neither records before both have drawn: a true race on the record
            return image

    ctx.generator = SlowTwin()
    served: list = []
    threads = [threading.Thread(target=lambda: served.append(scenario_image(ctx, "hotel-checkin"))) for _ in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(served) == 2
    (record,) = records(aws)
    assert record["usageCount"] == 2
    assert stored_keys(aws, record["contentId"]) == [record["s3Key"]]  # the loser deleted its copy
    assert {fetch_png(s.url).tobytes() for s in served} == {fetch_png(served[0].url).tobytes()}


# --- Nova Canvas on Bedrock ---------------------------------------------------------------------------


@pytest.fixture
def bedrock(monkeypatch, app):
    from chalicelib import wiring
    from chalicelib.adapters import nova_canvas

    with FakeBedrock() as fake:
        monkeypatch.setattr(nova_canvas, "_pause", fake.pauses.append)
        monkeypatch.setenv("SPEAKTRACKER_IMAGE_ENGINE", "bedrock")
        monkeypatch.setenv("SPEAKTRACKER_BEDROCK_ENDPOINT_URL", fake.base_url)
        reset_settings()
        wiring.scenario_images.cache_clear()
        yield fake
    monkeypatch.undo()
    reset_settings()
    wiring.scenario_images.cache_clear()


def test_nova_canvas_draws_the_picture_from_a_text_image_request(api, aws, student, bedrock):
    status, body = api.call("get", CAFE, user=student)
    assert status == 200, body
    assert body["engine"] == "amazon.nova-canvas-v1:0"
    assert fetch_png(body["url"]).size == (768, 432)
    ((model, request),) = bedrock.requests
    assert model == "amazon.nova-canvas-v1:0"
    assert request["taskType"] == "TEXT_IMAGE"
    assert "café" in request["textToImageParams"]["text"] and "text" in request["textToImageParams"]["negativeText"]
    config = request["imageGenerationConfig"]
    assert (config["width"], config["height"], config["numberOfImages"]) == (768, 432, 1)
    assert 0 <= config["seed"] < 858_993_460 and config["cfgScale"] > 1
    api.call("get", CAFE, user=student)
    assert len(bedrock.requests) == 1  # reused, not drawn again
    assert records(aws)[0]["usageCount"] == 2


def test_throttling_and_a_busy_model_are_retried_with_growing_pauses(api, aws, student, bedrock):
    bedrock.enqueue(*throttled())
    bedrock.enqueue(*model_timeout())
    status, body = api.call("get", CAFE, user=student)
    assert status == 200, body
    assert len(bedrock.requests) == 3
    first, second = bedrock.pauses  # jittered exponential backoff: 0.5-1 s, then 1-2 s
    assert 0.5 <= first < 1 <= second < 2


def test_when_bedrock_stays_busy_the_answer_is_a_503_and_nothing_is_recorded(api, aws, student, bedrock):
    for answer in (throttled(), unavailable(), throttled()):
        bedrock.enqueue(*answer)
    status, body = api.call("get", CAFE, user=student)
    assert (status, body["error"]) == (503, "IMAGE_UNAVAILABLE")
    assert "Try again" in body["message"]
    assert len(bedrock.requests) == 3 and records(aws) == []
    status, _ = api.call("get", CAFE, user=student)  # and once Bedrock answers again, the picture is made
    assert status == 200 and len(records(aws)) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"images": []},
        {"images": ["not base64!"]},
        {"images": ["aGVsbG8="]},  # base64 of "hello": not a PNG
        {"images": [], "error": "The generated image has been blocked by the content filter."},
        ["images"],
    ],
    ids=["no-image", "not-base64", "not-png", "content-filter", "not-an-object"],
)
def test_malformed_model_output_is_a_503_not_a_500(api, aws, student, bedrock, answer):
    bedrock.enqueue(200, answer)
    status, body = api.call("get", CAFE, user=student)
    assert (status, body["error"]) == (503, "IMAGE_UNAVAILABLE")
    assert len(bedrock.requests) == 1 and records(aws) == []


def test_a_refused_request_is_not_retried(api, aws, student, bedrock):
    bedrock.enqueue(400, {"message": "Model access is denied."}, "AccessDeniedException")
    status, body = api.call("get", CAFE, user=student)
    assert (status, body["error"]) == (503, "IMAGE_UNAVAILABLE") and "AccessDeniedException" in body["message"]
    assert len(bedrock.requests) == 1 and bedrock.pauses == []
