"""The in-memory tutor links and handle items that service unit tests use keep the DynamoDB adapters' promises
(the same tests run against the adapters in tests/integration/*/test_link_records.py)."""

from types import SimpleNamespace

import pytest
from support.link_contract import (  # noqa: F401 - the promises, run on the fakes
    test_a_deleted_accounts_link_records_go_without_a_marker,
    test_the_handle_items_keep_their_promises,
    test_the_link_record_keeps_its_promises,
)
from support.student_handles import FakeStudentHandles, FakeTutorLinks


@pytest.fixture
def ctx():
    return SimpleNamespace(handles=FakeStudentHandles(), links=FakeTutorLinks())
