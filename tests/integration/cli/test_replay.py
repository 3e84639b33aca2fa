"""`grindstone replay` as a command against the real servers: the report, its exit status."""

import json
import uuid

import pytest

from common import cache, db
from grindstone_cli.__main__ import main
from services.projector import runner, schema
from tests.integration.projector.history import Submission, append, dump, published


@pytest.fixture
async def system(js, servers, database_url, valkey) -> list[str]:
    return [
        *("--nats-url", servers.nats_url),
        *("--database-url", database_url),
        *("--valkey-url", servers.valkey_url),
    ]


async def test_the_command_rebuilds_and_reports(js, database_url, valkey, system, capsys):
    assignment_id = uuid.uuid4()
    sub = Submission(uuid.uuid4(), assignment_id)
    await append(js, published(assignment_id, 1), sub.created(), sub.started(), sub.graded())
    pool = await db.open_pool(database_url, max_size=2)
    try:
        await schema.create(pool)
        await runner.catch_up(js, pool, cache.Cache(valkey))
        before = await dump(pool)
        status = await _run("replay", "--json", *system)
        assert status == 0
        report = json.loads(capsys.readouterr().out)
        assert report["events"] == 4 and report["switched_at"] == 4
        assert report["projections"] == ["assignments_v3", "submissions_v2", "progress", "runs"]
        assert report["events_per_s"] > 0
        assert await dump(pool) == before

        assert await _run("replay", "--projection", "progress", *system) == 0
        out = capsys.readouterr().out
        assert out.startswith("Rebuilt progress from 4 events") and "events/s" in out
    finally:
        await pool.close()


async def test_an_unknown_projection_is_named(system, capsys):
    assert await _run("replay", "--projection", "nope", *system) == 2
    assert (
        "no projection nope; there are assignments, submissions, progress"
        in capsys.readouterr().err
    )


def test_it_has_help(capsys):
    with pytest.raises(SystemExit):
        main(["replay", "--help"])
    assert "--projection NAME" in capsys.readouterr().out


async def _run(*argv: str) -> int:
    from grindstone_cli.__main__ import parser

    args = parser().parse_args(list(argv))
    return int(await args.run(args) or 0)
