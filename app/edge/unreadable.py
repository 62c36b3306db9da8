"""Requests gunicorn cannot read as HTTP, as the Problems the one error handler answers.

gunicorn refuses a malformed request line or header, and an oversized one, before the app sees
the request; a broken chunked body it finds while the app reads the body. Both come here, so
that each is answered as problem+json like every other error, not as gunicorn's own HTML.
"""

from gunicorn.http import errors as http

from app.edge import problems


def body_problem(error: BaseException) -> problems.Problem | None:
    """The Problem for a body gunicorn could not read while the app read it, or None for any other error."""
    if isinstance(error, (http.InvalidChunkSize, http.ChunkMissingTerminator, http.InvalidChunkExtension)):
        return problems.MalformedBody()
    return None


def problem_for(error: BaseException, limits) -> problems.Problem | None:
    """The Problem for a request gunicorn could not read (``limits``: its config), or None for any other error."""
    if body_problem(error):
        return body_problem(error)
    if isinstance(error, http.LimitRequestLine):
        return problems.RequestLineTooLong(limit=limits.limit_request_line)
    if isinstance(error, http.LimitRequestHeaders):
        return problems.HeadersTooLarge(fields=limits.limit_request_fields, size=limits.limit_request_field_size)
    if isinstance(error, http.UnsupportedTransferCoding):
        return problems.UnsupportedTransferCoding()
    if isinstance(error, http.ExpectationFailed):
        return problems.ExpectationFailed()
    if isinstance(error, http.ParseException) and not isinstance(error, http.ConfigurationProblem):
        return problems.MalformedRequest()
    return None
