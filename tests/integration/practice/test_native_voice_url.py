"""Where the browser fetches a sentence's native voice: behind the CDN a stable, content-addressed URL the
browser and the edge keep for good; without one (the dev stack), a presigned link of the bucket."""

import time

import requests


def completed_job(api, queues, student):
    # A level, topic and voice no other test draws, so this audio is made here (identical audio is shared).
    body = {"count": 1, "difficulty": "중", "topic": "쇼핑", "voiceId": "Kimberly"}
    status, made = api.call("post", "/api/sentences/generate", body, user=student)
    assert status == 200, made
    queues.drain("tts")  # generate makes the first sentence's audio itself; the queue would, if it could not
    return made["jobIds"][0]


def status_of(api, student, job_id):
    status, job = api.call("get", f"/api/tts/status/{job_id}", user=student)
    assert status == 200 and job["status"] == "COMPLETED", job
    return job


def test_behind_the_cdn_the_audio_url_is_its_content_address_and_never_changes(api, ctx, queues, student, monkeypatch):
    monkeypatch.setattr(ctx, "audio_base_url", "https://d111111abcdef8.cloudfront.net/")
    job_id = completed_job(api, queues, student)
    first = status_of(api, student, job_id)
    time.sleep(1.1)  # a presigned link would be signed anew by now
    again = status_of(api, student, job_id)
    assert first["audioUrl"] == again["audioUrl"]
    assert first["audioUrl"].startswith("https://d111111abcdef8.cloudfront.net/tts/")
    assert "?" not in first["audioUrl"] and "//tts" not in first["audioUrl"]  # no signature, one slash
    assert "expiresIn" not in first
    key = first["audioUrl"].removeprefix("https://d111111abcdef8.cloudfront.net/")
    assert ctx.files.head(key) is not None  # the edge's origin path is the object the worker wrote


def test_without_a_cdn_the_audio_is_a_presigned_link_that_expires(api, ctx, queues, student):
    assert not ctx.audio_base_url
    job = status_of(api, student, completed_job(api, queues, student))
    assert job["expiresIn"] == ctx.presigned_url_seconds
    assert "X-Amz-Signature=" in job["audioUrl"]
    assert requests.get(job["audioUrl"], timeout=10).status_code == 200
