"""The address a request comes from, for limits counted per client address.

Behind our nginx every request arrives from the loopback proxy, which names the client in
`X-Real-IP` or `X-Forwarded-For` (set to its `$remote_addr`, never passed on from the client);
those headers are believed only from a loopback peer, else anyone could name any address.
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
        forwarded = headers.get("x-real-ip") or headers.get("x-forwarded-for", "").split(",")[-1]
        named = _parse(forwarded)
        if named is not None:
            return _key(named)
    return _key(peer_address)
