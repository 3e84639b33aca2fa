"""`python -m services.projector [run|schema|rebuild|reapply]`: project, create the tables,
rebuild, or apply the events set aside before."""

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import uvloop
from nats.aio.client import Client
from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from common import cache, checkpoints, db, health, logs, metrics, system_metrics
from common import nats as gnats
from common.runtime import until_stopped
from services.projector import reapply, replay, runner, schema
from services.projector.settings import Settings, from_env

log = logging.getLogger(__name__)


Connections = tuple[Client, JetStreamContext, AsyncConnectionPool[Any], cache.Cache]


@contextlib.asynccontextmanager
async def connections(settings: Settings) -> AsyncIterator[Connections]:
    nc = await gnats.connect(settings.nats_url, "projector")
    pool = await db.open_pool(settings.database_url, max_size=2)
    client = cache.connect(settings.valkey_url)
    try:
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        await schema.create(pool)
        yield nc, js, pool, cache.Cache(client)
    finally:
        await nc.drain()
        await pool.close()
        await client.aclose()


async def run(settings: Settings) -> None:
    async with connections(settings) as (nc, js, pool, store):
        await runner.recover(js, pool, store)
        await reapply.set_aside_events(js, pool, store)  # a fixed projector takes them now
        log.info("projecting from checkpoint %d", (await schema.checkpoints(pool))[0])
        projecting = runner.consume(js, pool, store, idle_poll_s=settings.idle_poll_s)
        checkpointing = checkpoints.run(
            js, settings.secret, settings.checkpoint_every_events, settings.checkpoint_every_s
        )  # its own task and position (the latest checkpoint): see docs/design.md
        metrics.REGISTRY.add_collector(system_metrics.collector(js, pool))
        alive = health.WorkerHealth(nc)
        port, host = settings.metrics_port, settings.metrics_host
        async with metrics.listener(port, host=host, health=alive.problem):
            await until_stopped(alive.watch(asyncio.gather(projecting, checkpointing)))


async def create_schema(settings: Settings) -> None:
    pool = await db.open_pool(settings.database_url, max_size=1)
    try:
        await schema.create(pool)
    finally:
        await pool.close()


async def rebuild(settings: Settings) -> None:
    async with connections(settings) as (_, js, pool, store):
        report = await replay.replay(js, pool, store)  # aside, then switched in: no downtime
        log.info("rebuilt the read models, live from %d", report.switched_at)


async def reapply_set_aside(settings: Settings) -> None:
    async with connections(settings) as (_, js, pool, store):
        log.info("applied %d set-aside events", await reapply.set_aside_events(js, pool, store))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.projector", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "schema", "rebuild", "reapply"],
        help="run: project the stream (default); schema: create the tables and exit; "
        "rebuild: rebuild the read models from the stream aside and switch them in "
        "(what `grindstone replay` does); "
        "reapply: apply the events set aside before (also done at every start)",
    )
    command = parser.parse_args(argv).command
    settings = from_env()
    logs.configure(settings.log_level, "projector")
    jobs = {"run": run, "schema": create_schema, "rebuild": rebuild, "reapply": reapply_set_aside}
    uvloop.run(jobs[command](settings))  # cheaper per round trip than the default loop


if __name__ == "__main__":
    main()
