"""The two baselines that do not depend on Grindstone: a bare Litestar endpoint served directly
(bench/bare_litestar.py) and nginx serving one static file, each as a context manager that
yields the URL to load."""

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from common import embedded

NGINX_CONF = """\
{user}
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def _folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="grindstone-baseline-")


@contextlib.contextmanager
def bare_litestar() -> Iterator[str]:
    port = embedded.free_port()
    with _folder() as folder:
        argv = [sys.executable, "-m", "bench.bare_litestar", str(port)]
        proc = embedded.spawn(argv, Path(folder) / "litestar.log", cwd=Path(__file__).parent.parent)
        try:
            embedded.wait_for_port(port, proc, "the bare Litestar endpoint")
            yield f"http://127.0.0.1:{port}/"
        finally:
            embedded.stop(proc)


@contextlib.contextmanager
def nginx_static(file: Path) -> Iterator[str]:
    """nginx, with its defaults and as many workers as cores, serving `file`."""
    port = embedded.free_port()
    with _folder() as folder:
        prefix = Path(folder)
        root = prefix / "root"
        root.mkdir()
        shutil.copy(file, root / file.name)
        root.chmod(0o755)
        prefix.chmod(0o755)
        user = "user root;" if os.geteuid() == 0 else ""  # as gateway.render does
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port, root=root))
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        proc = embedded.spawn([*argv, "-g", "daemon off;"], prefix / "nginx.out")
        try:
            embedded.wait_for_port(port, proc, "nginx")
            yield f"http://127.0.0.1:{port}/{file.name}"
        finally:
            embedded.stop(proc)
