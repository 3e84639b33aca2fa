"""`python -m services.grader`: grade submissions until SIGTERM/SIGINT."""

import logging

import uvloop

from common import health, logs, metrics, system_metrics
from common import nats as gnats
from common.runtime import until_stopped
from services.grader import worker
from services.grader.settings import Settings, from_env

log = logging.getLogger(__name__)


async def main(settings: Settings) -> None:
    nc = await gnats.connect(settings.nats_url, f"grader {settings.grader_id}")
    try:
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        log.info(
            "grading with %d slots as %s; a job delivered more than %d times is set aside",
            settings.concurrency, settings.grader_id, settings.dead_after,
        )  # fmt: skip
        metrics.REGISTRY.add_collector(system_metrics.collector(js))
        alive = health.WorkerHealth(nc)
        port, host = settings.metrics_port, settings.metrics_host
        async with metrics.listener(port, host=host, health=alive.problem):
            await until_stopped(alive.watch(worker.run(js, settings)))
    finally:
        await nc.drain()


def run() -> None:
    settings = from_env()
    logs.configure(settings.log_level, "grader")
    uvloop.run(main(settings))  # cheaper per NATS round trip than the default loop


if __name__ == "__main__":
    run()
