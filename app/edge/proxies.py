"""Forwarded headers, believed only when they come from a proxy we trust.

Behind a load balancer every request arrives from the balancer's address; the
client's is in X-Forwarded-For. Anyone can send that header, so it is used only
when the connection itself comes from a configured proxy.
"""

import ipaddress
from functools import lru_cache


class TrustedProxies:
    """The client address and scheme from X-Forwarded-For/-Proto, when a trusted proxy sent them."""

    def __init__(self, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]):
        self.networks = networks
        self.trusted = lru_cache(maxsize=4096)(self.is_trusted)  # the same few addresses, parsed once

    def is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def apply(self, environ: dict) -> None:
        """Set the WSGI environ's REMOTE_ADDR and scheme to the client's, as a trusted proxy reports them."""
        if self.trusted(environ.get("REMOTE_ADDR", "")):
            chain = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
            while chain and self.trusted(chain[-1]):
                chain.pop()
            if chain:
                environ["REMOTE_ADDR"] = chain[-1]
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
