"""Link headers: Memento (RFC 7089) TimeGate, TimeMap and memento links, and version links (RFC 5829).

Plain functions: each takes the service's base URL (``app.edge.addresses``) and the library of versions, and
returns header values whose URIs are absolute, as Memento clients need them (LANL's follows no relative one).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from app.guidance.content import Library, Version
from app.guidance.representations import API, version_url

WALES = ZoneInfo("Europe/London")
ORIGINAL = f"{API}/guidance"
TIMEMAP = f"{API}/guidance/timemap"
FEED = f"{API}/guidance/feed"
ATOM = "application/atom+xml"


def start_of_day(day: date) -> datetime:
    """Midnight in Wales at the start of ``day``: when a version, a withdrawal or a correction takes effect."""
    return datetime.combine(day, time(), WALES)


def http_date(day: date) -> str:
    """The start of a day in Wales as an HTTP date (always GMT)."""
    return format_datetime(start_of_day(day).astimezone(UTC), usegmt=True)


def structured_date(day: date) -> str:
    """The start of a day in Wales as an RFC 9651 Date (``@`` and Unix seconds), as the Deprecation header takes."""
    return f"@{int(start_of_day(day).timestamp())}"


def link(uri: str, **params: str) -> str:
    rendered = "".join(f'; {name.replace("_", "-")}="{value}"' for name, value in params.items())
    return f"<{uri}>{rendered}"


def original_links(base: str, language: str) -> list[str]:
    """What every guidance response says about the original resource, its TimeGate and its TimeMap."""
    return [
        link(f"{base}{ORIGINAL}?lang={language}", rel="original timegate"),
        link(f"{base}{TIMEMAP}?lang={language}", rel="timemap", type="application/link-format"),
    ]


def feed_link(base: str, language: str) -> str:
    """The change feed (``app.guidance.feed``) in the response's language, which every guidance answer links."""
    return link(f"{base}{FEED}?lang={language}", rel="alternate", type=ATOM)


def memento_links(base: str, library: Library, version: Version, language: str, today: date) -> list[str]:
    """first/last/prev/next memento links around ``version``, among the versions in force by today."""
    published = library.published(today)
    rels = {}
    if published:
        rels.setdefault(published[0], []).append("first")
        rels.setdefault(published[-1], []).append("last")
    if version in published:
        index = published.index(version)
        rels.setdefault(version, [])
        if index > 0:
            rels.setdefault(published[index - 1], []).append("prev")
        if index + 1 < len(published):
            rels.setdefault(published[index + 1], []).append("next")
    return [
        link(
            base + version_url(v.id, language), rel=" ".join(names + ["memento"]), datetime=http_date(v.effective_from)
        )
        for v, names in sorted(rels.items(), key=lambda item: item[0].effective_from)
    ]


def version_links(
    base: str, library: Library, version: Version, language: str, languages: Iterable[str], today: date
) -> list[str]:
    """RFC 5829 predecessor, successor and latest versions, and the other language (alternate, hreflang)."""
    before, after = library.neighbours(version)
    found = []
    if before:
        found.append(link(base + version_url(before.id, language), rel="predecessor-version"))
    if after and after.effective_from <= today:
        found.append(link(base + version_url(after.id, language), rel="successor-version"))
    published = library.published(today)
    latest = published[-1] if published else version
    found.append(link(base + version_url(latest.id, language), rel="latest-version"))
    for other in languages:
        if other != language:
            found.append(link(base + version_url(version.id, other), rel="alternate", hreflang=other))
    return found


def timemap(base: str, library: Library, language: str, today: date) -> str:
    """The TimeMap of the guidance in application/link-format (RFC 6690), one memento per version in force."""
    published = library.published(today)
    entries = [
        link(f"{base}{ORIGINAL}?lang={language}", rel="original"),
        link(f"{base}{ORIGINAL}?lang={language}", rel="timegate"),
        link(
            f"{base}{TIMEMAP}?lang={language}",
            rel="self",
            type="application/link-format",
            **(
                {"from": http_date(published[0].effective_from), "until": http_date(published[-1].effective_from)}
                if published
                else {}
            ),
        ),
    ]
    for index, version in enumerate(published):
        names = (["first"] if index == 0 else []) + (["last"] if index == len(published) - 1 else []) + ["memento"]
        entries.append(
            link(
                base + version_url(version.id, language),
                rel=" ".join(names),
                datetime=http_date(version.effective_from),
            )
        )
    return ",\n".join(entries) + "\n"
