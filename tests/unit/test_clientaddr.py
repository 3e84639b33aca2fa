"""The client address a limit counts: forwarded by a loopback proxy, else the socket peer."""

import pytest

from common.clientaddr import client_address


@pytest.mark.parametrize(
    ("headers", "peer", "expected"),
    [
        ({}, "203.0.113.9", "203.0.113.9"),
        ({"x-forwarded-for": "198.51.100.7"}, "127.0.0.1", "198.51.100.7"),
        ({"x-real-ip": "198.51.100.8", "x-forwarded-for": "198.51.100.7"}, "::1", "198.51.100.7"),
        ({"x-forwarded-for": "10.0.0.1, 198.51.100.7"}, "127.0.0.1", "198.51.100.7"),
        ({"x-forwarded-for": "198.51.100.7"}, "203.0.113.9", "203.0.113.9"),  # not our proxy
        ({"x-forwarded-for": "not an address"}, "127.0.0.1", "127.0.0.1"),
        ({}, "::ffff:203.0.113.9", "203.0.113.9"),
        ({}, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ({}, "testclient", "testclient"),
        ({}, None, "unknown"),
    ],
)
def test_the_address_counted(headers, peer, expected):
    assert client_address(headers, peer) == expected
