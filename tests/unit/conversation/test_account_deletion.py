import pytest
from chalicelib import service
from speaktracker.events import UserDeleted

from .fakes import make_context

STUDENT = UserDeleted(email="Minji@Student.com", userId="sub-minji", role="student")


def test_a_deleted_students_recordings_and_conversations_are_erased():
    ctx = make_context()
    ctx.recordings.objects = {"user-audio/sub-minji/conv-1.webm": b"", "user-audio/sub-other/conv-2.webm": b""}
    service.erase_user(ctx, STUDENT)
    assert list(ctx.recordings.objects) == ["user-audio/sub-other/conv-2.webm"]
    assert ctx.erasure.erased == ["minji@student.com"]


def test_a_failed_erasure_raises_so_the_message_is_retried():
    ctx = make_context()
    ctx.erasure.fail = True
    with pytest.raises(ConnectionError):
        service.erase_user(ctx, STUDENT)
