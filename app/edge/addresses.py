"""The service's public address, which every Link, Content-Location and Location it sends starts with.

``PUBLIC_BASE_URL`` when it is set (an http(s) origin, with an optional path prefix); otherwise the request's
own scheme (as a trusted proxy reports it, ``app.edge.proxies``), Host and SCRIPT_NAME. Hosts are written
one way (lower case, no default port), so ``EXAMPLE.org:443`` and ``example.org`` are one address.
"""

import re
from urllib.parse import quote

from app.edge.problems import BadRequest

# A DNS name or IPv4 address, or an IPv6 address in brackets (RFC 3986 3.2.2), and an optional port.
HOST = re.compile(
    r"(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?",
    re.ASCII | re.IGNORECASE,
)
PATH_PREFIX = re.compile(r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*", re.ASCII)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_host(scheme: str, host: str) -> str | None:
    """``host`` (with its port) written one way, or None when it is not a host name, an address or a valid port."""
    match = HOST.fullmatch(host)
    if match is None or (match.group(1) and not 0 < int(match.group(1)) < 65536):
        return None
    host = host.lower()
    default = f":{DEFAULT_PORTS[scheme]}"
    return host.removesuffix(default)


def parse(value: str) -> str | None:
    """The ``PUBLIC_BASE_URL`` setting: ``https://host[:port][/prefix]``, without a trailing slash; empty for none."""
    if not value:
        return None
    scheme, separator, rest = value.partition("://")
    host, slash, path = rest.partition("/")
    path = (slash + path).rstrip("/")
    host = canonical_host(scheme, host) if separator and scheme in DEFAULT_PORTS else None
    if host is None or not PATH_PREFIX.fullmatch(path):
        raise ValueError(
            "must be an http or https origin such as https://guidance.gov.wales, with an optional path prefix"
            " (https://gov.wales/guidance-api), and no query or fragment"
        )
    return f"{scheme}://{host}{path}"


def base_url(environ: dict, configured: str | None) -> str:
    """Where the service's addresses start for this request: ``configured``, else the request's scheme and Host.

    A Host that is not a host name (``evil>"``) would end up inside a Link header: it is a 400."""
    if configured:
        return configured
    scheme = environ.get("wsgi.url_scheme", "http")
    given = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    host = canonical_host(scheme, given) if scheme in DEFAULT_PORTS else None
    if host is None:
        raise BadRequest()
    return f"{scheme}://{host}{quote(environ.get('SCRIPT_NAME', '').rstrip('/'))}"
