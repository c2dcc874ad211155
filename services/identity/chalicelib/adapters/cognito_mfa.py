"""Cognito's software tokens (TOTP) for two-step sign-in. Cognito keeps each user's secret and checks every code;
the calls that act for the user take their access token, the sign-in challenge its session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError
from speaktracker.errors import Conflict, DomainError, Invalid, Unauthorized, Unavailable

from ..mfa import ISSUER, MfaChallenge
from ..ports import Tokens
from .cognito import _code, _tokens, _translated

_WRONG_CODE = ("CodeMismatchException", "EnableSoftwareTokenMFAException", "ExpiredCodeException")


class CognitoSoftwareTokens:
    def __init__(self, client: Any, user_pool_id: str, client_id: str) -> None:
        self._idp, self._pool, self._client_id = client, user_pool_id, client_id

    def is_enabled(self, email: str) -> bool:
        try:
            user = self._idp.admin_get_user(UserPoolId=self._pool, Username=email)
        except ClientError as error:
            if _code(error) == "UserNotFoundException":
                return False
            raise
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])

    def associate(self, access_token: str) -> str:
        with _mfa_errors():
            return self._idp.associate_software_token(AccessToken=access_token)["SecretCode"]

    def verify(self, access_token: str, code: str) -> None:
        with _mfa_errors():
            result = self._idp.verify_software_token(AccessToken=access_token, UserCode=code, FriendlyDeviceName=ISSUER)
        if result.get("Status") != "SUCCESS":
            raise Invalid("The code is not the one your authenticator app shows now.", "MFA_CODE_INVALID")

    def set_enabled(self, access_token: str, enabled: bool) -> None:
        with _mfa_errors():
            self._idp.set_user_mfa_preference(
                AccessToken=access_token,
                SoftwareTokenMfaSettings={"Enabled": enabled, "PreferredMfa": enabled},
            )

    def answer_challenge(self, challenge: MfaChallenge, code: str) -> Tokens:
        with _mfa_errors(session=True):
            result = self._idp.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=challenge.session,
                ChallengeResponses={"USERNAME": challenge.email, "SOFTWARE_TOKEN_MFA_CODE": code},
            )
        return _tokens(result)

    def turn_off_for(self, email: str) -> None:
        with _mfa_errors():
            self._idp.admin_set_user_mfa_preference(
                UserPoolId=self._pool,
                Username=email,
                SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
            )


@contextmanager
def _mfa_errors(session: bool = False) -> Iterator[None]:
    """The errors of the software-token calls in the product's words; the rest as every Cognito call has them."""
    unauthorized = (
        ("The sign-in has expired; enter your email and password again.", "MFA_SESSION_EXPIRED")
        if session
        else ("Your session is no longer valid; sign in again.", "TOKEN_INVALID")
    )
    with _translated(unauthorized):
        try:
            yield
        except ClientError as error:
            mapped = _mfa_error(_code(error), session)
            if mapped is None:
                raise
            raise mapped from error


def _mfa_error(code: str, session: bool) -> DomainError | None:
    if code in _WRONG_CODE:
        return Invalid("The code is not the one your authenticator app shows now.", "MFA_CODE_INVALID")
    if code == "ResourceNotFoundException" and session:  # an unknown session (emulators answer so)
        return Unauthorized("The sign-in has expired; enter your email and password again.", "MFA_SESSION_EXPIRED")
    if code == "InvalidParameterException" and not session:
        return Conflict("Start the setup first: scan the new QR code, then enter its code.", "MFA_SETUP_NOT_STARTED")
    if code == "SoftwareTokenMFANotFoundException":
        return Unavailable("Two-step sign-in is not available for this user pool.", "MFA_NOT_AVAILABLE")
    return None
