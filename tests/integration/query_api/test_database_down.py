"""PostgreSQL unreachable: a read Valkey cannot answer is a 503 with Retry-After, not a 500,
and the app answers again once the database is back."""

import socket
import uuid

from psycopg_pool import AsyncConnectionPool


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens here once the probe closes


async def test_a_read_with_the_database_down_is_a_503(client, student):
    _, headers = student()
    reader = client.app.state.reader
    working = reader.pool
    dead = AsyncConnectionPool(
        f"postgresql://nobody@127.0.0.1:{closed_port()}/none", min_size=1, timeout=1, open=False
    )
    await dead.open(wait=False)
    reader.pool = dead
    try:
        response = await client.get(f"/api/submissions/{uuid.uuid4()}", headers=headers)
    finally:
        reader.pool = working
        await dead.close()
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "unavailable"
    assert response.headers["retry-after"] == "5"
    again = await client.get(f"/api/submissions/{uuid.uuid4()}", headers=headers)
    assert again.status_code == 404
