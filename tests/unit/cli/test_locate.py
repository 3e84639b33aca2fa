"""Finding the NATS server and the server secret of a run."""

import json
from pathlib import Path

import pytest

from grindstone_cli import locate, rundir


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty GRINDSTONE_DATA folder, with NATS_URL and GRINDSTONE_SECRET unset."""
    monkeypatch.setenv("GRINDSTONE_DATA", str(tmp_path))
    monkeypatch.delenv("NATS_URL", raising=False)
    monkeypatch.delenv("GRINDSTONE_SECRET", raising=False)
    return tmp_path


def write_run(folder: Path, **urls: str) -> None:
    (folder / "run.json").write_text(json.dumps(urls))


def test_the_flag_wins_over_the_environment_and_run_json(data: Path, monkeypatch) -> None:
    monkeypatch.setenv("NATS_URL", "nats://env:1")
    write_run(data, nats_url="nats://run:1")
    assert locate.nats_url("nats://flag:1") == "nats://flag:1"


def test_the_environment_wins_over_run_json(data: Path, monkeypatch) -> None:
    monkeypatch.setenv("NATS_URL", "nats://env:1")
    write_run(data, nats_url="nats://run:1")
    assert locate.nats_url(None) == "nats://env:1"


def test_run_json_of_the_data_folder_is_the_last_resort(data: Path) -> None:
    write_run(data, nats_url="nats://run:1", database_url="postgresql://x")
    assert locate.nats_url(None) == "nats://run:1"


def test_nothing_known_tells_to_start_just_up_or_set_nats_url(data: Path) -> None:
    with pytest.raises(locate.NotConfigured) as caught:
        locate.nats_url(None)
    assert "`just up`" in str(caught.value)
    assert "NATS_URL" in str(caught.value)


def test_a_broken_run_json_is_reported(data: Path) -> None:
    (data / "run.json").write_text("{oops")
    with pytest.raises(locate.NotConfigured, match=r"Cannot read .*run\.json"):
        locate.nats_url(None)


def test_the_secret_comes_from_the_environment_first(data: Path, monkeypatch) -> None:
    monkeypatch.setenv("GRINDSTONE_SECRET", "from-env")
    (data / "secret").write_text("from-file\n")
    assert locate.secret() == "from-env"


def test_the_secret_file_of_the_data_folder_is_used_otherwise(data: Path) -> None:
    (data / "secret").write_text("from-file\n")
    assert locate.secret() == "from-file"


def test_no_secret_is_a_clear_error_and_creates_nothing(data: Path) -> None:
    with pytest.raises(locate.NotConfigured, match="GRINDSTONE_SECRET"):
        locate.secret()
    assert list(data.iterdir()) == []


def test_run_json_is_written_private(tmp_path: Path) -> None:
    rundir.write_urls(tmp_path, {"nats_url": "nats://grindstone:pw@127.0.0.1:1"})
    assert (tmp_path / "run.json").stat().st_mode & 0o777 == 0o600
    assert rundir.read_urls(tmp_path) == {"nats_url": "nats://grindstone:pw@127.0.0.1:1"}
