"""nginx in front of a run: renders infra/nginx/{dev,prod}.conf.template and starts it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from common import embedded

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DEV = ROOT / "infra" / "nginx" / "dev.conf.template"
PROD = ROOT / "infra" / "nginx" / "prod.conf.template"


def web_root() -> Path:
    """GRINDSTONE_WEB_ROOT, else the built site (web/dist), built first if web/ is a Vite
    project without one, else the static pages in web/."""
    if os.environ.get("GRINDSTONE_WEB_ROOT"):
        return Path(os.environ["GRINDSTONE_WEB_ROOT"]).absolute()
    dist = WEB / "dist"
    if not (dist / "index.html").exists() and (WEB / "package.json").exists():
        build_site()
    return dist if (dist / "index.html").exists() else WEB


def build_site() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: it builds web/dist (Node 20 and npm)")
    steps = [[npm, "--prefix", str(WEB), "run", "build"]]
    if not (WEB / "node_modules").exists():
        steps.insert(0, [npm, "--prefix", str(WEB), "ci", "--no-audit", "--no-fund"])
    for argv in steps:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{done.stdout}{done.stderr}")


def render(
    prefix: Path,
    port: int,
    upstreams: dict[str, list[int]],
    template: Path = DEV,
) -> Path:
    """nginx.conf in `prefix`; `upstreams` names each HTTP service's replicas' ports."""
    prefix.mkdir(parents=True, exist_ok=True)
    values = {
        # as root, workers would drop to `nobody`, which cannot read a checkout under /root
        "USER_DIRECTIVE": "user root;" if os.geteuid() == 0 else "",
        "PREFIX": str(prefix),
        "MIME_TYPES": "/etc/nginx/mime.types",
        "NGINX_DIR": str(DEV.parent),  # json_errors.conf, included by both
        "PORT": str(port),
        "WEB_ROOT": str(web_root()),
    }
    for name, ports in upstreams.items():
        values[f"{name.upper()}_PORT"] = str(ports[0])
        values[f"{name.upper()}_SERVERS"] = " ".join(f"server 127.0.0.1:{p};" for p in ports)
    conf = prefix / "nginx.conf"
    text = template.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    if re.search(r"@[A-Z_]+@", text):
        raise ValueError(f"{template} names a value gateway.render does not fill in")
    conf.write_text(text)
    return conf


def start(
    prefix: Path,
    port: int,
    upstreams: dict[str, list[int]],
    template: Path = DEV,
) -> subprocess.Popen[bytes]:
    render(prefix, port, upstreams, template)
    proc = spawn(prefix)
    embedded.wait_for_port(port, proc, "nginx")
    return proc


def spawn(prefix: Path) -> subprocess.Popen[bytes]:
    """nginx on the configuration rendered in `prefix` (again, after it exited)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed: run `just setup` (it installs Debian's nginx)")
    conf = prefix / "nginx.conf"
    argv = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    return embedded.spawn([*argv, "-g", "daemon off;"], prefix / "nginx.out")
