"""Cognito as the identity provider. The Cognito username is the lower-cased email."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from speaktracker.auth import CONSENT_PENDING_GROUP
from speaktracker.errors import Conflict, Forbidden, Invalid, TooManyRequests, Unauthorized

from ..domain import Role
from ..mfa import MfaChallenge
from ..ports import Tokens


class CognitoIdentityProvider:
    def __init__(self, client: Any, user_pool_id: str, client_id: str) -> None:
        self._idp, self._pool, self._client_id = client, user_pool_id, client_id

    def sign_up(self, email: str, password: str, name: str, role: Role) -> str:
        with _translated():
            result = self._idp.sign_up(
                ClientId=self._client_id,
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": name}],
            )
            try:
                self._idp.admin_add_user_to_group(UserPoolId=self._pool, Username=email, GroupName=role)
            except ClientError:
                self.delete(email)
                raise
        return result["UserSub"]

    def confirm(self, email: str) -> None:
        with _translated():
            status = self._idp.admin_get_user(UserPoolId=self._pool, Username=email).get("UserStatus")
            if status != "CONFIRMED":  # a confirm repeated after a failed announcement confirms nothing again
                self._idp.admin_confirm_sign_up(UserPoolId=self._pool, Username=email)
            self._idp.admin_update_user_attributes(
                UserPoolId=self._pool, Username=email, UserAttributes=[{"Name": "email_verified", "Value": "true"}]
            )

    def delete(self, email: str) -> None:
        try:
            self._idp.admin_delete_user(UserPoolId=self._pool, Username=email)
        except ClientError as error:
            if _code(error) != "UserNotFoundException":
                raise

    def login(self, email: str, password: str) -> Tokens | MfaChallenge:
        with _translated():
            result = self._idp.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            return MfaChallenge(email=email, session=result["Session"])
        return _tokens(result)

    def refresh(self, refresh_token: str) -> Tokens:
        with _translated(unauthorized=("The refresh token is not valid; sign in again.", "REFRESH_TOKEN_INVALID")):
            result = self._idp.initiate_auth(
                ClientId=self._client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
            )
        return _tokens(result)

    def sign_out_everywhere(self, email: str) -> None:
        # The caller's token is verified by the app already; the admin call revokes every refresh token of
        # that user (GlobalSignOut would need the raw token and is mis-routed by emulators without a pool id).
        with _translated():
            self._idp.admin_user_global_sign_out(UserPoolId=self._pool, Username=email)

    def set_password(self, email: str, password: str) -> None:
        with _translated():
            self._idp.admin_set_user_password(UserPoolId=self._pool, Username=email, Password=password, Permanent=True)
            self._idp.admin_user_global_sign_out(UserPoolId=self._pool, Username=email)

    def set_consent_pending(self, email: str, pending: bool) -> None:
        call = self._idp.admin_add_user_to_group if pending else self._idp.admin_remove_user_from_group
        with _translated():
            call(UserPoolId=self._pool, Username=email, GroupName=CONSENT_PENDING_GROUP)


def _tokens(result: dict[str, Any]) -> Tokens:
    auth = result.get("AuthenticationResult")
    if not auth:
        raise Unauthorized("This account needs a step we do not support; contact support.", "AUTH_CHALLENGE")
    return Tokens(
        access_token=auth["AccessToken"],
        id_token=auth["IdToken"],
        refresh_token=auth.get("RefreshToken"),
        expires_in=int(auth["ExpiresIn"]),
    )


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


class _translated:
    """Cognito's errors in the product's words; anything unexpected propagates."""

    def __init__(
        self, unauthorized: tuple[str, str] = ("The email or password is not right.", "INVALID_CREDENTIALS")
    ) -> None:
        self._unauthorized = unauthorized

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, tb: Any) -> bool:
        if not isinstance(error, ClientError):
            return False
        code = _code(error)
        if code in ("NotAuthorizedException", "UserNotFoundException"):
            raise Unauthorized(*self._unauthorized) from error
        if code == "UsernameExistsException":
            raise Conflict("An account with this email already exists.", "EMAIL_TAKEN") from error
        if code == "InvalidPasswordException":
            raise Invalid("The password does not meet the password policy.", "WEAK_PASSWORD") from error
        if code == "UserNotConfirmedException":
            raise Forbidden(
                "Confirm your email with the code we sent before signing in.", "EMAIL_NOT_CONFIRMED"
            ) from error
        if code in ("TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"):
            raise TooManyRequests("Too many attempts; wait a moment and try again.", "TOO_MANY_ATTEMPTS") from error
        return False
