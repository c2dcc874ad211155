"""Children's accounts: birth-year rules, the guardian's single-use consent link, and what consent changes."""

import re

import pytest
from chalicelib import domain, service
from speaktracker.errors import Conflict, Gone, Invalid
from speaktracker.events import child_handle, is_child_handle

from .test_service import PASSWORD, ctx  # noqa: F401 - the fixture

YEAR = 2027  # the fixture clock's year


@pytest.mark.parametrize(
    ("year", "code"),
    [(YEAR + 1, "BIRTH_YEAR_IN_FUTURE"), (1899, "BIRTH_YEAR_ABSURD"), (YEAR - 121, "BIRTH_YEAR_ABSURD")],
)
def test_an_impossible_birth_year_is_refused_with_its_own_code(year, code):
    with pytest.raises(Invalid) as error:
        domain.check_birth_year(year, YEAR)
    assert error.value.code == code


def test_the_consent_age_counts_the_youngest_age_the_birth_year_allows():
    assert domain.consent_needed("student", YEAR - 14, YEAR, "mum@example.com", 14)  # may still be 13
    assert not domain.consent_needed("student", YEAR - 15, YEAR, None, 14)
    with pytest.raises(Invalid) as error:
        domain.consent_needed("student", YEAR - 10, YEAR, None, 14)
    assert error.value.code == "GUARDIAN_EMAIL_REQUIRED"


def test_a_tutor_must_be_an_adult():
    assert not domain.consent_needed("tutor", YEAR - 30, YEAR, None, 14)
    with pytest.raises(Invalid) as error:
        domain.consent_needed("tutor", YEAR - 17, YEAR, None, 14)
    assert error.value.code == "TUTOR_MUST_BE_ADULT"


def _child(ctx):
    user = service.register(ctx, "kid@example.com", PASSWORD, "Minji Kim", "student", YEAR - 10, "Mum@Example.com")
    mail = [text for to, _, text in ctx.mailer.sent if to == "mum@example.com"][-1]
    consent = re.search(r"/consent#token=(\S+)", mail).group(1)
    withdraw = re.search(r"/consent/withdraw#token=(\S+)", mail).group(1)
    return user, consent, withdraw


def test_a_child_signs_up_pending_consent_and_the_guardian_gets_both_links(ctx):
    user, consent, withdraw = _child(ctx)
    assert user.consent == "PENDING_CONSENT" and user.guardian_email == "mum@example.com"
    assert ctx.provider.accounts["kid@example.com"]["consent_pending"] is True
    assert consent != withdraw
    stored = ctx.links.get("kid@example.com", "guardian-consent")
    assert consent not in repr(stored)  # only the hash is kept
    assert service.consent_request(ctx, consent).name == "Minji Kim"


def test_consent_clears_the_group_and_the_link_works_once(ctx):
    _, consent, _ = _child(ctx)
    assert service.decide_consent(ctx, consent, True).consent == "CONSENTED"
    assert ctx.provider.accounts["kid@example.com"]["consent_pending"] is False
    assert ctx.users.get("kid@example.com").consent == "CONSENTED"
    with pytest.raises(Conflict) as error:
        service.decide_consent(ctx, consent, True)
    assert error.value.code == "CONSENT_LINK_USED"


def test_a_tampered_link_and_an_expired_one_each_have_their_code(ctx):
    _, consent, _ = _child(ctx)
    tampered = consent[:-3] + ("aaa" if not consent.endswith("aaa") else "bbb")
    with pytest.raises(Invalid) as error:
        service.decide_consent(ctx, tampered, True)
    assert error.value.code == "CONSENT_LINK_INVALID"
    with pytest.raises(Invalid) as error:
        service.decide_consent(ctx, "not-a-token-at-all", True)
    assert error.value.code == "CONSENT_LINK_INVALID"
    ctx.clock.now += ctx.consent_link_ttl + 1
    with pytest.raises(Gone) as error:
        service.decide_consent(ctx, consent, True)
    assert error.value.code == "CONSENT_LINK_EXPIRED"
    assert ctx.provider.accounts["kid@example.com"]["consent_pending"] is True


def test_refusal_and_withdrawal_erase_the_account(ctx):
    _, consent, withdraw = _child(ctx)
    service.decide_consent(ctx, consent, True)
    service.withdraw_consent(ctx, withdraw)
    assert ctx.users.get("kid@example.com") is None and "kid@example.com" not in ctx.provider.accounts
    assert not ctx.links.links  # the links named the child: erased with the account
    assert ctx.events.published[-1].type == "user_deleted"
    assert ctx.events.published[-1].reason == "guardian_withdrew"
    with pytest.raises(Invalid):
        service.withdraw_consent(ctx, withdraw)
    ctx.mailer.sent.clear()
    _, consent, _ = _child(ctx)
    service.decide_consent(ctx, consent, False)
    assert ctx.users.get("kid@example.com") is None


def test_an_adult_and_a_tutor_need_no_consent_and_events_say_who_is_a_minor(ctx):
    adult = service.register(ctx, "adult@example.com", PASSWORD, "Jisoo Park", "student", YEAR - 30)
    assert adult.consent == "NOT_NEEDED" and not ctx.links.links
    with pytest.raises(Invalid):
        service.register(ctx, "young@example.com", PASSWORD, "Young Tutor", "tutor", YEAR - 16)
    assert ctx.users.get("young@example.com") is None
    _child(ctx)
    service.confirm(ctx, "kid@example.com", ctx.mailer.last_code_to("kid@example.com"))
    registered = ctx.events.published[-1]
    assert registered.is_minor is True
    # The child's handle for tutors: opaque (nothing of the email in it), stable, and only a child has one.
    user_id = ctx.users.get("kid@example.com").user_id
    assert registered.student_handle == child_handle(user_id) and is_child_handle(registered.student_handle)
    assert "kid" not in registered.student_handle and user_id not in registered.student_handle
    service.confirm(ctx, "adult@example.com", ctx.mailer.last_code_to("adult@example.com"))
    assert ctx.events.published[-1].student_handle is None
