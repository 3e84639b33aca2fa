"""nginx in front of a `just up` run: renders infra/nginx/dev.conf.template and starts it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from common import embedded

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "nginx" / "dev.conf.template"


def web_root() -> Path:
    """The built site (web/dist) when there is one, else the static pages in web/."""
    dist = ROOT / "web" / "dist"
    return dist if (dist / "index.html").exists() else ROOT / "web"


def render(prefix: Path, port: int, upstreams: dict[str, int]) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    values = {
        # as root, workers would drop to `nobody`, which cannot read a checkout under /root
        "USER_DIRECTIVE": "user root;" if os.geteuid() == 0 else "",
        "PREFIX": str(prefix),
        "MIME_TYPES": "/etc/nginx/mime.types",
        "PORT": str(port),
        "WEB_ROOT": str(web_root()),
        **{f"{name.upper()}_PORT": str(p) for name, p in upstreams.items()},
    }
    conf = prefix / "nginx.conf"
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if re.search(r"@[A-Z_]+@", text):
        raise ValueError(f"{TEMPLATE} names a value gateway.render does not fill in")
    conf.write_text(text)
    return conf


def start(prefix: Path, port: int, upstreams: dict[str, int]) -> subprocess.Popen[bytes]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed: run `just setup` (it installs Debian's nginx)")
    conf = render(prefix, port, upstreams)
    argv = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    proc = embedded.spawn([*argv, "-g", "daemon off;"], prefix / "nginx.out")
    embedded.wait_for_port(port, proc, "nginx")
    return proc
