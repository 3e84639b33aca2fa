"""The wire format: every event survives a round trip; old samples still decode; schemas hold."""

import json
from datetime import UTC
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import EVENT_TYPES, CaseFeedback, Event, Feedback, Limits, SubmissionCreated, codec

EVENTS_DIR = Path(__file__).resolve().parents[3] / "events"
aware_utc = st.datetimes(timezones=st.just(UTC))
# msgspec shows list defaults and value constraints in ways hypothesis cannot infer
st.register_type_strategy(
    Feedback, st.builds(Feedback, tests=st.lists(st.builds(CaseFeedback), max_size=3))
)
st.register_type_strategy(
    Limits,
    st.builds(
        Limits,
        wall_ms=st.integers(100, 60_000),
        cpu_ms=st.integers(100, 60_000),
        memory_mb=st.integers(32, 4_096),
        output_kb=st.integers(1, 4_096),
    ),
)


@given(st.one_of(*(st.builds(cls, occurred_at=aware_utc) for cls in EVENT_TYPES.values())))
def test_every_event_survives_encode_then_decode(event: Event) -> None:
    assert codec.decode(*codec.encode(event)) == event


@pytest.mark.parametrize("sample", sorted((EVENTS_DIR / "samples").glob("*.json")), ids=str)
def test_every_deployed_sample_decodes_into_the_current_classes(sample: Path) -> None:
    name, version = sample.name.removesuffix(".json").rsplit(".v", 1)
    event = codec.decode(sample.read_bytes(), {"Event-Type": name, "Event-Version": version})
    assert isinstance(event, EVENT_TYPES[name])


@pytest.mark.parametrize("name", sorted(EVENT_TYPES))
def test_schema_snapshot_matches_the_class(name: str) -> None:
    cls = EVENT_TYPES[name]
    snapshot = EVENTS_DIR / "schemas" / f"{name}.v{cls.version}.json"
    assert json.loads(snapshot.read_text()) == msgspec.json.schema(cls), "run `just events-schema`"


def test_an_unknown_type_is_reported_not_guessed() -> None:
    with pytest.raises(codec.UnknownEventType):
        codec.decode(b"{}", {"Event-Type": "SomethingElse", "Event-Version": "1"})


def test_a_newer_version_stops_the_reader() -> None:
    data, headers = codec.encode(
        msgspec.json.decode(
            (EVENTS_DIR / "samples" / "SubmissionCreated.v1.json").read_bytes(),
            type=SubmissionCreated,
        )
    )
    with pytest.raises(codec.UnsupportedVersion):
        codec.decode(data, {**headers, "Event-Version": "2"})
