"""The whole system in the production configuration (replicas behind nginx with
infra/nginx/prod.conf.template) on the test servers, for the prod and browser tests."""

import contextlib
from collections.abc import Iterator

from grindstone_cli import stack
from tests import systems
from tests.conftest import Servers

REPLICAS = 2


@contextlib.contextmanager
def running(servers: Servers, name: str, nats_cluster: bool = False) -> Iterator[stack.System]:
    """`nats_cluster`: on a three-node NATS cluster of its own, as `just prod` runs."""
    with systems.running(
        servers, name, valkey_db=2, nats_cluster=nats_cluster, replicas=REPLICAS, prod=True
    ) as system:
        yield system
