"""Personal data outside the tables (docs/account-deletion.md): after every other e2e test of the session has run
its flows on the shared dev stack, neither the analytics archive nor any line the stack logged holds the email of
anyone who signed up — so deleting an account leaves nothing of it there — and ``make analytics`` still answers
every question over the whole run's archive."""

from urllib.parse import quote

import pytest
import requests
from speaktracker_analytics.__main__ import main as analytics_main

from .conftest import SIGNED_UP


def everyone_signed_up(stack) -> set[str]:
    """The tests' own record, the user pool now (deleted accounts are gone from it) and every mail recipient."""
    emails = set(SIGNED_UP)
    pool = stack.client("cognito-idp")
    for page in pool.get_paginator("list_users").paginate(
        UserPoolId=stack.environment["SPEAKTRACKER_COGNITO_USER_POOL_ID"]
    ):
        for user in page["Users"]:
            emails.update(a["Value"] for a in user["Attributes"] if a["Name"] == "email")
    letters = requests.get(f"{stack.emulator}/_speaktracker/mailbox", timeout=20).json()["messages"]
    emails.update(address for letter in letters for address in letter["to"])
    return {email.lower() for email in emails if "@" in email}


def findings(text: str, emails: set[str]) -> list[str]:
    lowered = text.lower()
    return sorted(email for email in emails if email in lowered or quote(email).lower() in lowered)


@pytest.mark.after_the_flows
def test_no_signed_up_users_email_is_in_the_archive_or_the_logs_and_analytics_still_answer(dev_stack, tmp_path):
    emails = everyone_signed_up(dev_stack)
    assert len(emails) >= 3, "the scan needs the session's users"
    archive = dev_stack.state_dir / "analytics"
    files = sorted((archive / "events").glob("type=*/dt=*/*.json"))
    assert files, "the session archived no events"
    leaks = {str(path.relative_to(archive)): findings(path.read_text(), emails) for path in files}
    assert {path: found for path, found in leaks.items() if found} == {}
    log = dev_stack.output()
    leaked = [line for line in log.splitlines() if findings(line, emails)]
    assert leaked == [], f"{len(leaked)} log lines name a user, e.g. {leaked[:3]}"
    assert analytics_main(["--events", str(archive), "--out", str(tmp_path / "charts")]) == 0
    assert len(list((tmp_path / "charts").glob("*.png"))) == 5
