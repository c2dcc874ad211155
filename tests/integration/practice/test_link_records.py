"""Practice's record of who tutors whom and its children's handle items, on the emulator: a late, redelivered
approval never brings back a link or a handle that has ended since."""

from support.link_contract import (  # noqa: F401 - the promises, run on this context's own table
    a_child,
    late_approval,
    test_a_deleted_accounts_link_records_go_without_a_marker,
    test_the_handle_items_keep_their_promises,
    test_the_link_record_keeps_its_promises,
)


def test_a_late_approval_gives_the_old_tutor_nothing_and_the_new_tutor_the_handle(api, aws):
    child, old, new = a_child(), aws.user(role="tutor"), aws.user(role="tutor")
    assert api.deliver("follow_tutor_links", "practice-events", *late_approval(child, old.email, new.email)) == []
    status, summary = api.call("get", f"/api/stats/summary?studentEmail={child.handle}", user=new)
    assert (status, summary["studentEmail"]) == (200, child.handle)
    status, sessions = api.call("get", f"/api/sessions?studentEmail={child.handle}", user=new)
    assert (status, sessions["studentEmail"]) == (200, child.handle)
    for path in ("/api/stats/summary", "/api/results"):
        status, refused = api.call("get", f"{path}?studentEmail={child.handle}", user=old)
        assert (status, refused["error"]) == (403, "NOT_YOUR_STUDENT")
