"""Two-step sign-in routes (seed 002: MFA optional): set up an authenticator app, turn it off, and the second step
of a sign-in. Thin: parse, call the use case, shape the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field
from speaktracker.auth import Principal, bearer_token
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.openapi import Answer

from .routes import LoginAnswer, LoginRequest, _Body, signed_in

if TYPE_CHECKING:
    from . import mfa_service
    from .wiring import two_step
else:  # the use cases and adapters load with the first request that calls one
    mfa_service = lazy_module(f"{__package__}.mfa_service")
    two_step = lazy_callable(f"{__package__}.wiring", "two_step")

# The code field takes what people type ("123 456" too); mfa.normalise_code decides what a code is.
_CODE = Field(min_length=1, max_length=20, description="The 6-digit code of the authenticator app.")


class MfaCodeRequest(_Body):
    code: str = _CODE


class MfaOffRequest(_Body):
    """The password, or a current code: either proves the person at the keyboard owns the account."""

    password: str | None = Field(None, min_length=1, max_length=256)
    code: str | None = Field(None, min_length=1, max_length=20)


class MfaChallengeRequest(_Body):
    email: str = Field(min_length=3, max_length=254)
    # Cognito's bounds of a session: anything outside them is no session Cognito gave.
    session: str = Field(min_length=20, max_length=2048, description="The session of the login's mfaRequired answer.")
    code: str = _CODE


class MfaStatusAnswer(Answer):
    enabled: bool


class MfaOnAnswer(MfaStatusAnswer):
    recovery_codes: list[str] = Field(
        description="Ten one-time codes for signing in without the phone, shown this once (only their salted "
        "digests are kept); a new setup replaces them."
    )


class RecoveryLoginRequest(LoginRequest):
    """The password and one of the recovery codes, for a person whose authenticator app is gone."""

    recovery_code: str = Field(
        alias="recoveryCode", min_length=1, max_length=40, description="One recovery code, as shown at setup."
    )


class RecoveryLoginAnswer(LoginAnswer):
    """Signed in; two-step sign-in is now off and the other recovery codes are void: ask the person to set it up
    again with their new phone."""

    mfa_turned_off: Literal[True]


class MfaSetupAnswer(Answer):
    secret: str = Field(description="The key to type into an authenticator app that cannot scan the QR code.")
    otpauth_uri: str = Field(description="The otpauth:// key URI the QR code shows.")


def register_mfa_routes(routes: Routes) -> None:
    @routes.get("/api/users/me/mfa", roles=ANY_ROLE, response=MfaStatusAnswer)
    def mfa_status(principal: Principal) -> dict:
        """Whether signing in asks for an authenticator app's code."""
        return {"enabled": mfa_service.is_enabled(two_step(), principal.email)}

    @routes.post("/api/users/me/mfa/setup", roles=ANY_ROLE, response=MfaSetupAnswer, errors=[409])
    def mfa_setup(principal: Principal, request: Any) -> dict:
        """A new secret for an authenticator app (QR code and key); 409 MFA_ALREADY_ON while it is on."""
        setup = mfa_service.start_setup(two_step(), principal.email, _access_token(request))
        return {"secret": setup.secret, "otpauthUri": setup.uri}

    @routes.post("/api/users/me/mfa/verify", body=MfaCodeRequest, roles=ANY_ROLE, response=MfaOnAnswer, errors=[409])
    def mfa_verify(principal: Principal, request: Any, body: MfaCodeRequest) -> dict:
        """The app's first code turns two-step sign-in on and answers the recovery codes, this once; 400
        MFA_CODE_INVALID for a wrong code."""
        codes = mfa_service.finish_setup(two_step(), principal.email, _access_token(request), body.code)
        return {"enabled": True, "recoveryCodes": codes}

    @routes.delete("/api/users/me/mfa", body=MfaOffRequest, roles=ANY_ROLE, response=MfaStatusAnswer, errors=[409])
    def mfa_off(principal: Principal, request: Any, body: MfaOffRequest) -> dict:
        """Turns two-step sign-in off with the password or a current code (403 PASSWORD_WRONG, 400 MFA_CODE_INVALID)."""
        mfa_service.turn_off(two_step(), principal.email, _access_token(request), body.password, body.code)
        return {"enabled": False}

    @routes.post("/api/auth/login/mfa", body=MfaChallengeRequest, response=LoginAnswer, errors=[401, 404])
    def login_mfa(body: MfaChallengeRequest) -> dict:
        """The second step of a sign-in: the code, with the session of the login's mfaRequired answer."""
        tokens, user = mfa_service.answer_challenge(two_step(), body.email, body.session, body.code)
        return signed_in(tokens, user)

    @routes.post(
        "/api/auth/login/recovery", body=RecoveryLoginRequest, response=RecoveryLoginAnswer, errors=[401, 404, 409]
    )
    def login_recovery(body: RecoveryLoginRequest) -> dict:
        """Signing in without the phone: the password and a recovery code (spent). Two-step sign-in is turned off
        (set it up again); 400 RECOVERY_CODE_INVALID, RECOVERY_CODE_MALFORMED; 401 INVALID_CREDENTIALS; 409
        MFA_ALREADY_OFF; 429 like login."""
        tokens, user = mfa_service.sign_in_with_recovery_code(two_step(), body.email, body.password, body.recovery_code)
        return {**signed_in(tokens, user), "mfaTurnedOff": True}


def _access_token(request: Any) -> str:
    # The routes' gate verified this token already (signature, expiry, issuer, client); Cognito's calls that act
    # for the user take it as their credential.
    return bearer_token(request.headers) or ""
