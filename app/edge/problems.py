"""Problems (RFC 9457): every error the service reports is one of these.

Plain Python, so the content, negotiation and check modules can raise them
without knowing about Flask. Titles and details are English message ids,
translated in the caller's language by the one error handler in ``errors.py``.
"""

from collections.abc import Callable


def N_(message: str) -> str:
    """Mark a message for translation without translating it yet."""
    return message


class Problem(Exception):
    """An error with an HTTP status, a stable type and a message for people."""

    status = 500
    slug = "internal-error"
    title = N_("Internal server error")
    detail = N_("Something went wrong on our side. Please try again later.")

    def __init__(self, detail: str | None = None, headers: dict[str, str] | None = None, **params: object):
        super().__init__(self.slug)
        if detail is not None:
            self.detail = detail
        self.params = params
        self.headers = headers or {}

    def extensions(self, translate: Callable[..., str]) -> dict:
        """Members beyond the standard five (RFC 9457 section 3.2), with their text translated."""
        return {}


class BadRequest(Problem):
    status = 400
    slug = "bad-request"
    title = N_("Bad request")
    detail = N_("The request could not be understood.")


class InvalidDate(BadRequest):
    slug = "invalid-date"
    title = N_("Invalid date")
    detail = N_(
        "The %(parameter)s parameter must be a real calendar date written as YYYY-MM-DD, for example 2021-03-01."
    )


class UnsupportedLanguage(BadRequest):
    slug = "unsupported-language"
    title = N_("Unsupported language")
    detail = N_("The lang parameter must be one of: %(supported)s.")


class UnsupportedFormat(BadRequest):
    slug = "unsupported-format"
    title = N_("Unsupported format")
    detail = N_("The format parameter must be one of: %(supported)s.")


class InvalidDatetime(BadRequest):
    slug = "invalid-datetime"
    title = N_("Invalid date and time")
    detail = N_("The Accept-Datetime header must be an HTTP date, for example: Mon, 01 Mar 2021 12:00:00 GMT.")


class NotAcceptable(Problem):
    status = 406
    slug = "not-acceptable"
    title = N_("Not acceptable")
    detail = N_(
        "This address can answer only in these media types: %(supported)s. Change the Accept header, or use the format parameter."
    )


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = N_("Not found")
    detail = N_("There is nothing at this address. The API starts at /v1/guidance.")


class NoVersionInForce(NotFound):
    slug = "no-version-in-force"
    title = N_("No version in force on that date")
    detail = N_(
        "No version of the guidance was in force on %(date)s. The earliest version took effect on %(earliest)s."
    )


class UnknownVersion(NotFound):
    slug = "unknown-version"
    title = N_("Version not found")
    detail = N_("There is no version '%(version)s' of the guidance. The list of versions is at /v1/guidance/versions.")


class UnknownSection(NotFound):
    slug = "unknown-section"
    title = N_("Section not found")
    detail = N_("This version of the guidance has no section '%(section)s'. Its sections are: %(known)s.")


class UnknownReminder(NotFound):
    slug = "unknown-reminder"
    title = N_("Reminder not found")
    detail = N_("There is no reminder '%(reminder)s'. The reminders are: %(known)s.")


class InvalidJson(BadRequest):
    slug = "invalid-json"
    title = N_("Invalid JSON")
    detail = N_("The request body is not valid JSON.")


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = N_("Unsupported media type")
    detail = N_("Send the request body as JSON, with the header Content-Type: application/json.")


class InvalidFields(Problem):
    """Fields of a request body that failed validation; ``errors`` names each field and what is wrong."""

    status = 422
    slug = "invalid-fields"
    title = N_("Invalid request")
    detail = N_("Some fields of the request are missing or wrong: %(fields)s.")

    def __init__(self, field_messages: dict[str, list[str]]):
        super().__init__(fields=", ".join(field_messages))
        self.field_messages = field_messages

    def extensions(self, translate: Callable[..., str]) -> dict:
        return {
            "errors": [
                {"field": field, "detail": translate(message)}
                for field, messages in self.field_messages.items()
                for message in messages
            ]
        }


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = N_("Request too large")
    detail = N_("The request body is larger than 64 KiB. A draft post is at most 5,000 characters.")


class TooManyRequests(Problem):
    status = 429
    slug = "too-many-requests"
    title = N_("Too many requests")
    detail = N_(
        "You have sent too many requests: the limit is %(amount)d in %(seconds)d seconds. Wait for the time in the Retry-After header, then try again."
    )


class RequestTimeout(Problem):
    status = 408
    slug = "request-timeout"
    title = N_("Request timeout")
    detail = N_("The request did not arrive in time: send the whole request within %(seconds)d seconds.")


class MalformedRequest(BadRequest):
    slug = "malformed-request"
    title = N_("Malformed request")
    detail = N_("The request is not valid HTTP/1.1: its request line or one of its headers is malformed.")


class MalformedBody(BadRequest):
    slug = "malformed-body"
    title = N_("Malformed request body")
    detail = N_("The request body is not validly framed: its chunked transfer coding is broken.")


class RequestLineTooLong(Problem):
    status = 414
    slug = "uri-too-long"
    title = N_("Address too long")
    detail = N_("The request line is longer than %(limit)d bytes.")


class HeadersTooLarge(Problem):
    status = 431
    slug = "headers-too-large"
    title = N_("Request headers too large")
    detail = N_("Send at most %(fields)d headers, each at most %(size)d bytes.")


class ExpectationFailed(Problem):
    status = 417
    slug = "expectation-failed"
    title = N_("Expectation failed")
    detail = N_("The only expectation this service meets is Expect: 100-continue.")


class UnsupportedTransferCoding(Problem):
    status = 501
    slug = "unsupported-transfer-coding"
    title = N_("Transfer coding not supported")
    detail = N_("Send the request body with Content-Length, or with Transfer-Encoding: chunked.")


class Unavailable(Problem):
    """The service behind a proxy did not answer (502, 503 or 504, answered by nginx)."""

    status = 503
    slug = "service-unavailable"
    title = N_("Service unavailable")
    detail = N_("The service did not answer in time. Please try again in a minute.")

    def __init__(self, status: int = 503):
        super().__init__()
        self.status = status


class NotReady(Problem):
    status = 503
    slug = "not-ready"
    title = N_("Not ready")
    detail = N_("The service is not ready to take requests: %(checks)s.")


class MethodNotAllowed(Problem):
    status = 405
    slug = "method-not-allowed"
    title = N_("Method not allowed")
    detail = N_("This address does not accept the %(method)s method. It accepts: %(allowed)s.")


def problem_for_http_status(status: int) -> type[Problem]:
    """The problem class for an HTTP error raised by the framework itself."""
    for problem in (BadRequest, NotFound, MethodNotAllowed, UnsupportedMediaType, PayloadTooLarge):
        if problem.status == status:
            return problem
    return Problem
