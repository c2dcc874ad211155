"""Two-step sign-in rules: what a typed code is, the key URI authenticator apps read, and our test-side TOTP."""

from urllib.parse import parse_qs, unquote, urlparse

import pytest
from chalicelib import mfa
from speaktracker.errors import Invalid
from support.totp import totp


@pytest.mark.parametrize("typed, code", [("123456", "123456"), (" 123 456 ", "123456"), ("123-456", "123456")])
def test_a_code_is_six_digits_as_apps_show_them(typed, code):
    assert mfa.normalise_code(typed) == code


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "１２３４５６", "123 45"])
def test_anything_else_is_not_a_code(typed):
    with pytest.raises(Invalid) as error:
        mfa.normalise_code(typed)
    assert error.value.code == "MFA_CODE_MALFORMED"


def test_the_key_uri_names_the_service_and_the_account():
    uri = mfa.authenticator_uri("kim+tutor@example.com", "JBSWY3DPEHPK3PXP")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert unquote(parsed.path) == "/SpeakTracker:kim+tutor@example.com"
    assert "+" not in parsed.path  # an app would read a raw plus as a space
    assert parse_qs(parsed.query) == {"secret": ["JBSWY3DPEHPK3PXP"], "issuer": ["SpeakTracker"]}


def test_the_challenge_lasts_as_long_as_the_pools_auth_session():
    from speaktracker.catalogue import USER_POOL

    assert mfa.MfaChallenge("a@b.co", "s" * 20).expires_in == USER_POOL.auth_session_minutes * 60 == 180


@pytest.mark.parametrize("at, code", [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")])
def test_the_tests_totp_matches_rfc_6238(at, code):
    # RFC 6238 appendix B, SHA-1, the secret "12345678901234567890" (base32 below), the last six digits.
    assert totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at) == code
