"""Configuration from the environment, every value checked at start-up with a message that says what is wrong.

The README's "Running in production" table lists the same settings.
"""

import ipaddress
import os
import re
from pathlib import Path

from limits import parse_many

from app.edge import addresses

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WELSH_GOVERNMENT_ORIGINS = "https://gov.wales https://*.gov.wales https://llyw.cymru https://*.llyw.cymru"
DEFAULTS = {
    "GUIDANCE_CONTENT_DIR": str(PROJECT_ROOT / "content"),
    "CHECK_CORS_ORIGINS": WELSH_GOVERNMENT_ORIGINS,
    "EMBED_ORIGINS": WELSH_GOVERNMENT_ORIGINS,
    "CHECK_RATE_LIMIT": "60/minute",
    "READ_RATE_LIMIT": "600/minute",
    "RATELIMIT_STORAGE_URI": "sqlite://",
    "TRUSTED_PROXIES": "127.0.0.1",
    "LOG_LEVEL": "INFO",
    "STORE_MEGABYTES": "32",
    "REQUEST_SECONDS": "10",
    "CACHE_SECONDS": "300",
    "PUBLIC_BASE_URL": "",
}
_ORIGIN = re.compile(r"https?://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(Exception):
    """One or more settings are wrong; the message has a line for each."""


def origins(value: str) -> list[str]:
    found = value.replace(",", " ").split()
    bad = [o for o in found if not _ORIGIN.fullmatch(o)]
    if bad:
        raise ValueError(f"not origins ({', '.join(bad)}): write scheme://host, '*.' for every subdomain")
    return found


def networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(part, strict=False) for part in value.replace(",", " ").split()]
    except ValueError as error:
        raise ValueError(f"not IP addresses or networks: {error}") from None


def rate_limit(value: str) -> str:
    try:
        parse_many(value)
    except ValueError:
        raise ValueError("not a rate limit such as 60/minute or 10/second;100/hour") from None
    return value


def storage_uri(value: str) -> str:
    if not re.match(r"(sqlite|memory|redis|rediss|redis\+unix)://", value):
        raise ValueError(
            "must be sqlite:// (this machine), sqlite:///path/to/file, memory:// (one process)"
            " or a Redis address such as redis://localhost:6379/0"
        )
    return value


def content_dir(value: str) -> str:
    if not Path(value).is_dir():
        raise ValueError("no such directory")
    return value


def log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def megabytes(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ValueError("must be a whole number of megabytes, at least 1")
    return int(value) * 1024 * 1024


def seconds(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 300:
        raise ValueError("must be a whole number of seconds, from 1 to 300")
    return int(value)


def cache_seconds(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 86400:
        raise ValueError("must be a whole number of seconds, from 1 to 86400 (a day)")
    return int(value)


PARSERS = {
    "GUIDANCE_CONTENT_DIR": content_dir,
    "CHECK_CORS_ORIGINS": origins,
    "EMBED_ORIGINS": origins,
    "CHECK_RATE_LIMIT": rate_limit,
    "READ_RATE_LIMIT": rate_limit,
    "RATELIMIT_STORAGE_URI": storage_uri,
    "TRUSTED_PROXIES": networks,
    "LOG_LEVEL": log_level,
    "STORE_MEGABYTES": megabytes,
    "REQUEST_SECONDS": seconds,
    "CACHE_SECONDS": cache_seconds,
    "PUBLIC_BASE_URL": addresses.parse,
}


def load(environ: dict | None = None, overrides: dict | None = None) -> dict:
    """Every setting, from overrides, else the environment, else its default; all checked at once."""
    environ = os.environ if environ is None else environ
    raw = {name: environ.get(name, default) for name, default in DEFAULTS.items()}
    raw.update(overrides or {})
    settings, errors = {}, []
    for name, parse in PARSERS.items():
        value = raw[name]
        try:
            settings[name] = parse(value) if isinstance(value, str) else value
        except ValueError as error:
            errors.append(f"{name}={value!r}: {error}.")
    if errors:
        raise SettingsError("Bad configuration:\n" + "\n".join(errors))
    extra = {k: v for k, v in (overrides or {}).items() if k not in PARSERS}
    return {**settings, **extra}
