"""Where each part of the dev stack listens, and the URLs clients discover from ``/config.json``.

Defaults: identity 8001, matching 8002, practice 8003, conversation 8004, notifications 8005, the WebSocket
gateway 8006, the web server 8080, the emulator 4566. Two ways to move them, so a second stack (the e2e tests)
can run beside a developer's ``make dev``:

- ``SPEAKTRACKER_DEV_BASE_PORT=9001`` (or ``--base-port``) shifts every default by the same amount
  (identity 9001 ... web 9080, emulator 5566);
- ``SPEAKTRACKER_DEV_PORTS="identity=9101,web=9180,emulator=9566"`` (or ``--ports``) sets single ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

HOST = "127.0.0.1"
SERVICE_CONTEXTS = ("identity", "matching", "practice", "conversation", "notifications")
DEFAULT_BASE_PORT = 8001


@dataclass(frozen=True)
class StackPorts:
    identity: int = 8001
    matching: int = 8002
    practice: int = 8003
    conversation: int = 8004
    notifications: int = 8005
    websocket: int = 8006
    web: int = 8080
    emulator: int = 4566

    @classmethod
    def resolve(cls, base_port: int | None = None, overrides: str | None = None) -> StackPorts:
        ports = cls()
        if base_port is not None:
            shift = base_port - DEFAULT_BASE_PORT
            ports = cls(**{f.name: getattr(ports, f.name) + shift for f in fields(cls)})
        return replace(ports, **parse_overrides(overrides)) if overrides else ports

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> StackPorts:
        base = environ.get("SPEAKTRACKER_DEV_BASE_PORT")
        return cls.resolve(int(base) if base else None, environ.get("SPEAKTRACKER_DEV_PORTS"))

    def service(self, context: str) -> int:
        return getattr(self, context)

    def all(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def parse_overrides(text: str) -> dict[str, int]:
    known = {f.name for f in fields(StackPorts)}
    chosen: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in known or not value.strip().isdigit():
            raise ValueError(f"bad port setting {part!r}: use name=port with a name among {', '.join(sorted(known))}")
        chosen[name] = int(value)
    return chosen


@dataclass(frozen=True)
class StackUrls:
    ports: StackPorts
    host: str = HOST

    def service(self, context: str) -> str:
        return f"http://{self.host}:{self.ports.service(context)}"

    @property
    def services(self) -> dict[str, str]:
        return {context: self.service(context) for context in SERVICE_CONTEXTS}

    @property
    def websocket(self) -> str:
        return f"ws://{self.host}:{self.ports.websocket}"

    @property
    def websocket_management(self) -> str:
        return f"http://{self.host}:{self.ports.websocket}"

    @property
    def web(self) -> str:
        return f"http://{self.host}:{self.ports.web}"

    @property
    def emulator(self) -> str:
        return f"http://{self.host}:{self.ports.emulator}"

    def config_document(self, region: str) -> dict[str, object]:
        """``GET /config.json``: how the SPA and outside clients find everything."""
        return {"region": region, "services": self.services, "websocket": self.websocket}
