"""The deployment files in infra/ as data, for the tests that check them: the Kubernetes
manifests, the compose file and the NATS and nginx configurations they use."""

import functools
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
K8S = INFRA / "k8s"
COMPOSE = INFRA / "compose.yaml"
COMPOSE_NATS = INFRA / "compose" / "nats.conf"
NGINX_ENTRYPOINT = INFRA / "nginx" / "container.sh"

# each Python service: its health endpoint and the port it listens on in a container
HEALTH = {
    "command-api": ("/api/command/health", 8101),
    "query-api": ("/api/health", 8102),
    "push": ("/ws/health", 8103),
    "projector": ("/health", 9100),
    "grader": ("/health", 9100),
}
HTTP_SERVICES = ("command-api", "query-api", "push")
# nginx's environment: each upstream's replicas (container.sh)
UPSTREAMS = {
    "GRINDSTONE_COMMAND_API": "command-api",
    "GRINDSTONE_QUERY_API": "query-api",
    "GRINDSTONE_PUSH": "push",
}

Doc = dict[str, Any]


@functools.cache  # read once per test run: the tests only look
def k8s_documents() -> dict[str, list[Doc]]:
    """Every YAML document of infra/k8s, by file name."""
    return {
        path.name: [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
        for path in sorted(K8S.glob("*.yaml"))
    }


def k8s_objects() -> list[Doc]:
    """The objects kustomization.yaml deploys."""
    files = k8s_documents()
    return [doc for name in files["kustomization.yaml"][0]["resources"] for doc in files[name]]


def k8s_object(kind: str, name: str) -> Doc:
    (found,) = [d for d in k8s_objects() if d["kind"] == kind and d["metadata"]["name"] == name]
    return found


def workloads() -> list[Doc]:
    return [d for d in k8s_objects() if d["kind"] in ("Deployment", "StatefulSet")]


def containers(workload: Doc) -> list[Doc]:
    return list(workload["spec"]["template"]["spec"]["containers"])


def container_port(container: Doc, port: int | str) -> int:
    """A probe's or Service's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p["name"] == port]
    return int(number)


def nats_conf_in_k8s() -> str:
    return str(k8s_object("ConfigMap", "nats")["data"]["nats.conf"])


def nats_routes(conf: str) -> list[str]:
    """host:port of each route in a nats-server configuration's cluster block."""
    return re.findall(r"nats-route://([^\s,\]]+)", conf)


@functools.cache
def compose() -> Doc:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def compose_services() -> dict[str, Doc]:
    return dict(compose()["services"])
