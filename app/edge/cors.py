"""CORS: the guidance may be read by a script on any origin; checks only from the allowed origins.

The headers are those flask-cors gave the service with its settings, made by the edge for every
response, those of Flask and those of the store alike (flask-cors works only on Flask's).
"""

import re
from functools import lru_cache

from app.guidance.representations import API

# Headers a browser script on another origin may read from our responses.
EXPOSED_HEADERS = ", ".join(
    sorted(
        [
            "Content-Language",
            "ETag",
            "Last-Modified",
            "Link",
            "Memento-Datetime",
            "Content-Location",
            "Deprecation",
            "Retry-After",
            "X-Request-ID",
        ]
    )
)
# Checks may be called only from the allowed origins; everything else under the API from any.
CHECKS = f"{API}/check"
READS = f"{API}/"
MAX_AGE = "86400"  # a browser may keep a preflight's answer for a day
CHECK_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
READ_METHODS = "GET, HEAD"


def origin_patterns(allowed: list[str]) -> list[re.Pattern]:
    """Allowed origins as patterns; ``https://*.gov.wales`` allows every subdomain."""
    patterns = []
    for origin in allowed:
        scheme, _, host = origin.partition("://")
        wildcard = host.startswith("*.")
        host = re.escape(host[2:] if wildcard else host)
        subdomains = r"([a-z0-9-]+\.)+" if wildcard else ""
        patterns.append(re.compile(f"^{re.escape(scheme)}://{subdomains}{host}$", re.IGNORECASE))
    return patterns


class Cors:
    """The CORS headers of a response, from its path, method and the request's CORS headers."""

    def __init__(self, check_origins: list[str]):
        self.check_origins = origin_patterns(check_origins)
        self.allowed = lru_cache(maxsize=256)(self.is_allowed)  # the same few origins, matched once

    def is_allowed(self, origin: str) -> bool:
        return any(pattern.match(origin) for pattern in self.check_origins)

    def headers(
        self, path: str, method: str, origin: str | None, requested_method: str | None, requested_headers: str | None
    ) -> tuple[list[tuple[str, str]], bool]:
        """The headers to add, and whether the response varies on ``Origin``."""
        if path.startswith(CHECKS):
            if not origin or not self.allowed(origin):
                return [], False
            headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
            methods = CHECK_METHODS
        elif path.startswith(READS):
            headers = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED_HEADERS)]
            methods = READ_METHODS
        else:
            return [], False
        if method == "OPTIONS" and requested_method and requested_method.upper() in methods.split(", "):
            if requested_headers:
                allowed = ", ".join(sorted(name.strip() for name in requested_headers.split(",") if name.strip()))
                headers.append(("Access-Control-Allow-Headers", allowed))
            headers += [("Access-Control-Max-Age", MAX_AGE), ("Access-Control-Allow-Methods", methods)]
        return headers, methods is CHECK_METHODS
