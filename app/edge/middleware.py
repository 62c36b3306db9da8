"""The edge: what every request needs, done once, in one place, for every response.

One WSGI middleware around Flask: it sets the client's address from trusted proxies, makes
the request id, counts the rate limits, adds the security, CORS and request-id headers, and
writes the log line and the metrics. A GET of the guidance already in the store
(``app.guidance.store``) is answered here by lookup; everything else goes to Flask, whose
own hooks are only what a view needs (the response languages, and the one error handler).

A request over its limit is refused here, by the one error handler, so that the 429 is the
same problem, in the caller's language, as any other.
"""

import time
from functools import lru_cache
from urllib.parse import parse_qsl

from werkzeug.exceptions import HTTPException

from app.edge.addresses import base_url
from app.edge.observability import record, request_id
from app.edge.problems import Problem, TooManyRequests
from app.edge.security import HSTS
from app.guidance.store import RESOURCES, key_for

READS = ("GET", "HEAD")
# The request headers a stored response may depend on, as the WSGI environ names them.
STORE_HEADERS = {
    name: "HTTP_" + name.upper().replace("-", "_")
    for name in ("Accept", "Accept-Language", "Accept-Datetime", "If-None-Match")
}


class Edge:
    """WSGI middleware around a Flask app: the one path every request takes in and out."""

    def __init__(self, app, *, store, limits, proxies, cors, security_headers):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self.store = store
        self.public_base_url = app.config["PUBLIC_BASE_URL"]
        self.limits = limits
        self.proxies = proxies
        self.cors = cors
        self.security_headers = security_headers
        self.secure_headers = [*security_headers, ("Strict-Transport-Security", HSTS)]
        self.routes = app.url_map.bind("localhost")
        self.route = lru_cache(maxsize=1024)(self.match)  # the same few paths, matched once

    def match(self, method: str, path: str) -> tuple[str | None, dict, str]:
        """The endpoint, path arguments and route pattern of a request: Flask's own routing, or None for no route."""
        try:
            rule, arguments = self.routes.match(path, method, return_rule=True)
        except HTTPException:  # no route, another method, or a redirect: Flask answers it
            return None, {}, "unmatched"
        return rule.endpoint, arguments, rule.rule

    def __call__(self, environ, start_response, refusal: Problem | None = None):
        """Answer a request; with ``refusal`` (a request the server could not read), answer that problem."""
        started = time.perf_counter()
        self.proxies.apply(environ)
        rid = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        endpoint, arguments, route = self.route(method, path)
        args = {}
        for name, value in parse_qsl(
            environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="werkzeug.url_quote"
        ):
            args.setdefault(name, value)
        cors, varies_by_origin = self.cors.headers(
            path,
            method,
            environ.get("HTTP_ORIGIN"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
        )
        security = self.secure_headers if environ.get("wsgi.url_scheme") == "https" else self.security_headers
        window = None
        answered = []

        def respond(status, headers, exc_info=None):
            """Flask's or the store's status and headers, with what belongs to every response."""
            answered.append(status)
            headers = list(headers)
            if not status.startswith("304"):
                headers += security  # a 304 carries only what RFC 9110 15.4.5 asks of it
            if varies_by_origin:
                add_vary(headers, "Origin")
            headers += cors
            if window is not None:
                headers += window.headers().items()
            headers.append(("X-Request-ID", rid))
            return start_response(status, headers, exc_info)

        if refusal is None:
            try:
                window = self.limits.count(method, endpoint or "", environ.get("REMOTE_ADDR", ""))
            except TooManyRequests as over_limit:
                refusal = over_limit
        if refusal is not None:
            body = self.refuse(environ, respond, refusal)
        else:
            body = self.from_store(environ, method, endpoint, arguments, args, respond)
            if body is None:
                body = self.wsgi_app(environ, respond)
        status = int(answered[0][:3]) if answered else 500
        record(method, route, path if endpoint else route, sorted(args), status, time.perf_counter() - started, rid)
        return body

    def from_store(self, environ, method, endpoint, arguments, args, respond):
        """The stored response to a GET or HEAD of the guidance, or None when the store does not have it yet."""
        if method not in READS or endpoint not in RESOURCES:
            return None
        try:
            key = key_for(
                endpoint,
                arguments,
                args.get,
                lambda name: environ.get(STORE_HEADERS[name]),
                lambda: base_url(environ, self.public_base_url),
            )
        except Problem:  # Flask answers it, through the one error handler
            return None
        entry = self.store.get(key)
        if entry is None:
            return None
        status, headers, body = entry.answer(environ.get("HTTP_IF_NONE_MATCH"))
        respond(status, headers)
        return [] if method == "HEAD" else [body]

    def refuse(self, environ, respond, problem):
        """A problem found at the edge, answered by the one error handler, in the caller's language."""
        with self.app.request_context(environ):
            response = self.app.make_response(self.app.handle_user_exception(problem))
            response = self.app.process_response(response)
            return response(environ, respond)


def add_vary(headers: list[tuple[str, str]], name: str) -> None:
    """Add ``name`` to the response's Vary header, or give it one."""
    for index, (header, value) in enumerate(headers):
        if header.lower() == "vary":
            headers[index] = (header, f"{value}, {name}")
            return
    headers.append(("Vary", name))
