"""Notifications' record of who tutors whom (tutor-links) and its children's handle items, on the emulator: a
late, redelivered approval never lets a tutor whose link ended send feedback again, nor hides a child's handle
from their new tutor."""

import pytest
from support.link_contract import (  # noqa: F401 - the promises, run on this context's own table
    a_child,
    late_approval,
    test_a_deleted_accounts_link_records_go_without_a_marker,
    test_the_handle_items_keep_their_promises,
    test_the_link_record_keeps_its_promises,
)

from .test_inbox_and_feedback import drain_published


@pytest.fixture
def ctx(client):
    from chalicelib.wiring import notifications

    return notifications()


def test_a_link_written_before_links_were_ordered_still_counts_and_ends(aws, ctx):
    student, tutor = a_child().email, "tutor@example.com"
    aws.client("dynamodb").put_item(
        TableName=aws.settings.name("tutor-links"),
        Item={"studentEmail": {"S": student}, "tutorEmail": {"S": tutor}},
    )
    assert ctx.links.tutor_of(student) == tutor
    ctx.links.change(student, tutor, False, late_approval(a_child(), tutor, tutor)[1].occurred_at)
    assert ctx.links.tutor_of(student) is None


def feedback(client, tutor, child, message="Well done!"):
    body = {"studentEmail": child.handle, "message": message, "messageType": "text"}
    return client.call("post", "/api/tutor/feedback", body, user=tutor)


def test_a_late_approval_lets_the_old_tutor_send_nothing_and_the_new_tutor_name_the_child(client, aws):
    child, old, new = a_child(), aws.user(role="tutor"), aws.user(role="tutor")
    events = late_approval(child, old.email, new.email)
    assert client.deliver("deliver_events", "notifications-events", *events) == []
    status, refused = feedback(client, old, child)
    assert (status, refused["error"]) == (403, "NOT_YOUR_STUDENT")
    status, sent = feedback(client, new, child)
    assert (status, sent["feedback"]["studentEmail"]) == (201, child.handle)
    status, listed = client.call("get", f"/api/feedback?studentEmail={child.handle}", user=new)
    assert status == 200 and [f["studentEmail"] for f in listed["feedback"]] == [child.handle]
    drain_published(aws)  # the feedback event, so later tests count only their own


def test_approval_end_and_the_approval_again_leave_the_tutor_unlinked(client, aws):
    child, tutor = a_child(), aws.user(role="tutor")
    approved, ended, *_ = late_approval(child, tutor.email, "someone-else@example.com")
    assert client.deliver("deliver_events", "notifications-events", approved, ended, approved) == []
    status, refused = feedback(client, tutor, child)
    assert (status, refused["error"]) == (403, "NOT_YOUR_STUDENT")
