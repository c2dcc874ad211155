"""Verification of Cognito access tokens and the caller's role.

A token is accepted only if it is RS256-signed by a key of the pool's JWKS, not expired, issued by our pool
(``iss``), for our web client (``client_id``), and an access token (``token_use``). Checking the issuer and the
client matters beyond the signature: emulators sign every pool's tokens with the same key.

The Cognito username is the user's email, so ``username`` identifies the caller; the role is the caller's
Cognito group (student or tutor).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .errors import Forbidden, Unauthorized, Unavailable
from .revocation import Revocations

Role = Literal["student", "tutor"]
ROLES: tuple[Role, ...] = ("student", "tutor")
# A child's account waits for a guardian's consent while in this Cognito group; the group is in the access
# token's ``cognito:groups``, so every service enforces it from the verified token alone (docs/children.md).
CONSENT_PENDING_GROUP = "consent-pending"


@dataclass(frozen=True)
class Principal:
    user_id: str
    email: str
    role: Role
    consent_pending: bool = False

    @property
    def is_tutor(self) -> bool:
        return self.role == "tutor"

    @property
    def is_student(self) -> bool:
        return self.role == "student"


def fetch_json(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        document: dict[str, Any] = json.loads(response.read())
        return document


class JwksCache:
    """The pool's signing keys, fetched once and refreshed after ``ttl`` or for an unknown key id
    (key rotation), at most once every ``min_refetch`` seconds so bad tokens cannot hammer the endpoint."""

    def __init__(
        self,
        fetch: Callable[[], dict[str, Any]],
        ttl: float = 3600,
        min_refetch: float = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch, self._ttl, self._min_refetch, self._clock = fetch, ttl, min_refetch, clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> Any:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._ttl
            may_refetch = self._fetched_at is None or now - self._fetched_at > self._min_refetch
            if stale or (kid not in self._keys and may_refetch):
                self._load(now)
            if kid not in self._keys:
                raise Unauthorized("The token was signed by an unknown key.", "TOKEN_INVALID")
            return self._keys[kid]

    def _load(self, now: float) -> None:
        import jwt  # with cryptography, only once a token is checked (not at cold start)

        try:
            document = self._fetch()
            keys = jwt.PyJWKSet.from_dict(document).keys
        except Exception as exc:  # the JWKS endpoint is down or answers nonsense
            if self._keys:
                return  # keep serving the keys we have
            raise Unauthorized("Tokens cannot be verified right now.", "TOKEN_UNVERIFIABLE") from exc
        self._keys = {k.key_id: k.key for k in keys if k.key_id}
        self._fetched_at = now


class TokenVerifier:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        jwks: JwksCache,
        leeway: float = 0,
        revocations: Revocations | None = None,
    ) -> None:
        self.issuer, self.client_id, self.jwks, self.leeway = issuer, client_id, jwks, leeway
        self.revocations = revocations

    def verify(self, token: str | None) -> Principal:
        if not token:
            raise Unauthorized("Sign in first: no access token was sent.", "TOKEN_MISSING")
        claims = self._claims(token)
        if claims.get("token_use") != "access":
            raise Unauthorized("Send the access token, not another kind of token.", "TOKEN_WRONG_USE")
        if claims.get("client_id") != self.client_id:
            raise Unauthorized("The token was issued to another application.", "TOKEN_WRONG_CLIENT")
        email = claims.get("username")
        groups = claims.get("cognito:groups", [])
        roles = [g for g in groups if g in ROLES]
        if not email or not isinstance(email, str) or len(roles) != 1:
            raise Unauthorized("The token does not name a SpeakTracker user and role.", "TOKEN_INVALID")
        principal = Principal(
            user_id=str(claims.get("sub", "")),
            email=email.lower(),
            role=roles[0],
            consent_pending=CONSENT_PENDING_GROUP in groups,
        )
        self._ensure_not_revoked(principal)
        return principal

    def _ensure_not_revoked(self, principal: Principal) -> None:
        """A deleted account's unexpired token is refused (see ``revocation``); fails closed."""
        if self.revocations is None:
            return
        try:
            revoked = self.revocations.is_revoked(principal.user_id)
        except Exception as exc:
            raise Unavailable("Tokens cannot be checked right now; try again shortly.", "TOKEN_UNVERIFIABLE") from exc
        if revoked:
            raise Unauthorized("This account has been deleted.", "ACCOUNT_DELETED")

    def _claims(self, token: str) -> dict[str, Any]:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("The token is malformed.", "TOKEN_INVALID") from exc
        if header.get("alg") != "RS256" or not header.get("kid"):
            raise Unauthorized("The token is not signed the way Cognito signs.", "TOKEN_INVALID")
        key = self.jwks.key(header["kid"])
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "iss", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired; refresh it or sign in again.", "TOKEN_EXPIRED") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized("The token was issued by another user pool.", "TOKEN_WRONG_ISSUER") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("The token is not valid.", "TOKEN_INVALID") from exc


def bearer_token(headers: Any) -> str | None:
    value = headers.get("authorization") or headers.get("Authorization") if headers else None
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def require_role(principal: Principal, allowed: Iterable[Role]) -> Principal:
    allowed = tuple(allowed)
    if principal.role not in allowed:
        raise Forbidden(f"Only a {' or '.join(allowed)} may do this.", "ROLE_REQUIRED")
    return principal


def require_guardian_consent(principal: Principal) -> Principal:
    if principal.consent_pending:
        raise Forbidden(
            "A guardian must consent before this account can record, converse or be matched; we emailed them a link.",
            "GUARDIAN_CONSENT_REQUIRED",
        )
    return principal


def verifier_from_settings(settings: Any, fetch: Callable[[str], dict[str, Any]] = fetch_json) -> TokenVerifier:
    from .revocation import revocations_from_settings

    jwks = JwksCache(lambda: fetch(settings.jwks_url), ttl=settings.jwks_cache_seconds)
    return TokenVerifier(
        settings.issuer, settings.cognito_client_id, jwks, revocations=revocations_from_settings(settings)
    )
