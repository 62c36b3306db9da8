"""Choosing the response language and the day a request is about, from its parameters and headers.

The same few header values come with every request, so each is worked out once (``lru_cache``).
"""

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

from app.edge.problems import InvalidDate, InvalidDatetime, NotAcceptable, UnsupportedFormat, UnsupportedLanguage

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
WALES = ZoneInfo("Europe/London")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
LANGUAGE_TAG = re.compile(r"\s*(en|cy)(?:[-_][a-z0-9]{1,8})?\s*", re.ASCII | re.IGNORECASE)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# RFC 7089 2.1.1: Accept-Datetime is an rfc1123-date, RFC 9110's IMF-fixdate; its year, as RFC 5322's, 1900 or later.
IMF_FIXDATE = re.compile(
    rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) ({'|'.join(MONTHS)}) (19\d\d|[2-9]\d{{3}}) (\d\d):(\d\d):(\d\d) GMT",
    re.ASCII,
)


BILINGUAL = ("cy", "en")  # both at once, Welsh first, as gov.wales publishes bilingual material
WELSH_PAGES = "/cy/"  # the pages for people in Welsh; the English ones are at "/"
MEDIA_TYPES = {"json": "application/json", "html": "text/html"}


def languages_from_query(value: str) -> tuple[str, ...]:
    """The languages a ``?lang=`` value names: one, or ``cy,en`` for both; anything else is a 400."""
    # A region subtag changes nothing here: cy-GB is Welsh, en-GB English.
    parts = [LANGUAGE_TAG.fullmatch(part) for part in value.split(",")]
    languages = [part.group(1).lower() if part else None for part in parts]
    if None in languages or len(set(languages)) != len(languages) or len(languages) > 2:
        raise UnsupportedLanguage(supported=", ".join(LANGUAGES + (",".join(BILINGUAL),)))
    return BILINGUAL if len(languages) == 2 else tuple(languages)


def language_from_accept(header: str | None) -> str:
    """The supported language a reader ranks highest in ``Accept-Language``, by q-value, a regional tag counting
    as its language (``cy-GB`` is Welsh); English if none fits.

    Not werkzeug's ``best_match``, which prefers any exact match, however low its q, to a regional one: it
    answered ``cy-GB, en;q=0.5`` in English."""
    for value, quality in parse_accept_header(header or "", LanguageAccept):  # highest q first
        language = value.lower().replace("_", "-").partition("-")[0]
        if quality > 0 and language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def address_language(path: str) -> str | None:
    """The language an address fixes whatever the request asks: Welsh for every address under ``/cy/``, as its
    pages are, so that a person who mistypes one gets a Welsh page, not English JSON. None elsewhere."""
    return "cy" if path.startswith(WELSH_PAGES) else None


@lru_cache(maxsize=512)
def negotiate_languages(query_value: str | None, accept_header: str | None) -> tuple[str, ...]:
    """``?lang=`` wins; otherwise ``Accept-Language``; otherwise English. One language, or both."""
    if query_value is not None:
        return languages_from_query(query_value)
    return (language_from_accept(accept_header),)


@lru_cache(maxsize=512)
def negotiate_format(query_value: str | None, accept_header: str | None) -> str:
    """``json`` or ``html``: ``?format=`` wins; otherwise ``Accept`` by q-value (JSON on a tie); else a 406."""
    if query_value is not None:
        if query_value not in MEDIA_TYPES:
            raise UnsupportedFormat(supported=", ".join(MEDIA_TYPES))
        return query_value
    if not accept_header:
        return "json"
    best = parse_accept_header(accept_header, MIMEAccept).best_match(list(MEDIA_TYPES.values()))
    if best is None:
        raise NotAcceptable(supported=", ".join(MEDIA_TYPES.values()))
    return "json" if best == MEDIA_TYPES["json"] else "html"


@lru_cache(maxsize=512)
def parse_accept_datetime(value: str) -> date:
    """The day in Wales at an IMF-fixdate (``Accept-Datetime``, RFC 7089); anything else, or no such moment, is a 400.

    Exactly the grammar openapi.yaml describes: no other date format, no other zone than GMT, no 31 Apr;
    the day name is not checked against the date."""
    match = IMF_FIXDATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        day, month, year, hour, minute, second = match.groups()
        moment = datetime(int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        raise InvalidDatetime() from None
    return moment.astimezone(WALES).date()


def today() -> date:
    """Today's date in Wales, which is when a version's effective date starts."""
    return datetime.now(WALES).date()


def parse_day(value: str, parameter: str = "date") -> date:
    """A ``YYYY-MM-DD`` calendar date; anything else, or an impossible day, is a 400."""
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(parameter=parameter) from None
