"""Conversation refuses a child's conversation until the guardian consented (token group, no identity read)."""


def test_a_child_cannot_converse_until_consent(api, aws):
    child = aws.child()
    body = {"difficulty": "중급", "scenarioId": "cafe-order"}
    status, answer = api.call("post", "/api/ai/chat/start", body, user=child)
    assert (status, answer["error"]) == (403, "GUARDIAN_CONSENT_REQUIRED")
    status, answer = api.call("post", "/api/ai/chat/message", {"conversationId": "x", "text": "hi"}, user=child)
    assert (status, answer["error"]) == (403, "GUARDIAN_CONSENT_REQUIRED")

    status, answer = api.call("post", "/api/ai/chat/start", body, user=aws.consent(child))
    assert status == 201, answer
