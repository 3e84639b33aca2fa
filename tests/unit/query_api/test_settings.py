"""Settings of the query API."""

from services.query_api.settings import PREFIX, Settings


def test_the_defaults_listen_on_loopback_8102():
    read = Settings.from_env(PREFIX, {})
    assert (read.host, read.port, read.wait_max_s) == ("127.0.0.1", 8102, 2.0)


def test_host_port_and_secret_come_from_the_environment():
    env = {"QUERY_API_HOST": "0.0.0.0", "QUERY_API_PORT": "9000", "GRINDSTONE_SECRET": "s"}
    read = Settings.from_env(PREFIX, env)
    assert (read.host, read.port, read.secret) == ("0.0.0.0", 9000, "s")
