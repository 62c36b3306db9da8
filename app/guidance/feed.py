"""The change feed: an Atom feed (RFC 4287) of the guidance's versions, one a language, so that a gov.wales page
or an app hears of a version that took effect, is scheduled, is withdrawn (or will be) or was corrected, without
polling the guidance itself.

An entry is one event, with an id that never changes (a tag URI, as the problem types are). Its ``updated`` is the
event's own day once the event has happened; for one announced for a later day (a version scheduled, a withdrawal
recorded ahead) it is the day the announcement was recorded, so it is never after the response's ``Date``: the
ledger's ``recorded`` day, else the day the file that says it was last written, and never after today. On the day
an announced event takes effect its entry gives way to the event's own (``scheduled`` to ``in-force``,
``withdrawal-scheduled`` to ``withdrawn``), a new entry that readers show as news.
"""

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date

from app.edge.problems import N_
from app.editor import ledger
from app.guidance import links
from app.guidance.content import Library, Version
from app.guidance.pages import PAGE_PATHS
from app.guidance.representations import API, version_url

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG = "tag:gov.wales,2021:social-media-guidance"
EVENTS_SCHEME = f"{TAG}/events"
AUTHOR_URIS = {"en": "https://www.gov.wales", "cy": "https://www.llyw.cymru"}
# What an entry of each kind is called, in the feed's language.
TITLES = {
    "in-force": N_("Version %(label)s came into force on %(date)s"),
    "scheduled": N_("Version %(label)s will come into force on %(date)s"),
    "withdrawal-scheduled": N_("Version %(label)s will be withdrawn on %(date)s"),
    "withdrawn": N_("Version %(label)s was withdrawn on %(date)s"),
    "corrected": N_("Version %(label)s was corrected on %(date)s"),
}
FEED_TITLE = N_("%(title)s: changes to the guidance")
FEED_SUBTITLE = N_("Each version of the guidance published, scheduled, withdrawn or corrected.")
AUTHOR = N_("Welsh Government")
CHANGES_TITLE = N_("Changes from version %(label)s")


@dataclass(frozen=True)
class Event:
    """Something that happened to a version, or is announced for it, as one entry of the feed."""

    kind: str  # a key of TITLES
    version: Version
    day: date  # the day it takes, or took, effect
    updated: date  # the entry's date: the day itself once it has come, else the day it was announced
    text: dict  # what it says, by language: the change note, or the reason
    name: str  # the end of its id, unique within the version's


@dataclass(frozen=True)
class Records:
    """When announcements for a later day were recorded: a withdrawal's ``recorded`` day in the ledger, else (a
    scheduled version, or a withdrawal written by hand) the day the file that says it was last written."""

    root: Path
    events: tuple[dict, ...]

    @classmethod
    def of(cls, content_dir: str | Path) -> "Records":
        entries, _ = ledger.read(content_dir)  # a ledger edited by hand is validate's to report; its days still serve
        return cls(Path(content_dir), tuple(entry.event for entry in entries))

    def version_announced(self, version: Version) -> date:
        """A scheduled version is in the ledger only once it is sealed, in force: until then, its files' day."""
        return self.written(*(self.root / version.id / name for name in ("version.yaml", "en.yaml", "cy.yaml")))

    def withdrawal_announced(self, version: Version) -> date:
        for event in self.events:
            ours = event["version"] in (version.id, None)  # its own, or the whole guidance's
            if event["event"] == "withdrawn" and ours and event["withdrawn"] == version.withdrawal:
                return event["recorded"]
        return self.written(self.root / version.id / "version.yaml", self.root / "guidance.yaml")

    @staticmethod
    def written(*paths: Path) -> date:
        """The day in Wales the latest of these files was written."""
        return max(datetime.fromtimestamp(path.stat().st_mtime, links.WALES).date() for path in paths if path.is_file())


def events(library: Library, records: Records, today: date) -> list[Event]:
    """Every event of every version, by today; newest first."""
    found = []
    for version in library.versions:
        notes = {language: version.document(language)["change_note"] for language in version.documents}
        if version.effective_from <= today:
            found.append(Event("in-force", version, version.effective_from, version.effective_from, notes, "in-force"))
        else:
            announced = min(records.version_announced(version), today)
            found.append(Event("scheduled", version, version.effective_from, announced, notes, "scheduled"))
        withdrawal = version.withdrawal
        if withdrawal and withdrawal["effective_from"] <= today:
            day = withdrawal["effective_from"]
            found.append(Event("withdrawn", version, day, day, withdrawal["reason"], "withdrawn"))
        elif withdrawal:
            announced = min(records.withdrawal_announced(version), today)
            found.append(
                Event(
                    "withdrawal-scheduled",
                    version,
                    withdrawal["effective_from"],
                    announced,
                    withdrawal["reason"],
                    "withdrawal-scheduled",
                )
            )
        seen = []
        for correction in getattr(version, "corrections", ()):  # corrections of a published translation
            day = correction["date"]
            seen.append(day)
            if day <= today:
                name = f"corrected/{day.isoformat()}" + (f"-{seen.count(day)}" if seen.count(day) > 1 else "")
                found.append(Event("corrected", version, day, day, correction["reason"], name))
    return sorted(found, key=lambda event: (event.updated, event.day, event.version.effective_from), reverse=True)


def atom_date(day: date) -> str:
    """The start of a day in Wales as an RFC 3339 date-time, with its offset from UTC."""
    return links.start_of_day(day).isoformat()


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def atom(library: Library, records: Records, language: str, today: date, base: str, gettext: Callable) -> bytes:
    """The feed in ``language`` (``gettext`` translates into it), every link absolute from ``base``, as UTF-8 XML."""
    found = events(library, records, today)
    published = library.published(today) or library.versions
    page = base + PAGE_PATHS[language]
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: language})
    _element(feed, "id", f"{TAG}/feed/{language}")
    _element(feed, "title", gettext(FEED_TITLE) % {"title": published[-1].document(language)["title"]}, type="text")
    _element(feed, "subtitle", gettext(FEED_SUBTITLE), type="text")
    _element(feed, "updated", atom_date(max((event.updated for event in found), default=today)))
    author = _element(feed, "author")
    _element(author, "name", gettext(AUTHOR))
    _element(author, "uri", AUTHOR_URIS[language])
    _element(feed, "link", rel="self", type=links.ATOM, href=f"{base}{links.FEED}?lang={language}")
    _element(feed, "link", rel="alternate", type="text/html", hreflang=language, href=page)
    _element(
        feed,
        "link",
        rel="alternate",
        type="application/json",
        hreflang=language,
        href=f"{base}{API}/guidance?lang={language}",
    )
    for other in AUTHOR_URIS:
        if other != language:
            _element(
                feed, "link", rel="alternate", type=links.ATOM, hreflang=other, href=f"{base}{links.FEED}?lang={other}"
            )
    for event in found:
        _entry(feed, event, library, language, base, page, gettext)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed, event, library, language, base, page, gettext):
    version = event.version
    entry = _element(feed, "entry")
    _element(entry, "id", f"{TAG}/versions/{version.id}/{event.name}/{language}")
    label = version.document(language)["label"]
    day = format_date(event.day, "d MMMM y", locale=language)
    _element(entry, "title", gettext(TITLES[event.kind]) % {"label": label, "date": day}, type="text")
    _element(entry, "updated", atom_date(event.updated))
    _element(entry, "summary", event.text[language], type="text")
    _element(entry, "category", scheme=EVENTS_SCHEME, term=event.kind)
    json_link = base + version_url(version.id, language)
    _element(entry, "link", rel="alternate", type="application/json", hreflang=language, href=json_link)
    _element(entry, "link", rel="alternate", type="text/html", hreflang=language, href=f"{page}?version={version.id}")
    before, _ = library.neighbours(version)
    if before and event.kind in ("in-force", "scheduled"):
        _element(
            entry,
            "link",
            rel="related",
            type="application/json",
            hreflang=language,
            title=gettext(CHANGES_TITLE) % {"label": before.document(language)["label"]},
            href=f"{base}{API}/guidance/versions/{before.id}/changes/{version.id}?lang={language}",
        )
