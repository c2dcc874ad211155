"""Helpers for the dev stack tests: signed-in users of the emulator's pool, bounded waits."""

from __future__ import annotations

import time

PASSWORD = "Str0ng!Pass"


def signed_in(emulator, email: str, role: str = "student") -> str:
    """A confirmed user in the role's group; returns their access token."""
    idp = emulator.client("cognito-idp")
    pool, client_id = emulator.outputs["user_pool_id"], emulator.outputs["user_pool_client_id"]
    idp.admin_create_user(
        UserPoolId=pool, Username=email, MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": email}]
    )
    idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=role)
    return idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]["AccessToken"]


def eventually(condition, timeout: float = 5.0, interval: float = 0.05):
    """Waits for ``condition()`` to be truthy and returns it; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "the condition was not met in time"
        time.sleep(interval)
