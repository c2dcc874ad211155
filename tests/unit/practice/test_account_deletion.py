import pytest
from chalicelib import service
from speaktracker.events import UserDeleted

from .fakes import make_practice

STUDENT = UserDeleted(email="Minji@Student.com", userId="sub-minji", role="student")


def test_a_deleted_students_recordings_and_rows_are_erased():
    ctx = make_practice()
    ctx.files.objects = {"user-audio/sub-minji/a.webm": b"", "user-audio/sub-other/b.webm": b"", "tts/x.mp3": b""}
    service.erase_user(ctx, STUDENT)
    assert sorted(ctx.files.objects) == ["tts/x.mp3", "user-audio/sub-other/b.webm"]
    assert ctx.erasure.erased == ["minji@student.com"]


def test_a_failed_erasure_raises_so_the_message_is_retried():
    ctx = make_practice()
    ctx.erasure.fail = True
    with pytest.raises(ConnectionError):
        service.erase_user(ctx, STUDENT)
