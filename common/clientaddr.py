"""The address a request comes from, for limits counted per client address.

Behind our nginx every request arrives from the loopback proxy, which names the client in
`X-Forwarded-For` (set to its `$remote_addr`, never passed on from the client; its last entry
should a proxy append instead). It is believed only from a loopback peer, else anyone could
name any address. `X-Real-IP` is not read: our nginx does not set it, so a client's own would
pass through.
IPv6 clients count per /64, the block one subscriber gets.
"""

import ipaddress
from collections.abc import Mapping

UNKNOWN = "unknown"


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_address(headers: Mapping[str, str], peer: str | None) -> str:
    """The client's address (an IPv6 client's /64): forwarded by a loopback proxy, else the
    socket peer; `unknown` when there is none."""
    peer_address = _parse(peer or "")
    if peer_address is None:
        return peer or UNKNOWN
    if peer_address.is_loopback:
        named = _parse(headers.get("x-forwarded-for", "").split(",")[-1])
        if named is not None:
            return _key(named)
    return _key(peer_address)
