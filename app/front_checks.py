"""Checks answered in front of Flask, once Flask has answered one of the same kind.

A check spends as long in Flask's request cycle and the hooks around every request as in
the engine. This WSGI middleware answers an ordinary ``POST /v1/check`` by itself, with the
same plain functions the view calls: ``checking.read_request``, ``checking.check_draft``,
``observability`` for the request id, log line and metrics, and ``limiting`` for the check
limit. The response's headers are Flask's own: the first check of each kind (the response
languages, and the scheme, on which HSTS depends) goes to Flask, and the headers of its 200
are kept, but for those that belong to one request.

Anything else goes to Flask, which answers as it always does, errors included, through the
one error handler: another method or address, a query other than ``lang``, an ``Origin``
(CORS), a body without a length or over 64 KiB, a body or ``lang`` that is wrong, a date with
no version, a client over its limit, and any failure of the engine. The draft is never kept.
"""

import io
import re
import time

from werkzeug.http import parse_options_header

from app import observability
from app.check.service import check_draft, read_request
from app.negotiation import negotiate_languages, today

PATH = "/v1/check"
# The one query a direct check takes: ?lang= with nothing that needs decoding.
LANG_QUERY = re.compile(r"lang=[A-Za-z,-]*")
# Response headers that belong to one request: made afresh for each.
PER_REQUEST = {"content-length", "x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}


class DirectChecks:
    """WSGI middleware: answer ordinary checks without entering Flask, with the headers Flask gave the first."""

    def __init__(self, app, library, rate_limits, json_provider, max_body_bytes):
        self.app = app
        self.library = library
        self.rate_limits = rate_limits
        self.json = json_provider
        self.max_body_bytes = max_body_bytes
        self.headers = {}  # (response languages, scheme): Flask's headers, but for the per-request ones

    def __call__(self, environ, start_response):
        if not self.ordinary(environ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        data = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        environ["wsgi.input"] = io.BytesIO(data)  # Flask can still read it
        query = environ.get("QUERY_STRING", "")
        try:
            body = read_request(parse_options_header(environ.get("CONTENT_TYPE", ""))[0].lower(), data)
            languages = negotiate_languages(query[len("lang="):] if query else None, environ.get("HTTP_ACCEPT_LANGUAGE"))
            version = self.library.in_force_on(body["date"] or today())
        except Exception:  # noqa: BLE001 - a problem: Flask answers it, through the one error handler
            return self.app(environ, start_response)
        kind = (languages, environ.get("wsgi.url_scheme"))
        headers = self.headers.get(kind)
        if headers is None:
            return self.learn(kind, environ, start_response)
        window = self.rate_limits.allows_check(environ.get("REMOTE_ADDR", ""))
        if window is None:
            return self.app(environ, start_response)  # Flask counts it too, and answers 429
        try:
            result = check_draft(version, body["text"], body["language"], body["account"], languages[0])
        except Exception:  # noqa: BLE001 - Flask answers the failure as a problem
            return self.app(environ, start_response)
        observability.count_verdict(result["verdict"])
        payload = self.json.response(result).get_data()
        request_id = observability.request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        start_response("200 OK", [*headers, ("Content-Length", str(len(payload))), *window.headers().items(),
                                  ("X-Request-ID", request_id)])
        observability.record("POST", PATH, PATH, ["lang"] if query else [], 200, time.perf_counter() - started,
                             request_id)
        return [payload]

    def ordinary(self, environ):
        """A check this middleware may answer: anything it cannot answer exactly as Flask would goes to Flask."""
        length = environ.get("CONTENT_LENGTH", "")
        query = environ.get("QUERY_STRING", "")
        return (environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO") == PATH
                and "HTTP_ORIGIN" not in environ and "HTTP_TRANSFER_ENCODING" not in environ
                and length.isdigit() and int(length) <= self.max_body_bytes
                and (not query or LANG_QUERY.fullmatch(query) is not None))

    def learn(self, kind, environ, start_response):
        """Let Flask answer, and keep the headers of its 200."""

        def keep_headers(status, headers, exc_info=None):
            if status == "200 OK":
                self.headers[kind] = [(name, value) for name, value in headers if name.lower() not in PER_REQUEST]
            return start_response(status, headers, exc_info)

        return self.app(environ, keep_headers)
