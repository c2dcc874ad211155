import time

import pytest
from speaktracker.auth import JwksCache, TokenVerifier, bearer_token, require_role
from speaktracker.errors import Forbidden, Unauthorized
from support.tokens import CLIENT_ID, ISSUER, SigningKey


@pytest.fixture(scope="module")
def key():
    return SigningKey()


def verifier_for(key, fetches=None):
    def fetch():
        if fetches is not None:
            fetches.append(1)
        return key.jwks()

    return TokenVerifier(ISSUER, CLIENT_ID, JwksCache(fetch))


def code_of(call):
    with pytest.raises(Unauthorized) as caught:
        call()
    return caught.value.code


def test_a_good_access_token_names_the_user_and_role(key):
    principal = verifier_for(key).verify(key.token("Tutor@Example.com", "tutor"))
    assert (principal.email, principal.role, principal.is_tutor) == ("tutor@example.com", "tutor", True)


def test_missing_token(key):
    assert code_of(lambda: verifier_for(key).verify(None)) == "TOKEN_MISSING"


def test_tampered_token_is_rejected(key):
    token = key.token()
    header, payload, signature = token.split(".")
    tampered = ".".join([header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature])
    assert code_of(lambda: verifier_for(key).verify(tampered)) == "TOKEN_INVALID"


def test_token_signed_by_another_key_is_rejected(key):
    stranger = SigningKey(kid=key.kid)
    assert code_of(lambda: verifier_for(key).verify(stranger.token())) == "TOKEN_INVALID"


def test_expired_token(key):
    old = int(time.time()) - 7200
    token = key.token(iat=old, exp=old + 3600)
    assert code_of(lambda: verifier_for(key).verify(token)) == "TOKEN_EXPIRED"


def test_token_of_another_pool(key):
    token = key.token(iss="https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Other")
    assert code_of(lambda: verifier_for(key).verify(token)) == "TOKEN_WRONG_ISSUER"


def test_token_of_another_client(key):
    assert code_of(lambda: verifier_for(key).verify(key.token(client_id="other"))) == "TOKEN_WRONG_CLIENT"


def test_id_token_is_not_an_access_token(key):
    assert code_of(lambda: verifier_for(key).verify(key.token(token_use="id"))) == "TOKEN_WRONG_USE"


def test_token_without_a_role_group(key):
    assert code_of(lambda: verifier_for(key).verify(key.token(role=None))) == "TOKEN_INVALID"
    assert code_of(lambda: verifier_for(key).verify(key.token(role="admin"))) == "TOKEN_INVALID"


def test_token_without_expiry_is_rejected(key):
    assert code_of(lambda: verifier_for(key).verify(key.token(exp=None))) == "TOKEN_INVALID"


def test_garbage_and_unsigned_tokens(key):
    import jwt

    unsigned = jwt.encode({"iss": ISSUER}, key=None, algorithm="none")
    for token in ("not-a-jwt", "a.b.c", unsigned):
        assert code_of(lambda token=token: verifier_for(key).verify(token)) == "TOKEN_INVALID"


def test_jwks_is_fetched_once_and_refetched_for_an_unknown_key_at_most_every_30_s(key):
    fetches = []
    verifier = verifier_for(key, fetches)
    for _ in range(5):
        verifier.verify(key.token())
    assert len(fetches) == 1
    rotated = SigningKey(kid="rotated")
    for _ in range(3):
        assert code_of(lambda: verifier.verify(rotated.token())) == "TOKEN_INVALID"
    assert len(fetches) == 1  # bad tokens cannot hammer the JWKS endpoint


def test_unknown_key_after_the_refetch_window_triggers_one_refetch(key):
    now = [0.0]
    documents = [key.jwks()]
    cache = JwksCache(lambda: documents[-1], clock=lambda: now[0])
    verifier = TokenVerifier(ISSUER, CLIENT_ID, cache)
    verifier.verify(key.token())
    rotated = SigningKey(kid="rotated")
    documents.append(rotated.jwks())
    now[0] = 31
    assert verifier.verify(rotated.token()).email == "student@example.com"


def test_jwks_unreachable_is_a_clear_401(key):
    def down():
        raise OSError("connection refused")

    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(down))
    assert code_of(lambda: verifier.verify(key.token())) == "TOKEN_UNVERIFIABLE"


def test_bearer_header_parsing():
    assert bearer_token({"authorization": "Bearer abc"}) == "abc"
    assert bearer_token({"Authorization": "bearer  abc "}) == "abc"
    assert bearer_token({"authorization": "Basic abc"}) is None
    assert bearer_token({}) is None


def test_role_guard(key):
    principal = verifier_for(key).verify(key.token(role="student"))
    assert require_role(principal, ["student"]) is principal
    with pytest.raises(Forbidden) as caught:
        require_role(principal, ["tutor"])
    assert caught.value.code == "ROLE_REQUIRED"


def test_a_deleted_accounts_unexpired_token_is_refused_and_an_unreadable_tombstone_fails_closed(key):
    from speaktracker.errors import Unavailable
    from speaktracker.revocation import MemoryRevocations, pseudonym

    clock = [1_800_000_000.0]
    revocations = MemoryRevocations(lambda: clock[0])
    verifier = TokenVerifier(ISSUER, CLIENT_ID, JwksCache(key.jwks), revocations=revocations)
    deleted, other = key.token(sub="sub-deleted"), key.token(sub="sub-other")
    revocations.revoke("sub-deleted", int(clock[0]) + 3900)
    assert code_of(lambda: verifier.verify(deleted)) == "ACCOUNT_DELETED"
    assert verifier.verify(other).user_id == "sub-other"
    assert list(revocations.until) == [pseudonym("sub-deleted")] and "sub-deleted" not in pseudonym("sub-deleted")
    clock[0] += 3901  # the tombstone outlives every token issued before the deletion, then lapses
    assert verifier.verify(deleted).user_id == "sub-deleted"

    class Broken:
        def is_revoked(self, user_id):
            raise ConnectionError("dynamodb is unreachable")

    with pytest.raises(Unavailable):
        TokenVerifier(ISSUER, CLIENT_ID, JwksCache(key.jwks), revocations=Broken()).verify(other)
