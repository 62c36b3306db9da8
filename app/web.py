"""Request helpers shared by the blueprints: which version, languages and format; one way to respond."""

import hashlib
from collections import OrderedDict
from urllib.parse import urlencode

import orjson
from flask import Response, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import Headers

from app import fragments, front, links, negotiation
from app.caching import SHORT, cache_control, not_modified_headers
from app.negotiation import LANGUAGES, negotiate_format, parse_accept_datetime, parse_day, today


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, encoding with orjson: a check's answer and log line took 20 µs of the
    0.21 ms a check costs in process with the standard library's encoder. The JSON is always
    compact (as Flask's answers were), keys in order, UTF-8 unescaped, with dates and
    dataclasses through Flask's own ``default``; ``indent`` and ``sort_keys`` are honoured."""

    OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS

    def dumps(self, obj, **kwargs):
        options = self.OPTIONS
        if kwargs.get("indent"):
            options |= orjson.OPT_INDENT_2
        if kwargs.get("sort_keys", self.sort_keys):
            options |= orjson.OPT_SORT_KEYS
        return orjson.dumps(obj, default=kwargs.get("default", self.default), option=options).decode()


class GuidanceResponse(Response):
    """Flask's response, except that a 304 carries only what RFC 9110 15.4.5 asks of it, whoever added the rest.

    The headers it had until then are the 200's: app.front keeps them, to answer the next request itself."""

    def get_wsgi_headers(self, environ):
        if self.status_code == 304:
            environ[front.HEADERS_OF_200] = list(self.headers.items())
            return Headers(not_modified_headers(self.headers.items()))
        return super().get_wsgi_headers(environ)


def library():
    return current_app.extensions["guidance_library"]


def language():
    """The main response language (Welsh when both are asked for)."""
    return g.languages[0]


def requested_day(timegate=False):
    """The day a request is about: ``?date=``; on a TimeGate, ``Accept-Datetime``; else today in Wales."""
    value = request.args.get("date")
    header = request.headers.get("Accept-Datetime") if timegate else None
    from_header = parse_accept_datetime(header) if header is not None else None  # malformed is a 400 either way
    if value is not None:
        return parse_day(value), True
    if from_header is not None:
        return from_header, True
    return today(), False


def same_resource_in(other_language):
    """This request's address with ``lang`` set to another language, query kept."""
    args = request.args.to_dict()
    args["lang"] = other_language
    return f"{request.path}?{urlencode(args)}"


def alternates():
    """Links to this resource in every other language."""
    return [{"lang": other, "href": same_resource_in(other)} for other in LANGUAGES if other not in g.languages]


def with_alternates(body):
    body.setdefault("links", {})["alternate"] = alternates()
    return body


def json_response(body):
    """A JSON body in the negotiated languages: the body itself, or both keyed by language, Welsh first."""
    if len(g.languages) == 1:
        return jsonify(with_alternates(body(g.languages[0])))
    return jsonify({"languages": list(g.languages), **{lang: body(lang) for lang in g.languages}})


class Representations:
    """Rendered responses (body, ETag and headers) kept in memory: a request does negotiation and a lookup.

    The key is everything a response depends on: the address, the query, the negotiated languages and
    format, the day asked for and whether by date (a memento), and today's date (a version's state
    changes at midnight). Old entries make way for new.
    """

    def __init__(self, size=4096):
        self.size = size
        self.entries = OrderedDict()

    def get(self, key, render):
        entry = self.entries.get(key)
        if entry is None:
            entry = render()
            self.entries[key] = entry
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return entry


def represent(version, body, fragment, *, day, dated, version_links=False, memento=False):
    """The response for a resource of ``version``, rendered once and then served from memory."""
    chosen = negotiate_format(request.args.get("format"), request.headers.get("Accept"))
    key = (request.path, tuple(sorted(request.args.items(multi=True))), g.languages, chosen, day, dated, memento, today())
    entry = current_app.extensions["representations"].get(
        key, lambda: render(version, body, fragment, chosen, day, dated, version_links, memento)
    )
    request.environ[front.STORABLE] = (request.url_rule.rule, request.endpoint, entry["data"])  # app.front answers repeats
    if request.if_none_match.contains_weak(entry["etag"]):  # If-None-Match compares weakly (RFC 9110 13.1.2)
        return Response(status=304, headers=entry["headers"])  # GuidanceResponse keeps what a 304 repeats
    return Response(entry["data"], status=200, headers=entry["headers"])


def represent_on_requested_day(body, fragment, *args):
    """A resource of the version in force on the requested day: ``body(version, language, today, *args)``
    and ``fragment(version, language, prefix, *args)`` build its JSON and HTML."""
    day, _ = requested_day()
    version = library().in_force_on(day)
    return represent(
        version,
        lambda lang: body(version, lang, today(), *args),
        lambda lang, prefix: fragment(version, lang, prefix, *args),
        day=day, dated=False,
    )


def render(version, body, fragment, chosen, day, dated, version_links, memento):
    """The status, headers and body of one representation, with its strong ETag."""
    if chosen == "json":
        response = json_response(body)
    elif len(g.languages) == 1:
        response = Response(fragment(g.languages[0], ""), mimetype="text/html")
    else:
        response = Response(fragments.bilingual([fragment(lang, f"{lang}-") for lang in g.languages]), mimetype="text/html")
    response.vary.update(("Accept", "Accept-Language"))
    response.headers["Cache-Control"] = cache_control(version, day, today(), dated)
    response.headers["Last-Modified"] = links.http_date(version.effective_from)
    withdrawal = version.withdrawn(today())
    if withdrawal:
        response.headers["Deprecation"] = links.structured_date(withdrawal["effective_from"])
    header_links = []
    if version_links:
        header_links += links.original_links(language())
        header_links += links.version_links(library(), version, language(), LANGUAGES, today())
    if memento:
        header_links += links.memento_links(library(), version, language(), today())
        response.headers["Memento-Datetime"] = links.http_date(version.effective_from)
        response.headers["Content-Location"] = links.version_url(version.id, language())
    if header_links:
        response.headers["Link"] = ", ".join(header_links)
    data = response.get_data()
    etag = hashlib.sha1(data).hexdigest()
    response.headers["ETag"] = f'"{etag}"'
    return {"data": data, "etag": etag, "headers": list(response.headers.items())}


def listing(body):
    """A JSON response about all versions (the list, the TimeMap's kin): short-lived, varies by language."""
    response = json_response(body)
    response.vary.add("Accept-Language")
    response.headers["Cache-Control"] = SHORT
    return response


def page_response(html, status=200):
    """A whole HTML page for people: short-lived in caches, like today's guidance."""
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = SHORT
    return response


def warm(app):
    """Render every representation of every version once, at start-up: JSON and HTML, each language and both."""
    library = app.extensions["guidance_library"]
    paths = []
    for version in library.versions:
        paths.append(f"{links.API}/guidance/versions/{version.id}")
        paths.append(f"{links.API}/guidance?date={version.effective_from.isoformat()}")
    paths.append(f"{links.API}/guidance")
    published = library.published(today())
    current = published[-1].document("en") if published else {"sections": [], "reminders": []}
    paths += [f"{links.API}/guidance/sections/{s['id']}" for s in current["sections"]]
    paths += [f"{links.API}/reminders"] + [f"{links.API}/reminders/{r['id']}" for r in current["reminders"]]
    for path in paths:
        for languages in ("en", "cy", "cy,en"):
            for chosen in ("json", "html"):
                separator = "&" if "?" in path else "?"
                with app.test_request_context(f"{path}{separator}lang={languages}&format={chosen}"):
                    g.languages = negotiation.negotiate_languages(languages, None)
                    adapter = app.url_map.bind("localhost")
                    endpoint, arguments = adapter.match(path.split("?")[0])
                    app.view_functions[endpoint](**arguments)
