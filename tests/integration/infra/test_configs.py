"""The configurations the containers run, checked by the real servers here: nginx as the site
image renders it (infra/nginx/container.sh) passes `nginx -t` and serves the site and the API;
the NATS nodes' configurations pass `nats-server -t` with the password from the environment;
kustomize builds the manifests."""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from common import embedded
from tests.infra_configs import (
    COMPOSE_NATS,
    INFRA,
    K8S,
    NGINX_ENTRYPOINT,
    UPSTREAMS,
    compose_services,
    k8s_object,
    nats_conf_in_k8s,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NATS_SERVER = embedded.BIN / "nats-server"


def nginx_env(prefix: Path, web_root: Path, upstreams: dict[str, str], port: int) -> dict:
    return {
        **os.environ,
        "GRINDSTONE_NGINX_TEMPLATE": str(INFRA / "nginx" / "prod.conf.template"),
        "GRINDSTONE_NGINX_DIR": str(INFRA / "nginx"),
        "GRINDSTONE_NGINX_PREFIX": str(prefix),
        "GRINDSTONE_WEB_ROOT": str(web_root),
        "GRINDSTONE_NGINX_BINARY": NGINX,
        "GRINDSTONE_PORT": str(port),
        **upstreams,
    }


def on_loopback(upstreams: dict[str, str]) -> dict[str, str]:
    """The same ports on 127.0.0.1: the services' names resolve only on their network."""
    return {
        variable: ",".join(f"127.0.0.1:{server.rpartition(':')[2]}" for server in value.split(","))
        for variable, value in upstreams.items()
    }


@pytest.fixture
def web_root() -> Iterator[Path]:
    """The site: readable by nginx's unprivileged workers (outside pytest's private tmp)."""
    folder = Path(tempfile.mkdtemp(prefix="grindstone-site-"))
    folder.chmod(0o755)
    (folder / "index.html").write_text("<!doctype html><html><head></head><body>hi</body></html>")
    (folder / "index.html").chmod(0o644)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("deployment", ["compose", "k8s"])
def test_the_site_image_config_passes_nginx_t(deployment, tmp_path, web_root) -> None:
    if deployment == "compose":
        upstreams = {v: compose_services()["nginx"]["environment"][v] for v in UPSTREAMS}
    else:
        upstreams = {v: k8s_object("ConfigMap", "nginx")["data"][v] for v in UPSTREAMS}
    env = nginx_env(tmp_path / "nginx", web_root, on_loopback(upstreams), 8080)
    done = subprocess.run(
        ["sh", str(NGINX_ENTRYPOINT), "-t"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    conf = (tmp_path / "nginx" / "nginx.conf").read_text()
    assert "listen 8080;" in conf and "127.0.0.1:8080" not in conf  # every address
    assert "upstream command_api { server 127.0.0.1:8101;" in conf


class Stub(BaseHTTPRequestHandler):
    """Every service at once: any GET answers which path it was asked."""

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def stub_service() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_site_image_serves_the_site_and_proxies_the_api(tmp_path, web_root) -> None:
    port = embedded.free_port()
    with stub_service() as service:
        upstreams = {variable: f"127.0.0.1:{service}" for variable in UPSTREAMS}
        env = nginx_env(tmp_path / "nginx", web_root, upstreams, port)
        log = tmp_path / "nginx.out"
        proc = embedded.spawn(["sh", str(NGINX_ENTRYPOINT)], log, env=env)
        try:
            embedded.wait_for_port(port, proc, "nginx")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as page:
                assert page.status == 200
                assert "default-src 'self'" in page.headers["Content-Security-Policy"]
                assert b'<meta name="csp-nonce"' in page.read()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health") as answer:
                assert json.load(answer) == {"path": "/api/health"}
        finally:
            embedded.stop(proc)


def nats_check(conf: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NATS_SERVER), "-t", "-c", str(conf)],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
    )


def test_the_compose_nats_config_passes_nats_server_t_with_its_password_from_the_env() -> None:
    node = {"NATS_SERVER_NAME": "nats-1"}
    done = nats_check(COMPOSE_NATS, {**node, "NATS_PASSWORD": "a-password"})
    assert done.returncode == 0, done.stderr
    assert nats_check(COMPOSE_NATS, node).returncode != 0  # no password: no server


def test_the_k8s_nats_config_passes_nats_server_t_with_its_password_from_the_env(
    tmp_path,
) -> None:
    conf = tmp_path / "nats.conf"
    conf.write_text(nats_conf_in_k8s())
    node = {"POD_NAME": "nats-0"}
    done = nats_check(conf, {**node, "NATS_PASSWORD": "a-password"})
    assert done.returncode == 0, done.stderr
    assert nats_check(conf, node).returncode != 0


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_builds_the_manifests_into_the_namespace() -> None:
    done = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    objects = [doc for doc in yaml.safe_load_all(done.stdout) if doc]
    kinds = {doc["kind"] for doc in objects}
    assert {"Deployment", "StatefulSet", "HorizontalPodAutoscaler", "Service"} <= kinds
    for doc in objects:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "grindstone", doc["metadata"]["name"]
