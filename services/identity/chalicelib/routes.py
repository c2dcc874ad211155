"""Identity's HTTP routes (seed scenario 1): thin — parse, call the use case, shape the response."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel
from speaktracker.auth import Principal
from speaktracker.http import ANY_ROLE, Routes
from speaktracker.lazy import lazy_callable, lazy_module
from speaktracker.openapi import Answer, PresignedPost

from .mfa import MfaChallenge

if TYPE_CHECKING:
    from . import service
    from .domain import User
    from .ports import Tokens
    from .wiring import identity
else:  # the use cases and adapters load with the first request that calls one
    service = lazy_module(f"{__package__}.service")
    identity = lazy_callable(f"{__package__}.wiring", "identity")


class _Body(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")


def _birth_year_is_required(schema: dict) -> None:
    # Missing, it is a 400 BIRTH_YEAR_REQUIRED from the use case (its own code, which the SPA words), not the
    # generic VALIDATION_FAILED: so the model lets it be absent and the document says it is required.
    schema.setdefault("required", []).append("birthYear")


class RegisterRequest(_Body):
    model_config = ConfigDict(defer_build=True, extra="forbid", json_schema_extra=_birth_year_is_required)

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)
    name: str = Field(min_length=1, max_length=80, pattern=r"\S")
    role: Literal["student", "tutor"]
    birth_year: int | None = Field(
        None,
        alias="birthYear",
        description="Required (400 BIRTH_YEAR_REQUIRED). Under the consent age (14) a guardian must consent; "
        "tutors must be adults (19+).",
    )
    guardian_email: str | None = Field(None, alias="guardianEmail", min_length=3, max_length=254)


class ConsentTokenRequest(_Body):
    token: str = Field(min_length=10, max_length=600)


class ConsentDecisionRequest(ConsentTokenRequest):
    decision: Literal["consent", "refuse"]


class ConfirmRequest(_Body):
    email: str = Field(min_length=3, max_length=254)
    code: str = Field(pattern=r"^\s*\d{6}\s*$")


class EmailRequest(_Body):
    email: str = Field(min_length=3, max_length=254)


class LoginRequest(_Body):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(_Body):
    refresh_token: str = Field(alias="refreshToken", min_length=1)


class ResetRequest(_Body):
    email: str = Field(min_length=3, max_length=254)
    code: str = Field(pattern=r"^\s*\d{6}\s*$")
    new_password: str = Field(alias="newPassword", min_length=1, max_length=256)


class ProfilePatch(_Body):
    name: str | None = Field(None, min_length=1, max_length=80, pattern=r"\S")
    intro: str | None = Field(None, max_length=1000)


class ImageUploadRequest(_Body):
    content_type: str = Field(alias="contentType")
    size: int = Field(gt=0)


class AccountDeletionRequest(_Body):
    """The password again: deleting an account erases it everywhere and cannot be undone."""

    password: str = Field(min_length=1, max_length=256)


class ImageConfirmRequest(_Body):
    key: str = Field(min_length=1, max_length=512)


# --- answers (documented in GET /openapi.json; the web app's types come from them) ---------------------------
class MessageAnswer(Answer):
    message: str


class RegisterAnswer(Answer):
    message: str
    email: str
    role: Literal["student", "tutor"]
    consent: Literal["NOT_NEEDED", "PENDING_CONSENT", "CONSENTED"]


class ConsentRequestAnswer(Answer):
    child_name: str
    child_email: str
    consent: Literal["NOT_NEEDED", "PENDING_CONSENT", "CONSENTED"]


class ConsentDecisionAnswer(Answer):
    message: str
    consent: Literal["CONSENTED", "REFUSED", "WITHDRAWN"]


class ConfirmAnswer(Answer):
    message: str
    email: str


class TokensAnswer(Answer):
    access_token: str
    id_token: str
    expires_in: int = Field(description="Seconds until the access token expires.")
    token_type: Literal["Bearer"]


class UserSummary(Answer):
    email: str
    name: str
    role: Literal["student", "tutor"]
    consent: Literal["NOT_NEEDED", "PENDING_CONSENT", "CONSENTED"]


class LoginAnswer(TokensAnswer):
    refresh_token: str = Field(description="Only login gives one; refresh answers keep the one you have.")
    user: UserSummary


class MfaRequiredAnswer(Answer):
    """The password was right and the account has two-step sign-in on: send the code with this session to
    POST /api/auth/login/mfa within ``expiresIn`` seconds."""

    mfa_required: Literal[True]
    email: str
    session: str
    expires_in: int = Field(description="Seconds the session stays valid for the code.")


class LoginResult(RootModel[LoginAnswer | MfaRequiredAnswer]):
    """Signed in (tokens), or one step to go (the code of the authenticator app)."""

    model_config = ConfigDict(defer_build=True)  # built for GET /openapi.json, not at a cold start


class ProfileAnswer(UserSummary):
    user_id: str
    intro: str
    created_at: str
    profile_image_url: str | None


class ImageUploadAnswer(Answer):
    key: str
    upload: PresignedPost


def register_routes(routes: Routes) -> None:
    @routes.post("/api/auth/register", body=RegisterRequest, status=201, response=RegisterAnswer, errors=[409])
    def register(body: RegisterRequest) -> dict:
        user = service.register(
            identity(), body.email, body.password, body.name, body.role, body.birth_year, body.guardian_email
        )
        return {
            "message": "회원가입 완료. 이메일을 확인하세요. / Check your email for the code.",
            "email": user.email,
            "role": user.role,
            "consent": user.consent,
        }

    @routes.post(
        "/api/guardian-consent/request", body=ConsentTokenRequest, response=ConsentRequestAnswer, errors=[404, 409, 410]
    )
    def consent_request(body: ConsentTokenRequest) -> dict:
        """Who asks for consent (the guardian is not signed in; the link's token is the credential)."""
        user = service.consent_request(identity(), body.token)
        return {"childName": user.name, "childEmail": user.email, "consent": user.consent}

    @routes.post(
        "/api/guardian-consent", body=ConsentDecisionRequest, response=ConsentDecisionAnswer, errors=[404, 409, 410]
    )
    def decide_consent(body: ConsentDecisionRequest) -> dict:
        """The guardian consents, or refuses (the account is erased); the link works once."""
        user = service.decide_consent(identity(), body.token, body.decision == "consent")
        if user.consent == "CONSENTED":
            return {"message": "동의해 주셔서 감사합니다. / Thank you: consent recorded.", "consent": "CONSENTED"}
        return {
            "message": "거부하셨습니다. 계정이 삭제되었습니다. / Refused: the account is erased.",
            "consent": "REFUSED",
        }

    @routes.post(
        "/api/guardian-consent/withdraw",
        body=ConsentTokenRequest,
        response=ConsentDecisionAnswer,
        errors=[404, 409, 410],
    )
    def withdraw_consent(body: ConsentTokenRequest) -> dict:
        """The guardian withdraws consent with the withdrawal link: the account is erased."""
        service.withdraw_consent(identity(), body.token)
        return {
            "message": "동의를 철회했습니다. 계정이 삭제되었습니다. / Withdrawn: the account is erased.",
            "consent": "WITHDRAWN",
        }

    @routes.post("/api/auth/confirm", body=ConfirmRequest, response=ConfirmAnswer, errors=[409, 429, 503])
    def confirm(body: ConfirmRequest) -> dict:
        user = service.confirm(identity(), body.email, body.code)
        return {"message": "인증 완료 / Email confirmed.", "email": user.email}

    # 404 for an email no account uses, 409 once confirmed (both found undocumented by the fuzzer).
    @routes.post("/api/auth/resend-code", body=EmailRequest, status=202, response=MessageAnswer, errors=[404, 409, 429])
    def resend_code(body: EmailRequest) -> dict:
        service.resend_code(identity(), body.email)
        return {"message": "인증 코드를 다시 보냈습니다. / A new code is on its way."}

    @routes.post("/api/auth/login", body=LoginRequest, response=LoginResult, errors=[401, 403])
    def login(body: LoginRequest) -> dict:
        tokens, user = service.login(identity(), body.email, body.password)
        if isinstance(tokens, MfaChallenge):
            return mfa_required(tokens)
        return signed_in(tokens, user)

    @routes.post("/api/auth/refresh", body=RefreshRequest, response=TokensAnswer, errors=[401])
    def refresh(body: RefreshRequest) -> dict:
        return _tokens(service.refresh(identity(), body.refresh_token))

    @routes.post("/api/auth/logout", roles=ANY_ROLE, response=MessageAnswer)
    def logout(principal: Principal) -> dict:
        service.logout(identity(), principal.email)
        return {"message": "로그아웃 / Signed out everywhere."}

    @routes.post(
        "/api/auth/forgot-password", body=EmailRequest, status=202, response=MessageAnswer, errors=[429]
    )  # Cognito's limit on reset codes (found undocumented by the fuzzer)
    def forgot_password(body: EmailRequest) -> dict:
        service.forgot_password(identity(), body.email)
        return {"message": "If an account uses this email, a reset code is on its way."}

    @routes.post("/api/auth/reset-password", body=ResetRequest, response=MessageAnswer, errors=[429])
    def reset_password(body: ResetRequest) -> dict:
        service.reset_password(identity(), body.email, body.code, body.new_password)
        return {"message": "비밀번호가 변경되었습니다. / Password changed; sign in again."}

    # 404 on the /me routes: a valid token of a Cognito user with no profile here (made outside sign-up, or
    # being deleted) is USER_NOT_FOUND; the fuzzer found it undocumented.
    @routes.get("/api/users/me", roles=ANY_ROLE, response=ProfileAnswer, errors=[404])
    def me(principal: Principal) -> dict:
        return _profile(service.profile(identity(), principal.email))

    @routes.patch("/api/users/me", body=ProfilePatch, roles=ANY_ROLE, response=ProfileAnswer, errors=[404, 503])
    def update_me(principal: Principal, body: ProfilePatch) -> dict:
        return _profile(service.update_profile(identity(), principal.email, body.name, body.intro))

    @routes.delete(
        "/api/users/me",
        body=AccountDeletionRequest,
        roles=ANY_ROLE,
        response=MessageAnswer,
        errors=[404, 503],
    )
    def delete_me(principal: Principal, body: AccountDeletionRequest) -> dict:
        """Delete my account and everything of mine in every part of SpeakTracker (the password again)."""
        service.delete_own_account(identity(), principal.email, body.password)
        return {"message": "계정이 삭제되었습니다. / Your account and your data have been deleted."}

    @routes.post(
        "/api/users/me/profile-image/upload",
        body=ImageUploadRequest,
        roles=ANY_ROLE,
        response=ImageUploadAnswer,
        errors=[404],
    )
    def start_image_upload(principal: Principal, body: ImageUploadRequest) -> dict:
        return service.start_profile_image_upload(identity(), principal.email, body.content_type, body.size)

    @routes.put(
        "/api/users/me/profile-image", body=ImageConfirmRequest, roles=ANY_ROLE, response=ProfileAnswer, errors=[404]
    )
    def set_image(principal: Principal, body: ImageConfirmRequest) -> dict:
        return _profile(service.set_profile_image(identity(), principal.email, body.key))


def signed_in(tokens: Tokens, user: User) -> dict:
    """The answer of a finished sign-in (login, or login with the code)."""
    return {**_tokens(tokens), "user": _user_summary(user)}


def mfa_required(challenge: MfaChallenge) -> dict:
    return {
        "mfaRequired": True,
        "email": challenge.email,
        "session": challenge.session,
        "expiresIn": challenge.expires_in,
    }


def _tokens(tokens: Tokens) -> dict:
    body = {
        "accessToken": tokens.access_token,
        "idToken": tokens.id_token,
        "expiresIn": tokens.expires_in,
        "tokenType": "Bearer",
    }
    if tokens.refresh_token:
        body["refreshToken"] = tokens.refresh_token
    return body


def _user_summary(user: User) -> dict:
    return {"email": user.email, "name": user.name, "role": user.role, "consent": user.consent}


def _profile(user: User) -> dict:
    return {
        **_user_summary(user),
        "userId": user.user_id,
        "intro": user.intro,
        "createdAt": user.created_at,
        "profileImageUrl": service.profile_image_url(identity(), user),
    }
