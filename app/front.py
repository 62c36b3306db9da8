"""Repeat GETs of the guidance answered from memory, in front of Flask.

Every representation is rendered once (``web.represent``), yet a request that goes
through Flask still pays for routing, the extensions' hooks and a response object:
several times the cost of the lookup itself. This WSGI middleware keeps the finished
response Flask gave to a GET that ``web.represent`` marked storable, keyed by everything
the response can depend on (the address and query, the headers it varies on, scheme,
host, and today's date in Wales), and answers the same request again by itself.

What belongs to one request is made afresh each time, by the same code Flask uses:
the request id, the log line and metrics (``observability``), and the read limit
(``limiting``). A 304 is answered when ``If-None-Match`` matches. Anything else (another
method, a body, a first request, a client over its limit) goes to Flask, which answers
as it always does.
"""

import time
from typing import NamedTuple
from urllib.parse import parse_qsl

from werkzeug.datastructures import Headers
from werkzeug.http import parse_etags

from app import observability
from app.caching import not_modified_headers
from app.negotiation import today

STORABLE = "guidance.storable"  # set in the WSGI environ by web.represent: (route, endpoint, body of the 200)
HEADERS_OF_200 = "guidance.headers_of_200"  # set by web.GuidanceResponse when it answers 304 instead
# Request headers a stored response may vary on; a response that varies on anything else is not kept.
KEYED_HEADERS = {"accept": "HTTP_ACCEPT", "accept-language": "HTTP_ACCEPT_LANGUAGE",
                 "accept-datetime": "HTTP_ACCEPT_DATETIME", "origin": "HTTP_ORIGIN"}
# Response headers that belong to one request and are never kept.
PER_REQUEST = {"x-request-id"}


class Stored(NamedTuple):
    headers: list
    not_modified_headers: list
    body: bytes
    etag: str
    route: str
    endpoint: str
    query: list  # the query's parameter names, for the log line


class StoredResponses:
    """WSGI middleware: serve a stored response to a repeat GET, and store what Flask answers the first time."""

    def __init__(self, app, rate_limits, size=4096):
        self.app = app
        self.rate_limits = rate_limits
        self.size = size
        self.entries = {}

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] != "GET" or environ.get("CONTENT_LENGTH") or environ.get("HTTP_TRANSFER_ENCODING"):
            return self.app(environ, start_response)
        key = (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"), environ.get("PATH_INFO"),
               environ.get("QUERY_STRING"), *(environ.get(name) for name in KEYED_HEADERS.values()), today())
        entry = self.entries.get(key)
        if entry is not None:
            answer = self.answer(entry, environ, start_response)
            if answer is not None:
                return answer
            return self.app(environ, start_response)
        return self.store(key, environ, start_response)

    def store(self, key, environ, start_response):
        """Let Flask answer, and keep the 200 when web.represent made it and the key fully describes it.

        When Flask answered 304, the 200 it stood for is kept: revalidations, as from a CDN, are then
        answered from memory too, even by a worker that never sent the 200 itself."""
        seen = {}

        def keep_status(status, headers, exc_info=None):
            seen.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.app(environ, keep_status)
        marked = environ.get(STORABLE)
        if marked is None or seen.get("status") not in ("200 OK", "304 NOT MODIFIED"):
            return body
        headers = Headers(environ[HEADERS_OF_200] if seen["status"] == "304 NOT MODIFIED" else seen["headers"])
        varies = {name.strip().lower() for name in headers.get("Vary", "").split(",") if name.strip()}
        if not varies <= KEYED_HEADERS.keys() or "Set-Cookie" in headers or "ETag" not in headers:
            return body
        kept = [(name, value) for name, value in headers.items() if name.lower() not in PER_REQUEST]
        route, endpoint, data = marked
        query = sorted({name for name, _ in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)})
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = Stored(kept, not_modified_headers(kept), data, headers["ETag"], route, endpoint, query)
        return body

    def answer(self, entry, environ, start_response):
        """The stored response with this request's own headers; None sends the request on to Flask."""
        started = time.perf_counter()
        if not self.rate_limits.allows_read(environ.get("REMOTE_ADDR", ""), entry.endpoint):
            return None  # Flask answers with the 429
        request_id = observability.request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        if self.not_modified(environ.get("HTTP_IF_NONE_MATCH"), entry.etag):
            status, headers, body, code = "304 NOT MODIFIED", entry.not_modified_headers, [], 304
        else:
            status, headers, body, code = "200 OK", entry.headers, [entry.body], 200
        start_response(status, [*headers, ("X-Request-ID", request_id)])
        observability.record("GET", entry.route, environ.get("PATH_INFO"), entry.query, code,
                             time.perf_counter() - started, request_id)
        return body

    @staticmethod
    def not_modified(condition, etag):
        """Whether If-None-Match names the ETag, compared weakly (RFC 9110 13.1.2); the usual exact echo parses nothing."""
        if not condition:
            return False
        return condition == etag or parse_etags(condition).contains_weak(etag.strip('"'))
