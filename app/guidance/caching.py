"""How long a response may be cached (RFC 9111), and when it last changed: honestly, for caches and CDNs.

No answer of the guidance is immutable. A dated version's answers change when a successor is published (its
``effective_to``) or takes effect (``status``, the Link header's successor, next and last), and when a
withdrawal is recorded or takes effect (``withdrawal_scheduled``, ``withdrawn``, ``Deprecation``), and when its
translation is corrected (its text, and ``corrections``). So every answer is fresh for ``CACHE_SECONDS`` (five
minutes by default), then revalidated with its ETag (a 304 from memory when nothing changed).
"""

from collections.abc import Iterable
from datetime import date

from app.guidance.content import Library, Version


def cache_control(seconds: int) -> str:
    """The Cache-Control of every answer of the guidance: shared caches may keep it ``seconds``, then revalidate."""
    return f"public, max-age={seconds}"


def last_modified(library: Library, versions: Iterable[Version], today: date) -> date | None:
    """The latest day, by today, on which what an answer says of ``versions`` changed by date: a version took
    effect, its successor did, its withdrawal did, or its text was corrected. None for an answer about a version still to come, whose
    days are all in the future: RFC 9110 8.8.2.1 forbids a Last-Modified after the response's Date.

    A change made by publishing (a successor scheduled, so ``effective_to`` set) has no date in the content;
    the ETag, not this, is the validator that catches it."""
    days = []
    for version in versions:
        _, successor = library.neighbours(version)
        days.append(version.effective_from)
        days += [successor.effective_from] if successor else []
        days += [version.withdrawal["effective_from"]] if version.withdrawal else []
        days += [correction["date"] for correction in version.corrections]
    past = [day for day in days if day <= today]
    return max(past) if past else None


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
