"""The in-memory tutor links and handle items that service unit tests use keep the DynamoDB adapters' promises
(the same checks run against the adapters in tests/integration/*/test_link_records.py)."""

from support.link_contract import check_erasure, check_handles, check_links
from support.student_handles import FakeStudentHandles, FakeTutorLinks


def test_the_fake_handle_items_keep_the_promises():
    check_handles(FakeStudentHandles())


def test_the_fake_link_record_keeps_the_promises():
    check_links(FakeTutorLinks())


def test_the_fakes_erase_a_deleted_accounts_links():
    check_erasure(FakeStudentHandles(), FakeTutorLinks())
