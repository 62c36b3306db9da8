"""What the guidance's views share: the version for the requested day, the format, and one way to respond.

Every response of the guidance is rendered here once and kept in the store (app.guidance.store).
"""

from urllib.parse import urlencode

import orjson
from flask import Response, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider

from app.edge.addresses import base_url
from app.edge.problems import Problem, UnsupportedLanguage
from app.guidance import fragments, links
from app.guidance.caching import last_modified
from app.guidance.negotiation import LANGUAGES, negotiate_format, parse_accept_datetime, parse_day, today
from app.guidance.representations import version_url
from app.guidance.store import RESOURCES, Stored, key_for, varies


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, encoding with orjson, which is several times faster than the standard
    library's encoder on a check's answer (the README has the figures). The JSON is always
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


def library():
    return current_app.extensions["guidance_library"]


def language():
    """The main response language (Welsh when both are asked for)."""
    return g.languages[0]


def one_language():
    """The language of a resource that has no bilingual form (the change feed: one feed a language); both is a 400."""
    if len(g.languages) > 1:
        raise UnsupportedLanguage(supported=", ".join(LANGUAGES))
    return g.languages[0]


def requested_day(timegate=False):
    """The day a request is about, and what said so: ``?date=`` (``"date"``); on a TimeGate, ``Accept-Datetime``
    (``"datetime"``); else today in Wales (None)."""
    value = request.args.get("date")
    header = request.headers.get("Accept-Datetime") if timegate else None
    from_header = parse_accept_datetime(header) if header is not None else None  # malformed is a 400 either way
    if value is not None:
        return parse_day(value), "date"
    if from_header is not None:
        return from_header, "datetime"
    return today(), None


def base():
    """Where this request's links start (app.edge.addresses): ``PUBLIC_BASE_URL``, or the request's scheme and host."""
    return base_url(request.environ, current_app.config["PUBLIC_BASE_URL"])


def redirect_from_base(response):
    """A redirect made by routing (``/cy`` to ``/cy/``, doubled slashes merged) goes where the service's links do:
    werkzeug writes its Location from the request's own scheme and Host, which ``PUBLIC_BASE_URL`` (a CDN's host,
    a path prefix) overrides. A Host that is not a host name is left as the asker wrote it: it is theirs."""
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303, 307, 308) and location.startswith(request.root_url):
        try:
            response.headers["Location"] = f"{base()}/{location[len(request.root_url) :]}"
        except Problem:
            pass
    return response


def dated_address(version, chosen):
    """The absolute dated address of ``version`` in this request's languages, and format when it is HTML (a
    stored answer depends on the negotiated format, not on how it was asked for)."""
    return base() + version_url(version.id, ",".join(g.languages)) + ("&format=html" if chosen == "html" else "")


def same_resource_in(other_language):
    """This resource's address in another language, with the parameters that choose it (such as ``date``)."""
    args = {name: request.args[name] for name in RESOURCES[request.endpoint].params if name in request.args}
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


def stored(render):
    """This request's representation from the store; the first time, ``render()`` makes it and it is kept.

    The edge answers later requests for it by itself (app.edge.middleware); this is the path of the first."""
    key = key_for(request.endpoint, request.view_args, request.args.get, request.headers.get, base)
    store = current_app.extensions["store"]
    entry = store.get(key)
    if entry is None:
        response = render()
        entry = store.put(key, Stored.of(list(response.headers.items()), response.get_data(), response.status))
    status, headers, body = entry.answer(request.headers.get("If-None-Match"))
    response = Response(body, status=status, headers=headers)
    if not any(name == "Content-Type" for name, _ in headers):
        del response.headers["Content-Type"]  # a redirect has no content, and so no type, as the edge answers it
    return response


def represent(version, body, fragment, *, others=(), version_links=False, memento=False):
    """The response for a resource of ``version`` (and of ``others`` it also describes), as JSON or HTML,
    rendered once and then served from the store."""
    chosen = negotiate_format(request.args.get("format"), request.headers.get("Accept"))
    return stored(lambda: render(version, others, body, fragment, chosen, version_links, memento))


def represent_on_requested_day(body, fragment, *args):
    """A resource of the version in force on the requested day: ``body(version, language, today, *args)``
    and ``fragment(version, language, today, prefix, *args)`` build its JSON and HTML."""
    day, _ = requested_day()
    version = library().in_force_on(day)
    return represent(
        version,
        lambda lang: body(version, lang, today(), *args),
        lambda lang, prefix: fragment(version, lang, today(), prefix, *args),
    )


def render(version, others, body, fragment, chosen, version_links, memento):
    """One representation of a version's resource, with every header of its own."""
    if chosen == "json":
        response = json_response(body)
    elif len(g.languages) == 1:
        response = Response(fragment(g.languages[0], ""), mimetype="text/html")
    else:
        response = Response(
            fragments.bilingual([fragment(lang, f"{lang}-") for lang in g.languages]), mimetype="text/html"
        )
    response.vary.update(varies(request.endpoint))
    response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
    changed = last_modified(library(), (version, *others), today())
    if changed is not None:
        response.headers["Last-Modified"] = links.http_date(changed)
    if version.withdrawal:  # in force, or scheduled: RFC 9745 lets the date be in the future
        response.headers["Deprecation"] = links.structured_date(version.withdrawal["effective_from"])
    header_links = []
    if version_links:
        header_links += links.original_links(base(), language())
        header_links += links.version_links(base(), library(), version, language(), LANGUAGES, today())
    if memento:
        header_links += links.memento_links(base(), library(), version, language(), today())
        response.headers["Memento-Datetime"] = links.http_date(version.effective_from)
        response.headers["Content-Location"] = dated_address(version, chosen)
    header_links.append(links.feed_link(base(), language()))
    response.headers["Link"] = ", ".join(header_links)
    return declared(response)


def found_at_memento(version):
    """The TimeGate's answer to ``Accept-Datetime`` (RFC 7089 4.1.1, 302-style negotiation, which Memento clients
    such as LANL's need): 302 Found at the dated address of the version in force then, with the original, TimeMap
    and memento links, and no content; rendered once, then served from the store."""

    chosen = negotiate_format(request.args.get("format"), request.headers.get("Accept"))

    def render():
        response = Response(status=302)
        del response.headers["Content-Type"]
        response.headers["Location"] = dated_address(version, chosen)
        response.vary.update(varies(request.endpoint))
        response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
        header_links = links.original_links(base(), language())
        header_links += links.memento_links(base(), library(), version, language(), today())
        header_links.append(links.feed_link(base(), language()))
        response.headers["Link"] = ", ".join(header_links)
        return declared(response)

    return stored(render)


def listing(body):
    """A JSON response about all versions (the list, the TimeMap's kin): short-lived, varies by language."""

    def render():
        response = json_response(body)
        response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
        response.headers["Link"] = links.feed_link(base(), language())
        return declared(response)

    return stored(render)


def declared(response):
    """A response that says its languages (Content-Language), and that they came from Accept-Language."""
    response.headers["Content-Language"] = ", ".join(g.languages)
    response.vary.add("Accept-Language")
    return response


def page_response(html, status=200):
    """A whole HTML page for people: short-lived in caches, like today's guidance."""
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = current_app.config["CACHE_CONTROL"]
    return declared(response)


def warm(app):
    """Render every representation of every version once, at start-up, into the store: JSON and HTML,
    each language and both, today's and dated; the lists, the TimeMaps, the change feeds and the pages. Their links
    start with ``PUBLIC_BASE_URL``, when it is set; otherwise with the local address (other hosts' are rendered on first
    use)."""
    for address in every_address(app.extensions["guidance_library"]):
        with app.test_request_context(address):
            app.preprocess_request()
            app.dispatch_request()


def every_address(library):
    """The address of every representation the store is filled with at start-up (with ``lang`` and ``format``)."""
    paths = [f"{links.API}/guidance", f"{links.API}/guidance/versions", f"{links.API}/guidance/timemap"]
    for version in library.versions:
        paths.append(f"{links.API}/guidance/versions/{version.id}")
        paths.append(f"{links.API}/guidance?date={version.effective_from.isoformat()}")
    published = library.published(today())
    current = published[-1].document("en") if published else {"sections": [], "reminders": []}
    paths += [f"{links.API}/guidance/sections/{s['id']}" for s in current["sections"]]
    paths += [f"{links.API}/reminders"] + [f"{links.API}/reminders/{r['id']}" for r in current["reminders"]]
    requests = [
        f"{path}{'&' if '?' in path else '?'}lang={languages}&format={chosen}"
        for path in paths
        for languages in ("en", "cy", "cy,en")
        for chosen in ("json", "html")
    ]
    feeds = [f"{links.FEED}?lang={language}" for language in LANGUAGES]
    pages = ["/", "/cy/"] + [f"{page}?version={v.id}" for page in ("/", "/cy/") for v in library.versions]
    return requests + feeds + pages
