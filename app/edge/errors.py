"""The one error path: every exception becomes an RFC 9457 problem in the caller's language."""

from flask import current_app, json, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from app.edge import unreadable
from app.edge.problems import MethodNotAllowed, Problem, problem_for_http_status
from app.guidance.negotiation import address_language
from app.guidance.store import varies

# Problem types are tag URIs (RFC 4151): stable names, listed in openapi.yaml and the README.
PROBLEM_TYPE_BASE = "tag:gov.wales,2021:social-media-guidance/problems/"


def as_problem(error):
    """The Problem that describes any exception raised while handling a request."""
    if isinstance(error, Problem):
        return error
    if unreadable.body_problem(error):
        return unreadable.body_problem(error)
    if isinstance(error, HTTPException):
        problem_class = problem_for_http_status(error.code)
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
        if problem_class is MethodNotAllowed:
            allowed = sorted(getattr(error, "valid_methods", None) or [])
            return MethodNotAllowed(method=request.method, allowed=", ".join(allowed), headers=headers)
        problem = problem_class(headers=headers)
        problem.status = error.code
        return problem
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return Problem()


def problem_response(error):
    problem = as_problem(error)
    if request.blueprint == "pages" or address_language(request.path):  # every address under /cy/ is a page
        return page_for(problem)
    body = {
        "type": PROBLEM_TYPE_BASE + problem.slug,
        "title": gettext(problem.title),
        "status": problem.status,
        "detail": gettext(problem.detail, **problem.params),
        **problem.extensions(gettext),
    }
    response = current_app.response_class(json.dumps(body), status=problem.status, mimetype="application/problem+json")
    response.headers.update(problem.headers)
    response.vary.update(varies(request.endpoint))  # a cache keeps a problem as it keeps a success
    return response


def register(app):
    app.register_error_handler(Exception, problem_response)


def page_for(problem):
    """The same problem, for a person on one of our pages: an HTML page in the page's language."""
    language = address_language(request.path) or "en"
    html = render_template(
        "error.html",
        language=language,
        title=gettext(problem.title),
        detail=gettext(problem.detail, **problem.params),
        home="/cy/" if language == "cy" else "/",
    )
    response = current_app.response_class(html, status=problem.status, mimetype="text/html")
    response.headers.update(problem.headers)
    return response
