"""What ``make dev`` promises: every part up and discoverable, the dev mailbox, and a clean stop."""

import os
import socket
from pathlib import Path

import requests

from .conftest import PARTS, start_stack, stop_stack


def test_config_json_names_every_service_and_the_websocket(dev_stack):
    config = requests.get(f"{dev_stack.web}/config.json", timeout=10).json()
    assert config == {
        "region": dev_stack.environment["AWS_REGION"],
        "services": dev_stack.services,
        "websocket": dev_stack.websocket,
        "devMailbox": "/dev/mailbox",
    }
    for url in config["services"].values():
        assert requests.get(f"{url}/health", timeout=10).json()["status"] == "ok"


def test_the_status_page_shows_every_part_up(dev_stack):
    page = requests.get(f"{dev_stack.web}/dev/", timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    for part, url in {**dev_stack.services, "websocket": dev_stack.websocket}.items():
        assert f'<td>{part}</td><td><a href="{url}/health">' in page.text
    assert ">down<" not in page.text


def test_the_mailbox_shows_what_was_sent_through_ses_newest_first(dev_stack):
    ses = dev_stack.client("ses")
    sender = "no-reply@speaktracker.app"
    for subject in ("첫 번째 / first", "두 번째 / second"):
        ses.send_email(
            Source=sender,
            Destination={"ToAddresses": ["Reader@Example.com"]},
            Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": f"code in {subject}"}}},
        )
    letters = dev_stack.mailbox("reader@example.com")
    assert [m["subject"] for m in letters] == ["두 번째 / second", "첫 번째 / first"]
    assert letters[0]["body"] == "code in 두 번째 / second" and letters[0]["to"] == ["Reader@Example.com"]
    assert letters[0]["sentAt"] >= letters[1]["sentAt"]
    assert dev_stack.mailbox("nobody@example.com") == []


def test_the_stack_prints_its_urls_and_ctrl_c_stops_every_process(tmp_path):
    stack = start_stack(tmp_path)
    output = stack.output()
    for url in [stack.web, stack.websocket, stack.emulator, *stack.services.values()]:
        assert url in output
    children = _processes_mentioning(str(stack.ports["identity"])) + _processes_mentioning(str(stack.ports["emulator"]))
    assert len(children) >= 2
    assert stop_stack(stack) == 0
    assert "stopped." in stack.output()
    assert [pid for pid in children if Path(f"/proc/{pid}").exists() and not _is_zombie(pid)] == []
    for part in PARTS:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", stack.ports[part])) != 0, f"{part} still listens"


def _processes_mentioning(text):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "speaktracker_dev" in command and f" {text}" in command:
                found.append(int(entry))
    return found


def _is_zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return False
