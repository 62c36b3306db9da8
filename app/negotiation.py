"""Choosing the response language and the day a request is about, from its parameters and headers."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.problems import InvalidDate, UnsupportedLanguage

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
WALES = ZoneInfo("Europe/London")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def language_from_query(value):
    """The language a ``?lang=`` value names; an unsupported one is a 400."""
    language = value.strip().lower()
    if language not in LANGUAGES:
        raise UnsupportedLanguage(supported=", ".join(LANGUAGES))
    return language


def language_from_accept(header):
    """The best supported language for an ``Accept-Language`` header, by q-value; English if none fits."""
    return parse_accept_header(header or "", LanguageAccept).best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def negotiate_language(query_value, accept_header):
    """``?lang=`` wins; otherwise ``Accept-Language``; otherwise English."""
    if query_value is not None:
        return language_from_query(query_value)
    return language_from_accept(accept_header)


def today():
    """Today's date in Wales, which is when a version's effective date starts."""
    return datetime.now(WALES).date()


def parse_day(value, parameter="date"):
    """A ``YYYY-MM-DD`` calendar date; anything else, or an impossible day, is a 400."""
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(parameter=parameter) from None
