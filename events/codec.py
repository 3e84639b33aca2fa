"""encode()/decode(): the only bytes <-> event code."""

from collections.abc import Mapping
from typing import Any

import msgspec

from events.base import Event
from events.registry import EVENT_TYPES, WIRE_NAMES
from events.upcasters import upcast

TYPE_HEADER = "Event-Type"
VERSION_HEADER = "Event-Version"

_encoder = msgspec.json.Encoder()
_decoders = {name: msgspec.json.Decoder(cls) for name, cls in EVENT_TYPES.items()}
_raw = msgspec.json.Decoder(dict[str, Any])


class Unreadable(Exception):
    """A message this code cannot turn into an event; `str(exc)` says why, for operators."""


class UnknownEventType(Unreadable):
    """The message names an event type this code does not know."""


class UnsupportedVersion(Unreadable):
    """The message is newer than this code: deploy readers before writers."""


class Malformed(Unreadable):
    """The body or the headers do not make the event they name (bad JSON, missing fields)."""


def encode(event: Event) -> tuple[bytes, dict[str, str]]:
    name = WIRE_NAMES[type(event)]
    headers = {TYPE_HEADER: name, VERSION_HEADER: str(type(event).version)}
    return _encoder.encode(event), headers


def wire_name(headers: Mapping[str, str] | None) -> str:
    return (headers or {}).get(TYPE_HEADER, "")


def decode(data: bytes, headers: Mapping[str, str] | None) -> Event:
    """The event; raises an `Unreadable` that says why when the message is not one."""
    name = wire_name(headers)
    cls = EVENT_TYPES.get(name)
    if cls is None:
        raise UnknownEventType(f"unknown event type {name!r}" if name else "no Event-Type header")
    raw_version = (headers or {}).get(VERSION_HEADER, "1")
    if not (raw_version.isascii() and raw_version.isdigit()):
        raise Malformed(f"{name}: Event-Version {raw_version!r} is not a number")
    version = int(raw_version)
    if version > cls.version:
        raise UnsupportedVersion(f"{name} v{version} is newer than this code (v{cls.version})")
    try:
        if version == cls.version:
            return _decoders[name].decode(data)
        payload = upcast(name, version, cls.version, _raw.decode(data))
        return msgspec.convert(payload, cls)
    except (msgspec.DecodeError, LookupError, TypeError, ValueError) as exc:  # an upcaster too
        raise Malformed(f"{name} v{version} is malformed: {exc}") from exc
