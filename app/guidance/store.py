"""The one store of the guidance's representations: each is rendered once, then every GET of it is a lookup.

A key is what a request negotiates to, not its raw text: the base URL its links start with, where
it has links (they are absolute: ``PUBLIC_BASE_URL``, or the request's scheme and host, so one
host's links are never another's), the resource (endpoint and path arguments), the response
languages, the format, and the query parameters the resource reads (``date``, ``version``), with
``Accept-Datetime``'s day on the TimeGate. A parameter a resource does not read changes nothing,
so ``?x=1`` and ``?x=2`` find the same entry, and a repeated one counts by its first value, as
the views read it. A value that is wrong raises its Problem while the key is worked out.

An entry is a complete response (a 200, or the TimeGate's 302), all its headers but those that
belong to one request (the request id, CORS and security headers, which the edge adds to every
response). The store holds at most ``budget`` bytes, the least recently used making way however
many hosts ask, and empties itself when the day in Wales changes: a version's state, and so its
headers, can change at midnight.

Plain Python: the edge (``app.edge.middleware``) answers from it before Flask; on a miss, the
view renders the response and stores it (``app.guidance.web.stored``).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import NamedTuple

from werkzeug.http import parse_etags

from app.guidance import negotiation
from app.guidance.caching import not_modified_headers

OK = "200 OK"
NOT_MODIFIED = "304 NOT MODIFIED"


class Resource(NamedTuple):
    """What one kind of guidance response depends on, beyond its path and the response languages."""

    params: tuple[str, ...] = ()  # query parameters read (besides lang and format)
    formats: bool = True  # JSON or HTML, negotiated
    timegate: bool = False  # reads Accept-Datetime
    own_language: bool = False  # a page in the language of its address, whatever was negotiated
    absolute: bool = True  # has absolute links (Link, Content-Location, Location): depends on the base URL

    @property
    def varies(self) -> tuple[str, ...]:
        """The request headers its responses vary on: its representations, and its problems alike."""
        return ("Accept",) * self.formats + ("Accept-Language",) + ("Accept-Datetime",) * self.timegate


RESOURCES = {
    "guidance.current": Resource(("date",), timegate=True),
    "guidance.versions": Resource(formats=False),
    "guidance.version": Resource(),
    "guidance.timemap": Resource(formats=False),
    "guidance.feed": Resource(formats=False),
    "guidance.section": Resource(("date",)),
    "guidance.changes": Resource(),
    "reminders.all_reminders": Resource(("date",)),
    "reminders.reminder": Resource(("date",)),
    "pages.guidance_page": Resource(("version",), formats=False, own_language=True, absolute=False),
}


def varies(endpoint: str | None) -> tuple[str, ...]:
    """The request headers any response of ``endpoint`` varies on (none known for another endpoint)."""
    resource = RESOURCES.get(endpoint)
    return resource.varies if resource else ()


def key_for(endpoint: str, view_args: dict, arg: Callable, header: Callable, base: Callable) -> tuple | None:
    """The store's key for a GET of ``endpoint``, or None for a response that is not stored.

    ``arg(name)`` gives a query parameter's first value, ``header(name)`` a request header's, or None; ``base()``
    the base URL the answer's links start with (``app.edge.addresses``), asked only of answers that have some."""
    resource = RESOURCES.get(endpoint)
    if resource is None:
        return None
    if resource.own_language:
        languages = (view_args["page_language"],)
    else:
        languages = negotiation.negotiate_languages(arg("lang"), header("Accept-Language"))
    chosen = negotiation.negotiate_format(arg("format"), header("Accept")) if resource.formats else None
    values = tuple(arg(name) for name in resource.params)
    if "date" in resource.params and values[0] is not None:
        negotiation.parse_day(values[0])
    moment = None
    if resource.timegate:
        given = header("Accept-Datetime")
        moment = negotiation.parse_accept_datetime(given) if given is not None else None
        if values[0] is not None:
            moment = None  # ?date= wins; the header had only to be well formed
    at = base() if resource.absolute else None
    return at, endpoint, tuple(sorted(view_args.items())), languages, chosen, values, moment


class Stored(NamedTuple):
    """One response: its status, headers and body, and for a 200 its ETag and what a 304 for it carries."""

    headers: list
    body: bytes
    etag: str | None
    not_modified: list
    status: str = OK

    @classmethod
    def of(cls, headers: list, body: bytes, status: str = OK) -> "Stored":
        """A response; a 200 with a strong ETag, the SHA-1 of its headers and body.

        The headers count because a 304 does not repeat them (Link, Deprecation, Last-Modified): when a
        successor takes effect, an old version's Link changes while its body does not, and the new ETag makes
        caches take the new headers instead of keeping the old ones."""
        if status != OK:
            return cls(headers, body, None, [], status)
        digest = hashlib.sha1(body)
        for name, value in headers:
            digest.update(f"\n{name}: {value}".encode("latin-1"))
        headers = [*headers, ("ETag", f'"{digest.hexdigest()}"')]
        return cls(headers, body, headers[-1][1], not_modified_headers(headers))

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)

    def answer(self, if_none_match: str | None) -> tuple[str, list, bytes]:
        """The status, headers and body for a request with this ``If-None-Match``, compared weakly (RFC 9110 13.1.2);
        a redirect has no validator, and answers the same whatever the request's."""
        if (
            self.etag
            and if_none_match
            and (if_none_match == self.etag or parse_etags(if_none_match).contains_weak(self.etag[1:-1]))
        ):
            return NOT_MODIFIED, self.not_modified, b""
        return self.status, self.headers, self.body


class Store:
    """Representations by key, at most ``budget`` bytes of them, for one day in Wales at a time."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[tuple, Stored] = OrderedDict()
        self.day = negotiation.today()
        self.lock = threading.Lock()  # the development server answers requests in threads

    def get(self, key: tuple) -> Stored | None:
        with self.lock:
            day = negotiation.today()
            if day != self.day:
                self.entries.clear()
                self.size, self.day = 0, day
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Stored) -> Stored:
        with self.lock:
            if key not in self.entries:
                self.entries[key] = entry
                self.size += entry.size
                while self.size > self.budget and len(self.entries) > 1:
                    _, dropped = self.entries.popitem(last=False)
                    self.size -= dropped.size
            return entry
