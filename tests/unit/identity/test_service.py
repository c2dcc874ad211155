import pytest
from chalicelib import service
from chalicelib.ports import StoredObject
from chalicelib.service import Identity
from speaktracker.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized
from speaktracker.revocation import MemoryRevocations

from .fakes import (
    FakeCodes,
    FakeEvents,
    FakeFiles,
    FakeLinks,
    FakeMailer,
    FakeProvider,
    FakeRecoveryCodes,
    FakeUsers,
)

PASSWORD = "Str0ng!Pass"


class Clock:
    def __init__(self):
        self.now = 1_800_000_000

    def __call__(self):
        return self.now


@pytest.fixture
def ctx():
    clock = Clock()
    return Identity(
        users=FakeUsers(),
        codes=FakeCodes(),
        provider=FakeProvider(),
        mailer=FakeMailer(),
        files=FakeFiles(),
        events=FakeEvents(),
        links=FakeLinks(),
        recovery=FakeRecoveryCodes(),
        revocations=MemoryRevocations(clock),
        code_ttl=900,
        code_attempts=3,
        clock=clock,
    )


def registered(ctx, email="Kim@Example.com", role="student"):
    service.register(ctx, email, PASSWORD, "김학생", role, 1990)
    return email.lower()


def confirmed(ctx, email="kim@example.com", role="student"):
    registered(ctx, email, role)
    service.confirm(ctx, email, ctx.mailer.last_code_to(email))
    return email


def test_register_creates_unconfirmed_user_and_emails_a_code(ctx):
    email = registered(ctx)
    user = ctx.users.get(email)
    assert (user.status, user.role, user.name) == ("UNCONFIRMED", "student", "김학생") and user.user_id
    assert ctx.provider.accounts[email]["group"] == "student"
    code = ctx.mailer.last_code_to(email)
    stored = ctx.codes.get(email, "signup")
    assert code not in (stored.code_hash, stored.salt)  # only the hash is kept


@pytest.mark.parametrize(
    "password, unmet",
    [
        ("Sh0rt!", "at least 8 characters"),
        ("lower0!case", "an upper-case letter"),
        ("UPPER0!CASE", "a lower-case letter"),
        ("NoDigits!!", "a digit"),
        ("NoSymbol00", "a symbol"),
    ],
)
def test_weak_passwords_are_refused_before_anything_is_written(ctx, password, unmet):
    with pytest.raises(Invalid) as caught:
        service.register(ctx, "a@b.co", password, "A", "student", 1990)
    assert caught.value.code == "WEAK_PASSWORD" and unmet in caught.value.details["unmet"]
    assert not ctx.users.rows and not ctx.provider.accounts and not ctx.mailer.sent


def test_invalid_email(ctx):
    with pytest.raises(Invalid) as caught:
        service.register(ctx, "not-an-email", PASSWORD, "A", "student", 1990)
    assert caught.value.code == "INVALID_EMAIL"


def test_duplicate_registration_is_a_conflict(ctx):
    registered(ctx)
    with pytest.raises(Conflict):
        registered(ctx, "KIM@example.com")


def test_provider_failure_leaves_nothing_half_written(ctx):
    ctx.provider.fail_sign_up = True
    with pytest.raises(RuntimeError):
        registered(ctx)
    assert not ctx.users.rows and not ctx.codes.rows and not ctx.mailer.sent


def test_confirm_with_the_right_code_publishes_user_registered(ctx):
    email = confirmed(ctx)
    assert ctx.users.get(email).status == "CONFIRMED" and ctx.provider.accounts[email]["confirmed"]
    assert ctx.codes.get(email, "signup") is None
    [event] = ctx.events.published
    assert (event.type, event.email, event.role) == ("user_registered", email, "student")


def test_wrong_code_counts_down_then_locks(ctx):
    email = registered(ctx)
    right = ctx.mailer.last_code_to(email)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(Invalid) as first:
        service.confirm(ctx, email, wrong)
    assert first.value.code == "CODE_INVALID" and first.value.details == {"attemptsLeft": 2}
    service_errors = []
    for _ in range(2):
        with pytest.raises((Invalid, TooManyRequests)) as caught:
            service.confirm(ctx, email, wrong)
        service_errors.append(caught.value.code)
    assert service_errors == ["CODE_INVALID", "CODE_ATTEMPTS_EXCEEDED"]
    with pytest.raises(TooManyRequests):
        service.confirm(ctx, email, right)  # even the right code is no good once exhausted
    assert ctx.users.get(email).status == "UNCONFIRMED"


def test_expired_code(ctx):
    email = registered(ctx)
    code = ctx.mailer.last_code_to(email)
    ctx.clock.now += 901
    with pytest.raises(Invalid) as caught:
        service.confirm(ctx, email, code)
    assert caught.value.code == "CODE_EXPIRED"


def test_resend_has_a_cooldown_and_replaces_the_code(ctx):
    email = registered(ctx)
    first = ctx.mailer.last_code_to(email)
    with pytest.raises(TooManyRequests):
        service.resend_code(ctx, email)
    ctx.clock.now += 61
    service.resend_code(ctx, email)
    second = ctx.mailer.last_code_to(email)
    if first != second:
        with pytest.raises(Invalid):
            service.confirm(ctx, email, first)
    service.confirm(ctx, email, second)


def test_confirming_twice_is_a_conflict(ctx):
    email = confirmed(ctx)
    with pytest.raises(Conflict):
        service.confirm(ctx, email, "123456")


def test_login_needs_a_confirmed_email(ctx):
    email = registered(ctx)
    with pytest.raises(Forbidden) as caught:
        service.login(ctx, email, PASSWORD)
    assert caught.value.code == "EMAIL_NOT_CONFIRMED"


def test_login_returns_tokens_and_profile(ctx):
    email = confirmed(ctx)
    tokens, user = service.login(ctx, "KIM@example.com ", PASSWORD)
    assert tokens.access_token and user.email == email


def test_wrong_password_and_unknown_user_look_the_same(ctx):
    confirmed(ctx)
    for email, password in (("kim@example.com", "Wr0ng!Pass"), ("nobody@example.com", PASSWORD)):
        with pytest.raises(Unauthorized) as caught:
            service.login(ctx, email, password)
        assert caught.value.code == "INVALID_CREDENTIALS"


def test_forgot_and_reset_password(ctx):
    email = confirmed(ctx)
    service.forgot_password(ctx, email)
    code = ctx.mailer.last_code_to(email)
    with pytest.raises(Invalid):
        service.reset_password(ctx, email, code, "weak")
    service.reset_password(ctx, email, code, "N3w!Password")
    assert ctx.provider.accounts[email]["password"] == "N3w!Password"
    with pytest.raises(Invalid):
        service.reset_password(ctx, email, code, "An0ther!Pass")  # a code works once


def test_forgot_password_says_nothing_about_unknown_emails(ctx):
    service.forgot_password(ctx, "ghost@example.com")
    assert not ctx.mailer.sent


def test_profile_update_publishes(ctx):
    email = confirmed(ctx, role="tutor")
    user = service.update_profile(ctx, email, "김튜터", "Ten years of teaching")
    assert (user.name, user.intro) == ("김튜터", "Ten years of teaching")
    assert ctx.events.published[-1].type == "user_profile_updated"


def test_profile_image_is_scoped_to_its_owner(ctx):
    email = confirmed(ctx)
    other = confirmed(ctx, "lee@example.com")
    started = service.start_profile_image_upload(ctx, email, "image/png", 1000)
    key = started["key"]
    assert key.startswith(f"profile-images/{ctx.users.get(email).user_id}/")
    with pytest.raises(NotFound):
        service.set_profile_image(ctx, email, key)  # not uploaded yet
    ctx.files.objects[key] = StoredObject(1000, "image/png")
    with pytest.raises(Forbidden):
        service.set_profile_image(ctx, other, key)
    user = service.set_profile_image(ctx, email, key)
    assert service.profile_image_url(ctx, user).startswith("http://files.test/profile-images/")


@pytest.mark.parametrize(
    "content_type, size, code",
    [
        ("image/gif", 10, "UNSUPPORTED_IMAGE_TYPE"),
        ("image/png", 6 * 1024 * 1024, "IMAGE_TOO_LARGE"),
    ],
)
def test_profile_image_limits(ctx, content_type, size, code):
    email = confirmed(ctx)
    with pytest.raises(Invalid) as caught:
        service.start_profile_image_upload(ctx, email, content_type, size)
    assert caught.value.code == code


def test_logout_signs_the_user_out_everywhere(ctx):
    email = confirmed(ctx)
    service.logout(ctx, email)
    assert ctx.provider.signed_out == [email]


# --- account deletion ---------------------------------------------------------------------------
def test_deleting_an_account_erases_identity_and_announces_it(ctx):
    email = confirmed(ctx)
    user = ctx.users.get(email)
    ctx.files.objects[f"profile-images/{user.user_id}/a.png"] = StoredObject(10, "image/png")
    ctx.files.objects["profile-images/someone-else/b.png"] = StoredObject(10, "image/png")
    service.forgot_password(ctx, email)
    service.delete_own_account(ctx, email, PASSWORD)
    assert ctx.users.get(email) is None and email not in ctx.provider.accounts
    assert ctx.codes.rows == {}
    assert list(ctx.files.objects) == ["profile-images/someone-else/b.png"]
    event = ctx.events.published[-1]
    assert (event.type, event.email, event.user_id, event.role, event.reason) == (
        "user_deleted",
        email,
        user.user_id,
        "student",
        "user_request",
    )
    assert ctx.revocations.is_revoked(user.user_id)
    ctx.clock.now += ctx.revocation_seconds + 1  # every token issued before the deletion has expired by now
    assert not ctx.revocations.is_revoked(user.user_id)


def test_deletion_needs_the_password_and_a_wrong_one_changes_nothing(ctx):
    email = confirmed(ctx)
    with pytest.raises(Forbidden) as refused:
        service.delete_own_account(ctx, email, "not-my-password")
    assert refused.value.code == "PASSWORD_WRONG"
    assert ctx.users.get(email) and email in ctx.provider.accounts
    assert [e.type for e in ctx.events.published] == ["user_registered"]


def test_a_guardian_withdrawal_deletes_with_its_own_reason(ctx):
    email = confirmed(ctx)
    service.delete_account(ctx, email, reason="guardian_consent_withdrawn")
    assert ctx.events.published[-1].reason == "guardian_consent_withdrawn"
    with pytest.raises(NotFound):
        service.delete_account(ctx, email, reason="guardian_consent_withdrawn")


def test_a_failed_announcement_leaves_the_account_usable_for_a_retry(ctx):
    email = confirmed(ctx)
    user = ctx.users.get(email)
    ctx.events.fail = True
    with pytest.raises(RuntimeError):
        service.delete_own_account(ctx, email, PASSWORD)
    assert ctx.users.get(email) and email in ctx.provider.accounts
    assert not ctx.revocations.is_revoked(user.user_id)
    ctx.events.fail = False
    service.delete_own_account(ctx, email, PASSWORD)
    assert ctx.users.get(email) is None and ctx.events.published[-1].type == "user_deleted"
