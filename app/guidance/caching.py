"""How long a response may be cached (RFC 9111): published history never changes, today's answer may."""

from collections.abc import Iterable
from datetime import date

from app.guidance.content import Version

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


def cache_control(version: Version, requested_day: date, today: date, dated: bool) -> str:
    """A dated URL, or any answer for a past day, is immutable once its version is in force; else five minutes."""
    if version.effective_from <= today and (dated or requested_day < today):
        return IMMUTABLE
    return SHORT


# What a 304 carries (RFC 9110 15.4.5): the fields a cache updates its stored response with, the
# CORS fields a script on another origin needs to read the answer, and the request's id.
NOT_MODIFIED_FIELDS = frozenset(
    {
        "cache-control",
        "content-location",
        "date",
        "etag",
        "expires",
        "vary",
        "access-control-allow-origin",
        "access-control-expose-headers",
        "x-request-id",
    }
)


def not_modified_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers of a 200 that a 304 for the same request repeats; no content metadata, no content policy."""
    return [(name, value) for name, value in headers if name.lower() in NOT_MODIFIED_FIELDS]
