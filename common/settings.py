"""BaseSettings: one frozen Struct per service, read from the environment once."""

import os
from collections.abc import Mapping
from typing import Self

import msgspec


class BaseSettings(msgspec.Struct, frozen=True, kw_only=True):
    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    valkey_url: str = "redis://127.0.0.1:6379/0"
    log_level: str = "INFO"
    # signs session tokens; `grindstone up` creates one per data folder
    secret: str = ""
    # origins besides the site's own whose pages may write (comma-separated)
    allowed_origins: str = ""

    @classmethod
    def from_env(cls, prefix: str, env: Mapping[str, str] = os.environ) -> Self:
        """Read NAME, GRINDSTONE_NAME or <PREFIX>_NAME for every field; the last one wins."""
        values: dict[str, str] = {}
        for field in msgspec.structs.fields(cls):
            keys = (field.name.upper(), f"GRINDSTONE_{field.name}".upper())
            for key in (*keys, f"{prefix}_{field.name}".upper()):
                if key in env:
                    values[field.name] = env[key]
        return msgspec.convert(values, cls, strict=False)


def nats_replicas(env: Mapping[str, str] = os.environ) -> int:
    """NATS_REPLICAS (default 1): copies of every stream, bucket and durable consumer we make;
    3 on a three-node cluster, where any one node may go."""
    return int(env.get("NATS_REPLICAS") or 1)
