"""The supervisor starts a service host again when it dies, within a bound, and names each host's process id."""

import json
import os
import signal
import sys
import time

import pytest
from speaktracker_dev.ports import StackPorts
from speaktracker_dev.stack import HOST_RESTARTS_PER_MINUTE, Child, DevStack, StackFailed, StackOptions

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


@pytest.fixture
def stack(tmp_path):
    stack = DevStack(StackOptions(ports=StackPorts.resolve(None, None), state_dir=tmp_path), echo=lambda line: None)
    stack._host_commands["practice"] = SLEEPER
    stack._hosts["practice"] = Child.start("practice", SLEEPER, stack._child_env({}), stack.echo)
    stack._write_host_pids()
    yield stack
    for child in stack._hosts.values():
        child.process.kill()
        child.process.wait()


def killed(stack, context):
    pid = json.loads((stack.options.state_dir / "hosts.json").read_text())[context]
    os.kill(pid, signal.SIGKILL)
    stack._hosts[context].process.wait(timeout=10)
    return pid


def test_a_killed_host_is_started_again_and_hosts_json_names_the_new_process(stack):
    old = killed(stack, "practice")
    stack._restart_dead_hosts()
    new = json.loads((stack.options.state_dir / "hosts.json").read_text())["practice"]
    assert new != old and stack._hosts["practice"].process.poll() is None
    stack._restart_dead_hosts()  # a live host is left alone
    assert json.loads((stack.options.state_dir / "hosts.json").read_text())["practice"] == new


def test_a_host_that_keeps_dying_takes_the_stack_down(stack):
    for _ in range(HOST_RESTARTS_PER_MINUTE):
        killed(stack, "practice")
        stack._restart_dead_hosts()
    killed(stack, "practice")
    started = time.monotonic()
    with pytest.raises(StackFailed, match="practice exited"):
        stack._restart_dead_hosts()
    assert time.monotonic() - started < 5
