"""Write events/schemas/<Name>.v<N>.json and, for new versions, events/samples/<Name>.v<N>.json."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import msgspec.inspect as mi

from events import EVENT_TYPES

ROOT = Path(__file__).resolve().parent.parent / "events"


def example(t: mi.Type) -> Any:
    """A plain, deterministic value of the given type, for a sample payload."""
    match t:
        case mi.UUIDType():
            return UUID(int=1)
        case mi.DateTimeType():
            return datetime(2026, 1, 1, tzinfo=UTC)
        case mi.StrType():
            return "text"
        case mi.IntType():
            return 1
        case mi.LiteralType():
            return t.values[0]
        case mi.ListType():
            return [example(t.item_type)]
        case mi.UnionType():
            return example(next(x for x in t.types if not isinstance(x, mi.NoneType)))
        case mi.StructType():
            return {
                f.encode_name: msgspec.to_builtins(f.default)
                if f.default is not mi.NODEFAULT
                else example(f.type)
                for f in t.fields
            }
    raise TypeError(f"no example for {t}")


def main() -> None:
    for name, cls in EVENT_TYPES.items():
        stem = f"{name}.v{cls.version}.json"
        schema = msgspec.json.schema(cls)
        (ROOT / "schemas" / stem).write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        sample = ROOT / "samples" / stem
        if not sample.exists():  # a deployed version's sample is never rewritten
            payload = example(mi.type_info(cls))
            sample.write_text(json.dumps(msgspec.to_builtins(payload), indent=2) + "\n")
        print(f"wrote {stem}")


if __name__ == "__main__":
    main()
