"""The data folder of a `just up` run: embedded servers' data, the secret, and run.json."""

import json
import os
import secrets
from pathlib import Path

DEFAULT = ".grindstone"


def path() -> Path:
    return Path(os.environ.get("GRINDSTONE_DATA") or DEFAULT).absolute()


def secret(folder: Path) -> str:
    """The server secret: GRINDSTONE_SECRET, else the folder's own, made on first use."""
    if os.environ.get("GRINDSTONE_SECRET"):
        return os.environ["GRINDSTONE_SECRET"]
    file = folder / "secret"
    if not file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        file.touch(mode=0o600)
        file.write_text(secrets.token_urlsafe(32))
    return file.read_text().strip()


def write_urls(folder: Path, urls: dict[str, str]) -> None:
    (folder / "run.json").write_text(json.dumps(urls, indent=2) + "\n")


def read_urls(folder: Path) -> dict[str, str]:
    """The servers of the last `up` in this folder ({} when there was none)."""
    file = folder / "run.json"
    return dict(json.loads(file.read_text())) if file.exists() else {}
