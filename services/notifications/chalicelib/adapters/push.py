"""Live pushes through API Gateway's @connections API (the dev stack's gateway implements the same API)."""

from __future__ import annotations

import json
import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from speaktracker import logging as slog

from ..ports import ConnectionLookup

_log = slog.get_logger("notifications.push")


class ApiGatewayPush:
    def __init__(self, management_client: Any, connections: ConnectionLookup) -> None:
        self._api, self._connections = management_client, connections

    def push(self, user_email: str, frame: dict[str, Any]) -> int:
        data = json.dumps(frame, ensure_ascii=False).encode()
        delivered = 0
        for connection_id in self._connections.for_user(user_email):
            try:
                self._api.post_to_connection(ConnectionId=connection_id, Data=data)
                delivered += 1
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "GoneException":
                    self._connections.remove(connection_id)  # the socket is gone: forget it
                else:
                    slog.log(
                        _log,
                        logging.WARNING,
                        "push failed",
                        connectionId=connection_id,
                        error=error.response.get("Error", {}).get("Code"),
                    )
            except BotoCoreError as error:  # gateway unreachable: the inbox row stays unpushed
                slog.log(_log, logging.WARNING, "push failed", connectionId=connection_id, error=str(error))
        return delivered
