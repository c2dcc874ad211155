"""Conversation's record of who tutors whom and its children's handle items (beside the TUTOR# records of
ai-conversations), on the emulator: a late, redelivered approval never brings back what has ended since."""

import pytest
from speaktracker.events import child_handle
from support.link_contract import (  # noqa: F401 - the promises, run on this context's own table
    Child,
    late_approval,
    test_a_deleted_accounts_link_records_go_without_a_marker,
    test_the_handle_items_keep_their_promises,
    test_the_link_record_keeps_its_promises,
)

from .conftest import sub_of


@pytest.fixture
def ctx(app):
    from chalicelib.wiring import conversations

    return conversations()


def test_a_late_approval_gives_the_old_tutor_nothing_and_the_new_tutor_the_handle(api, aws, student):
    child = Child(student.email, child_handle(sub_of(student)))
    status, started = api.call("post", "/api/ai/chat/start", {"scenarioId": "cafe-order"}, user=student)
    assert status == 201
    old, new = aws.user(role="tutor"), aws.user(role="tutor")
    events = late_approval(child, old.email, new.email)
    assert api.deliver("follow_tutor_links", "conversation-events", *events) == []
    status, listed = api.call("get", f"/api/ai/chat?studentEmail={child.handle}", user=new)
    assert status == 200
    assert [(c["conversationId"], c["studentEmail"]) for c in listed["conversations"]] == [
        (started["conversationId"], child.handle)
    ]
    status, seen = api.call("get", f"/api/ai/chat/{started['conversationId']}", user=new)
    assert (status, seen["studentEmail"]) == (200, child.handle)
    status, refused = api.call("get", f"/api/ai/chat?studentEmail={child.handle}", user=old)
    assert (status, refused["error"]) == (404, "STUDENT_NOT_FOUND")
    assert api.call("get", f"/api/ai/chat/{started['conversationId']}", user=old)[0] == 404
