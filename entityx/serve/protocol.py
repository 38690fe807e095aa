"""uvicorn's HTTP/1.1 protocol with a deadline for receiving each request, headers and body.

uvicorn closes idle keep-alive connections, but a client that sends part of its headers, or
part of a declared body, and then nothing, holds its connection (and, for a body, the app's
request) open forever: fifty of them are fifty sockets and tasks a server never gets back.
Here every request must arrive whole within ``ENTITYX_READ_TIMEOUT`` seconds of its first
byte (or of the connection, for the first one); past that the client gets ``408`` (when no
answer has begun) and the connection is closed.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from entityx.serve.settings import Settings

WAITING = (h11.IDLE, h11.SEND_BODY)  # what the client is in until its request is whole


class ReadTimeoutProtocol(H11Protocol):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.read_timeout = Settings.from_env().read_timeout
        self.deadline = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.arm()

    def data_received(self, data: bytes) -> None:
        if self.deadline is None and self.conn.their_state in WAITING:
            self.arm()
        super().data_received(data)
        if self.conn.their_state not in WAITING:
            self.disarm()

    def connection_lost(self, exc) -> None:
        self.disarm()
        super().connection_lost(exc)

    def arm(self) -> None:
        self.deadline = self.loop.call_later(self.read_timeout, self.timed_out)

    def disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def timed_out(self) -> None:
        self.deadline = None
        if self.transport.is_closing() or self.conn.their_state not in WAITING:
            return
        if self.conn.our_state is h11.IDLE:  # no answer begun: say why before closing
            body = json.dumps({"error": f"request not received whole within {self.read_timeout:g} s"})
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n{body}".encode()
            )
        self.transport.close()
