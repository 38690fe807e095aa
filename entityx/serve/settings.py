"""What a server process needs to know, passed through the environment.

uvicorn starts each of ``--workers N`` processes afresh and builds the app there, so the
options reach the workers as environment variables rather than as Python objects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MIB = 2**20


@dataclass(frozen=True)
class Settings:
    """token: required as ``Authorization: Bearer`` on /v1/ when set; max_bytes: the largest
    request body; max_documents: the most documents of one batch request; timeout: seconds a
    request may take before it is answered 503/504; read_timeout: seconds a client may take to
    send a whole request; kb: a JSONL file of the user's organisations, merged with the
    built-in knowledge base."""

    token: str | None = None
    max_bytes: int = 10 * MIB
    max_documents: int = 1000
    timeout: float = 60.0
    read_timeout: float = 30.0
    kb: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            token=os.environ.get("ENTITYX_TOKEN") or None,
            max_bytes=int(os.environ.get("ENTITYX_MAX_BYTES", cls.max_bytes)),
            max_documents=int(os.environ.get("ENTITYX_MAX_DOCUMENTS", cls.max_documents)),
            timeout=float(os.environ.get("ENTITYX_TIMEOUT", cls.timeout)),
            read_timeout=float(os.environ.get("ENTITYX_READ_TIMEOUT", cls.read_timeout)),
            kb=os.environ.get("ENTITYX_KB") or None,
        )

    def to_env(self) -> dict[str, str]:
        env = {"ENTITYX_MAX_BYTES": str(self.max_bytes), "ENTITYX_TIMEOUT": str(self.timeout),
               "ENTITYX_MAX_DOCUMENTS": str(self.max_documents),
               "ENTITYX_READ_TIMEOUT": str(self.read_timeout)}
        if self.token:
            env["ENTITYX_TOKEN"] = self.token
        if self.kb:
            env["ENTITYX_KB"] = self.kb
        return env
