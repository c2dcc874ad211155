"""The whole dev stack under one supervisor: ``python -m speaktracker_dev`` (what ``make dev`` runs).

Order: the emulator (moto's server as a child process, or LocalStack through docker compose), the bootstrap
of the resource catalogue into it, one host process per service (the notifications host also runs the
WebSocket gateway), then the web server. When every part answers its health check the URLs are printed.
SIGINT or SIGTERM stops the web server, then the service hosts (so their ``$disconnect`` handlers still reach
the emulator), then the emulator; a child that does not stop within the grace period is killed. Children
also stop by themselves if the supervisor dies (``lifecycle.py``).

A service host that dies while the stack runs (a crash, an OOM kill, ``kill -9`` in a fault test) is started
again, as Lambda replaces a failed execution environment: its queue messages in flight come back after their
visibility timeout. More than ``HOST_RESTARTS_PER_MINUTE`` restarts of one host within a minute takes the stack
down instead. ``<state dir>/hosts.json`` names each host's current process id.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from .platform_secret import stack_platform_secret
from .ports import HOST, SERVICE_CONTEXTS, StackPorts, StackUrls

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.localstack.yml"
HOST_RESTARTS_PER_MINUTE = 3
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
# Worker processes per host for pronunciation assessments (speaktracker.speech.pool); default: the CPU count.
ASSESSMENT_WORKERS = "SPEAKTRACKER_ASSESSMENT_WORKERS"
LOCALSTACK_NOTICE = """\
LocalStack mode. The free community image has SQS, SNS, S3, SES and DynamoDB, but Cognito (sign-up, login,
the tokens every service verifies) is a LocalStack Pro feature: set LOCALSTACK_AUTH_TOKEN and
LOCALSTACK_IMAGE=localstack/localstack-pro:<version>, or use the default embedded emulator (plain `make dev`).
The WebSocket gateway is the dev stack's own in both modes, so it needs no Pro WebSocket API."""


class StackFailed(RuntimeError):
    pass


@dataclass
class Child:
    """A child process whose output is forwarded line by line with its name in front."""

    name: str
    process: subprocess.Popen
    recent: collections.deque = field(default_factory=lambda: collections.deque(maxlen=30))

    @classmethod
    def start(cls, name: str, command: list[str], env: Mapping[str, str], echo: Callable[[str], None]) -> Child:
        process = subprocess.Popen(
            command,
            env=dict(env),
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        child = cls(name, process)
        threading.Thread(target=child._forward, args=(echo,), name=f"output-{name}", daemon=True).start()
        return child

    def _forward(self, echo: Callable[[str], None]) -> None:
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.recent.append(line)
            echo(f"{self.name:>13} | {line}")

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            tail = "\n".join(self.recent)
            raise StackFailed(f"{self.name} exited with code {code}:\n{tail}")

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_or_kill(self, deadline: float) -> None:
        try:
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@dataclass
class StackOptions:
    ports: StackPorts
    emulator: str = "embedded"  # or "localstack"
    state_dir: Path = REPO_ROOT / ".dev"
    web_dist: Path = REPO_ROOT / "web" / "dist"
    startup_timeout: float = 90.0
    stop_grace_seconds: float = 10.0


class DevStack:
    def __init__(self, options: StackOptions, echo: Callable[[str], None] = print) -> None:
        self.options = options
        self.urls = StackUrls(options.ports)
        self.echo = echo
        self.outputs: dict[str, Any] = {}
        self.environment: dict[str, str] = {}
        self._emulator: Child | None = None
        self._hosts: dict[str, Child] = {}
        self._host_commands: dict[str, list[str]] = {}
        self._host_restarts: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._web: Any = None
        self._abort = threading.Event()
        self._stop_workers = threading.Event()
        self._compose_started = False

    # --- starting --------------------------------------------------------------------------------
    def start(self) -> None:
        self._check_ports_free()
        self._start_emulator()
        self._bootstrap()
        self._start_analytics_sink()
        self._start_hosts()
        self._wait_until(self._services_healthy, "the services to answer /health")
        self._start_web()
        self._wait_until(self._web_answers, "the web server")

    def _check_ports_free(self) -> None:
        ports = self.options.ports.all()
        if self.options.emulator == "localstack":
            ports.pop("emulator")  # docker compose binds it
        for name, port in ports.items():
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind((HOST, port))
                except OSError:
                    raise StackFailed(
                        f"port {port} ({name}) is in use: is another dev stack running? Move this one with "
                        f"SPEAKTRACKER_DEV_BASE_PORT=9001 or SPEAKTRACKER_DEV_PORTS={name}=<port>."
                    ) from None

    def _start_emulator(self) -> None:
        if self.options.emulator == "localstack":
            self.echo(LOCALSTACK_NOTICE)
            env = {**os.environ, "SPEAKTRACKER_DEV_EMULATOR_PORT": str(self.options.ports.emulator)}
            try:
                subprocess.run(["docker", "compose", "-f", str(COMPOSE_FILE), "up", "-d"], check=True, env=env)
                self._compose_started = True
            except (OSError, subprocess.CalledProcessError) as exc:
                raise StackFailed(
                    f"`docker compose -f {COMPOSE_FILE.name} up -d` failed ({exc}): LocalStack mode "
                    "needs Docker with the compose plugin; plain `make dev` needs neither."
                ) from exc
            self._wait_until(lambda: _answers(f"{self.urls.emulator}/_localstack/health"), "LocalStack")
            return
        self._emulator = Child.start(
            "emulator",
            [
                sys.executable,
                "-m",
                "speaktracker_dev.emulator",
                "--host",
                HOST,
                "--port",
                str(self.options.ports.emulator),
            ],
            self._child_env({}),
            self.echo,
        )
        self._wait_until(lambda: _answers(f"{self.urls.emulator}/_speaktracker/mailbox"), "the emulator")

    def _bootstrap(self) -> None:
        from .bootstrap import bootstrap

        base = self._base_environment()
        settings = _settings_from(base)
        self.echo(f"bootstrapping the resource catalogue into {self.urls.emulator} (stage {settings.stage})")
        try:
            self.outputs = bootstrap(settings, report=lambda line: self.echo(f"    {line}"))
        except Exception as exc:
            hint = "\n" + LOCALSTACK_NOTICE if self.options.emulator == "localstack" else ""
            raise StackFailed(f"bootstrap failed: {exc}{hint}") from exc
        self.environment = {
            **base,
            "SPEAKTRACKER_COGNITO_USER_POOL_ID": self.outputs["user_pool_id"],
            "SPEAKTRACKER_COGNITO_CLIENT_ID": self.outputs["user_pool_client_id"],
            "SPEAKTRACKER_EVENTS_TOPIC_ARN": self.outputs["events_topic_arn"],
            "SPEAKTRACKER_WEBSOCKET_MANAGEMENT_URL": self.urls.websocket_management,
            "SPEAKTRACKER_PLATFORM_SECRET": stack_platform_secret(self.options.state_dir),
        }
        self._write_stack_env()

    def _start_analytics_sink(self) -> None:
        """Drains the analytics queue into ``.dev/analytics/`` (Firehose's part in AWS), in this process."""
        from speaktracker import catalogue
        from speaktracker.aws import AwsClients

        from .analytics_sink import LocalEventArchive, archive_handler, pseudonyms_of
        from .poller import QueuePoller

        sqs = AwsClients(_settings_from(self.environment)).client("sqs")
        queue = catalogue.ANALYTICS_DEV_QUEUE
        archive = LocalEventArchive(self.options.state_dir / "analytics", pseudonyms_of(self.options.state_dir))
        poller = QueuePoller(
            sqs,
            self.outputs["queue_urls"][queue.logical],
            archive_handler(archive),
            queue.batch_size,
            function_name="analytics-archive",
        )
        threading.Thread(target=poller.run, args=(self._stop_workers,), name="analytics-archive", daemon=True).start()
        self.echo(f"    every event is archived under {archive.root}")

    def _base_environment(self) -> dict[str, str]:
        region = os.environ.get("SPEAKTRACKER_REGION") or "ap-northeast-2"
        return {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.urls.emulator,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "SPEAKTRACKER_REGION": region,
            "SPEAKTRACKER_STAGE": os.environ.get("SPEAKTRACKER_STAGE", "dev"),
            # One host serves every student: assessments in worker processes, one per core (AWS: a Lambda each).
            ASSESSMENT_WORKERS: os.environ.get(ASSESSMENT_WORKERS) or str(os.cpu_count() or 1),
        }

    def _write_stack_env(self) -> None:
        self.options.state_dir.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by `make dev` for this run: the environment the services run with.",
            "# Use it from a shell with: set -a; . .dev/stack.env; set +a",
        ]
        lines += [f"{name}={value}" for name, value in sorted(self.environment.items())]
        (self.options.state_dir / "stack.env").write_text("\n".join(lines) + "\n")

    def _start_hosts(self) -> None:
        env = self._child_env(self.environment)
        for context in SERVICE_CONTEXTS:
            command = [
                sys.executable,
                "-m",
                "speaktracker_dev.host",
                "--service",
                context,
                "--host",
                HOST,
                "--port",
                str(self.options.ports.service(context)),
            ]
            if context == "notifications":
                command += ["--websocket-port", str(self.options.ports.websocket)]
            self._host_commands[context] = command
            self._hosts[context] = Child.start(context, command, env, self.echo)
        self._write_host_pids()

    def _write_host_pids(self) -> None:
        pids = {context: child.process.pid for context, child in self._hosts.items()}
        (self.options.state_dir / "hosts.json").write_text(json.dumps(pids, indent=2) + "\n")

    def _restart_dead_hosts(self) -> None:
        """Starts again each host that exited, within ``HOST_RESTARTS_PER_MINUTE``; beyond it the stack fails."""
        for context, child in list(self._hosts.items()):
            code = child.process.poll()
            if code is None:
                continue
            restarts = self._host_restarts[context]
            now = time.monotonic()
            while restarts and now - restarts[0] > 60:
                restarts.popleft()
            if len(restarts) >= HOST_RESTARTS_PER_MINUTE:
                child.check_alive()  # raises StackFailed with the host's last lines
            restarts.append(now)
            self.echo(f"{context} host exited with code {code}: starting it again")
            self._hosts[context] = Child.start(
                context, self._host_commands[context], self._child_env(self.environment), self.echo
            )
            self._write_host_pids()

    def _child_env(self, extra: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN")}
        scripts = str(REPO_ROOT / "scripts")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [scripts, env.get("PYTHONPATH", "")]))
        env["PYTHONUNBUFFERED"] = "1"
        env.update(extra)
        return env

    def _start_web(self) -> None:
        from .mailbox import EmbeddedEmulatorMailbox, LocalStackMailbox
        from .web import make_web_server

        mailbox = (LocalStackMailbox if self.options.emulator == "localstack" else EmbeddedEmulatorMailbox)(
            self.urls.emulator
        )
        described = f"{'LocalStack' if self.options.emulator == 'localstack' else 'moto'} on {self.urls.emulator}"
        self._web = make_web_server(
            self.urls, self.environment["AWS_REGION"], mailbox, self.options.web_dist, described
        )
        threading.Thread(target=self._web.serve_forever, name="web", daemon=True).start()

    def _services_healthy(self) -> bool:
        urls = [f"{url}/health" for url in self.urls.services.values()]
        return all(_answers(url) for url in urls + [f"{self.urls.websocket_management}/health"])

    def _web_answers(self) -> bool:
        return _answers(f"{self.urls.web}/config.json")

    def _wait_until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.options.startup_timeout
        while not condition():
            for child in self._children():
                child.check_alive()
            if self._abort.is_set():
                raise StackFailed("stopped while starting")
            if time.monotonic() > deadline:
                raise StackFailed(f"timed out after {self.options.startup_timeout:.0f} s waiting for {what}")
            time.sleep(0.2)

    # --- running and stopping --------------------------------------------------------------------
    def banner(self) -> str:
        width = 15
        lines = [
            "",
            "SpeakTracker dev stack is up.",
            f"  {'web app':<{width}} {self.urls.web}   (status page /dev/, /config.json, /dev/mailbox?to=EMAIL)",
        ]
        lines += [f"  {context:<{width}} {url}" for context, url in self.urls.services.items()]
        lines += [
            f"  {'websocket':<{width}} {self.urls.websocket}/?token=ACCESS_TOKEN   "
            f"(@connections at {self.urls.websocket_management})",
            f"  {'emulator':<{width}} {self.urls.emulator}   ({self.options.emulator})",
            f"  {'environment':<{width}} {self.options.state_dir / 'stack.env'}",
            "Ctrl-C stops everything.",
            "",
        ]
        return "\n".join(lines)

    def watch(self, stop: threading.Event) -> None:
        """Until ``stop`` is set; a host that dies is started again (see the module's docstring), the emulator
        dying takes the stack down rather than leaving half of it."""
        while not stop.wait(0.5):
            self._restart_dead_hosts()
            for child in self._children():
                child.check_alive()

    def abort(self) -> None:
        self._abort.set()

    def stop(self) -> None:
        self._stop_workers.set()
        if self._web is not None:
            self._web.shutdown()
            self._web.server_close()
        deadline = time.monotonic() + self.options.stop_grace_seconds
        for host in self._hosts.values():
            host.terminate()
        for host in self._hosts.values():
            host.wait_or_kill(deadline)
        if self._emulator is not None:
            self._emulator.terminate()
            self._emulator.wait_or_kill(time.monotonic() + self.options.stop_grace_seconds)
        if self._compose_started:
            subprocess.run(["docker", "compose", "-f", str(COMPOSE_FILE), "down"], check=False)

    def _children(self) -> list[Child]:
        return ([self._emulator] if self._emulator else []) + list(self._hosts.values())


def _settings_from(env: Mapping[str, str]) -> Any:
    from speaktracker.settings import Settings, reset_settings

    os.environ.update(env)  # the supervisor itself talks to the emulator exactly as the services do
    reset_settings()
    return Settings()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1.0).status_code == 200
    except requests.RequestException:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m speaktracker_dev", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--emulator",
        choices=["embedded", "localstack"],
        default=os.environ.get("EMULATOR") or "embedded",
        help="embedded = moto's server (default); localstack = docker-compose.localstack.yml",
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=None,
        help="shift every default port by (BASE - 8001); env SPEAKTRACKER_DEV_BASE_PORT",
    )
    parser.add_argument(
        "--ports", default=None, help='single ports, e.g. "identity=9001,web=9080"; env SPEAKTRACKER_DEV_PORTS'
    )
    parser.add_argument("--state-dir", type=Path, default=None, help="where stack.env is written (.dev)")
    args = parser.parse_args(argv)
    if args.emulator not in ("embedded", "localstack"):  # EMULATOR=moto and the like from the environment
        args.emulator = "embedded"

    ports = StackPorts.from_environment(os.environ)
    if args.base_port is not None or args.ports is not None:
        ports = StackPorts.resolve(args.base_port, args.ports)
    options = StackOptions(ports=ports, emulator=args.emulator)
    if args.state_dir is not None:
        options.state_dir = args.state_dir

    stack = DevStack(options, echo=lambda line: print(line, flush=True))
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()
        stack.abort()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
        print(stack.banner(), flush=True)
        stack.watch(stop)
        return 0
    except StackFailed as failure:
        if not stop.is_set():
            print(f"\ndev stack failed: {failure}", file=sys.stderr, flush=True)
            return 1
        return 0
    finally:
        print("stopping the dev stack ...", flush=True)
        stack.stop()
        print("stopped.", flush=True)
