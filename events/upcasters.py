"""(wire name, from_version) -> pure dict -> dict functions that lift old payloads."""

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(wire_name: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(wire_name, from_version)] = fn
        return fn

    return register


def upcast(wire_name: str, version: int, target: int, payload: Payload) -> Payload:
    """Apply the chain of upcasters from `version` up to `target`."""
    while version < target:
        payload = UPCASTERS[(wire_name, version)](payload)
        version += 1
    return payload


# Every event is still at version 1: no upcasters yet. The first bump registers one here.
