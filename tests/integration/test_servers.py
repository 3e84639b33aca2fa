"""The test servers are real and reachable."""

from common import nats as gnats
from events import subjects


async def test_the_events_stream_accepts_an_event(js):
    ack = await js.publish("events.test.x", b"{}")
    info = await js.stream_info(subjects.EVENTS_STREAM)
    assert ack.seq == info.state.last_seq == 1


async def test_valkey_and_postgres_answer(valkey, database_url):
    import psycopg

    assert await valkey.ping()
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("SELECT 41 + 1")
        assert (await cur.fetchone()) == (42,)
    assert gnats.WRONG_LAST_SEQUENCE == 10071
