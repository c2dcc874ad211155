"""Practice refuses a child's recording until the guardian consented, from the verified token alone."""


def test_a_child_cannot_record_until_consent_and_can_after_a_refresh(api, aws):
    child = aws.child()
    for path, body in (
        ("/api/sessions/start", {"sessionType": "practice"}),
        ("/api/stt/upload-url", {"contentType": "audio/wav", "size": 1000}),
        ("/api/stt/evaluate", {"originalText": "hello"}),
    ):
        status, answer = api.call("post", path, body, user=child)
        assert (status, answer["error"]) == (403, "GUARDIAN_CONSENT_REQUIRED"), path
    assert api.call("get", "/api/stats/daily", user=child)[0] == 200  # reading the history stays open

    consented = aws.consent(child)
    status, answer = api.call("post", "/api/sessions/start", {"sessionType": "practice"}, user=consented)
    assert status == 201, answer
