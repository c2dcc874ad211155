"""Users made directly in the emulator's user pool, as an administrator would: confirmed, in their role's
group, and signed in with the web client. For tests and benchmarks that need someone signed in without
going through identity's email-code sign-up."""

from __future__ import annotations

from typing import Any


def create_signed_in_user(
    idp: Any, pool_id: str, client_id: str, email: str, role: str, password: str
) -> dict[str, Any]:
    """Cognito's AuthenticationResult (AccessToken, RefreshToken, IdToken, ExpiresIn) for a new user."""
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=role)
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": password}
    )["AuthenticationResult"]
