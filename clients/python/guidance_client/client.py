"""A Python client for the guidance API, for other Welsh Government apps: typed results, retries, ETags.

    from guidance_client import GuidanceClient
    client = GuidanceClient("https://guidance.example", timeout=5, retries=3)
    result = client.check("Pleidleisiwch dros Lafur!", language="cy")
    print(result.verdict, [f.rule for f in result.findings])

One requests.Session pools connections; urllib3's Retry, mounted on it, retries connection errors, 429, 502,
503 and 504 with exponential backoff, waiting as long as Retry-After says up to ``max_wait`` seconds. A
service that asks for longer gets no retry: the client raises at once rather than come back sooner than asked.
GETs send the ETag last seen for the same address, and a 304 returns the result kept from before. Every
failure is a ProblemError: the service's RFC 9457 problem, or the client's own when there was no usable answer.
"""

import datetime
import email.utils
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast, overload
from urllib.parse import urlencode, urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from guidance_client.messages import Translate, language_of, translator

if TYPE_CHECKING:
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# The types of the problems the client raises itself (the service's own are tag:gov.wales,2021:...).
_PROBLEMS = "tag:gov.wales,2021:social-media-guidance-client/problems/"
UNREACHABLE = _PROBLEMS + "unreachable"
TIMEOUT = _PROBLEMS + "timeout"
NOT_JSON = _PROBLEMS + "not-json"
UNEXPECTED = _PROBLEMS + "unexpected-answer"
NOT_A_PROBLEM = _PROBLEMS + "error-without-details"
INVALID_ADDRESS = _PROBLEMS + "invalid-address"
INSECURE = _PROBLEMS + "secure-connection-failed"
REQUEST_FAILED = _PROBLEMS + "request-failed"

OneLanguage = Literal["en", "cy"]
BothLanguages = Literal["cy,en", "en,cy"]
Day = datetime.date | str
Json = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    """One field a 422 names, and what is wrong with it."""

    field: str
    detail: str


class ProblemError(Exception):
    """An error answer from the service (RFC 9457), or the client's own problem: status 0 when nothing answered.

    ``note`` is the client's remark on the service's problem (why it did not try again), in the same language.
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        type: str = "about:blank",
        errors: tuple[FieldError, ...] | list[FieldError] = (),
        retry_after: float | None = None,
        note: str = "",
    ) -> None:
        self.status, self.title, self.detail, self.type = status, title, detail, type
        self.errors = list(errors)
        self.retry_after = retry_after
        self.note = note
        heading = f"{status} {title}:" if detail else f"{status} {title}"
        super().__init__(" ".join(part for part in (heading, detail, note) if part))


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal: from which day (YYYY-MM-DD), and why, in the answer's language."""

    date: str
    reason: str


@dataclass(frozen=True)
class Version:
    id: str
    effective_from: str
    effective_to: str | None
    label: str
    status: str  # current, superseded, scheduled or withdrawn
    change_note: str | None = None
    withdrawn: Withdrawal | None = None
    withdrawal_scheduled: Withdrawal | None = None
    raw: Json = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    text: str
    html: str


@dataclass(frozen=True)
class Responsibility:
    id: str
    text: str
    html: str


@dataclass(frozen=True)
class Reminder:
    id: str
    title: str
    text: str
    html: str


@dataclass(frozen=True)
class CoreValue:
    id: str
    name: str


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str | None = None  # none for internal documents with no public address
    note: str | None = None


@dataclass(frozen=True)
class Guidance:
    language: str
    title: str
    version: Version
    summary: str
    sections: list[Section]
    responsibilities: list[Responsibility]
    reminders: list[Reminder]
    core_values: list[CoreValue] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    raw: Json = field(default_factory=dict, repr=False, compare=False)  # the answer, its links made absolute


@dataclass(frozen=True)
class Bilingual(Generic[T]):
    """An answer in both languages (``lang="cy,en"``): the Welsh and the English, and their order (Welsh first)."""

    cy: T
    en: T
    languages: tuple[str, ...] = ("cy", "en")


@dataclass(frozen=True)
class Span:
    start: int
    end: int  # exclusive, in Unicode code points


@dataclass(frozen=True)
class GuidanceLink:
    """The part of the guidance behind a finding, and the absolute address to read it at."""

    section: str
    href: str
    responsibility: str | None = None
    reminder: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # low, medium or high
    message: str
    suggestion: str
    spans: list[Span]
    guidance: GuidanceLink
    basis: tuple[str, ...] = ("rule",)  # what found it: the rules, the model, or both
    confidence: float = 1.0


@dataclass(frozen=True)
class CheckResult:
    verdict: str  # ok, review or do-not-post
    text_language: str
    language: str
    guidance_version: str
    findings: list[Finding]
    reminders: list[str]
    account: str = "personal"
    raw: Json = field(default_factory=dict, repr=False, compare=False)  # the answer, its links made absolute


def _withdrawal(data: Json | None) -> Withdrawal | None:
    return Withdrawal(data["from"], data["reason"]) if data else None


def _version(data: Json) -> Version:
    return Version(
        data["id"],
        data["effective_from"],
        data["effective_to"],
        data["label"],
        data["status"],
        data.get("change_note"),
        _withdrawal(data.get("withdrawn")),
        _withdrawal(data.get("withdrawal_scheduled")),
        raw=data,
    )


def _section(data: Json) -> Section:
    return Section(data["id"], data["heading"], data["text"], data["html"])


def _reminder(data: Json) -> Reminder:
    return Reminder(data["id"], data["title"], data["text"], data["html"])


def _guidance(data: Json) -> Guidance:
    return Guidance(
        language=data["language"],
        title=data["title"],
        version=_version(data["version"]),
        summary=data["summary"]["text"],
        sections=[_section(s) for s in data["sections"]],
        responsibilities=[Responsibility(r["id"], r["text"], r["html"]) for r in data["responsibilities"]],
        reminders=[_reminder(r) for r in data["reminders"]],
        core_values=[CoreValue(v["id"], v["name"]) for v in data.get("core_values", [])],
        references=[Reference(r["id"], r["title"], r.get("url"), r.get("note")) for r in data.get("references", [])],
        raw=data,
    )


def _finding(data: Json) -> Finding:
    link = data["guidance"]
    return Finding(
        data["rule"],
        data["severity"],
        data["message"],
        data["suggestion"],
        [Span(s["start"], s["end"]) for s in data["spans"]],
        GuidanceLink(link["section"], link["href"], link.get("responsibility"), link.get("reminder")),
        tuple(data.get("basis", ("rule",))),
        float(data.get("confidence", 1.0)),
    )


def _check_result(data: Json) -> CheckResult:
    return CheckResult(
        data["verdict"],
        data["text_language"],
        data["language"],
        data["guidance_version"],
        [_finding(f) for f in data["findings"]],
        list(data["reminders"]),
        data.get("account", "personal"),
        raw=data,
    )


def _in_languages(parse: Callable[[Json], T]) -> Callable[[Json], T | Bilingual[T]]:
    """``parse`` for one language's answer, or for both languages' (``{"languages": [...], "cy": ..., "en": ...}``)."""

    def parse_either(data: Json) -> T | Bilingual[T]:
        if "languages" in data:
            return Bilingual(parse(data["cy"]), parse(data["en"]), tuple(data["languages"]))
        return parse(data)

    return parse_either


def absolute_links(node: Any, base: str) -> Any:
    """``node`` with every link (an ``href``, or a value under ``links``) resolved against ``base``."""
    if isinstance(node, dict):
        return {
            key: urljoin(base, value)
            if key == "href" and isinstance(value, str)
            else _links(value, base)
            if key == "links"
            else absolute_links(value, base)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [absolute_links(value, base) for value in node]
    return node


def _links(node: Any, base: str) -> Any:
    """What ``links`` holds: addresses, lists of them, or objects with an ``href``."""
    if isinstance(node, str):
        return urljoin(base, node)
    if isinstance(node, list):
        return [_links(value, base) for value in node]
    if isinstance(node, dict) and "href" in node:  # one link, with its language or type beside its address
        return absolute_links(node, base)
    if isinstance(node, dict):  # links by name
        return {key: _links(value, base) for key, value in node.items()}
    return node


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date (RFC 9110); None if absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, (when - datetime.datetime.now(datetime.UTC)).total_seconds())


class BoundedRetry(Retry):
    """urllib3's Retry, which waits as long as Retry-After says, but never longer than ``max_wait``: a longer
    Retry-After ends the retries there, and the answer that asked for it is returned as it is."""

    RETRY_AFTER_STATUS_CODES = frozenset({429, 503})
    max_wait: float = 30.0

    def new(self, **kw: Any) -> Self:
        retry = super().new(**kw)
        retry.max_wait = self.max_wait
        return retry

    def get_retry_after(self, response: "BaseHTTPResponse") -> float | None:
        return retry_after_seconds(response.headers.get("Retry-After"))

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: "BaseHTTPResponse | None" = None,
        error: Exception | None = None,
        _pool: "ConnectionPool | None" = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        wait = self.get_retry_after(response) if response is not None else None
        if wait is not None and wait > self.max_wait:
            raise MaxRetryError(_pool, url or "", ResponseError("Retry-After exceeds max_wait"))  # type: ignore[arg-type]
        return super().increment(method, url, response, error, _pool, _stacktrace)


class GuidanceClient:
    """The API of one service, at ``base_url``.

    ``timeout`` bounds each attempt (connecting, then each read), in seconds; ``retries`` is how many times a
    request is tried again (connection errors, 429, 502, 503, 504), after ``backoff`` seconds doubled each time
    (the first retry at once) or Retry-After; ``max_wait`` is the longest Retry-After the client waits for.
    ``language`` (``en`` or ``cy``) is that of the client's own problems when a call gives no ``lang``. A
    ``session`` given is used with the client's retrying adapters mounted on it.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        session: requests.Session | None = None,
        language: str = "en",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout, self.max_wait = timeout, max_wait
        self.language = language_of(language) or "en"
        retry = BoundedRetry(
            total=retries,
            connect=retries,
            read=False,  # a service too slow to answer once is not asked again: the call fails within its timeout
            status=retries,
            other=0,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD", "POST"}),  # a check changes nothing: it is safe to repeat
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.max_wait = max_wait
        self.session = session or requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._seen: dict[str, tuple[str, object]] = {}  # address -> (ETag, result)
        self.last_status: int | None = None

    @overload
    def guidance(self, lang: OneLanguage | None = None, date: Day | None = None) -> Guidance: ...
    @overload
    def guidance(self, lang: BothLanguages, date: Day | None = None) -> Bilingual[Guidance]: ...
    @overload
    def guidance(self, lang: str | None = None, date: Day | None = None, *, format: Literal["html"]) -> str: ...
    @overload
    def guidance(
        self, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> Guidance | Bilingual[Guidance] | str: ...
    def guidance(
        self, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> Guidance | Bilingual[Guidance] | str:
        """The guidance in force today or on ``date``; ``format="html"`` returns the HTML fragment as text."""
        return self._get("/v1/guidance", _in_languages(_guidance), lang=lang, date=date, format=format)

    @overload
    def section(self, section_id: str, lang: OneLanguage | None = None, date: Day | None = None) -> Section: ...
    @overload
    def section(self, section_id: str, lang: BothLanguages, date: Day | None = None) -> Bilingual[Section]: ...
    @overload
    def section(
        self, section_id: str, lang: str | None = None, date: Day | None = None, *, format: Literal["html"]
    ) -> str: ...
    @overload
    def section(
        self, section_id: str, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> Section | Bilingual[Section] | str: ...
    def section(
        self, section_id: str, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> Section | Bilingual[Section] | str:
        path = f"/v1/guidance/sections/{section_id}"
        return self._get(path, _in_languages(_section), lang=lang, date=date, format=format)

    @overload
    def reminders(self, lang: OneLanguage | None = None, date: Day | None = None) -> list[Reminder]: ...
    @overload
    def reminders(self, lang: BothLanguages, date: Day | None = None) -> Bilingual[list[Reminder]]: ...
    @overload
    def reminders(self, lang: str | None = None, date: Day | None = None, *, format: Literal["html"]) -> str: ...
    @overload
    def reminders(
        self, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> list[Reminder] | Bilingual[list[Reminder]] | str: ...
    def reminders(
        self, lang: str | None = None, date: Day | None = None, format: str = "json"
    ) -> list[Reminder] | Bilingual[list[Reminder]] | str:
        def parse(data: Json) -> list[Reminder]:
            return [_reminder(r) for r in data["reminders"]]

        return self._get("/v1/reminders", _in_languages(parse), lang=lang, date=date, format=format)

    @overload
    def versions(self, lang: OneLanguage | None = None) -> list[Version]: ...
    @overload
    def versions(self, lang: BothLanguages) -> Bilingual[list[Version]]: ...
    @overload
    def versions(self, lang: str | None = None) -> list[Version] | Bilingual[list[Version]]: ...
    def versions(self, lang: str | None = None) -> list[Version] | Bilingual[list[Version]]:
        def parse(data: Json) -> list[Version]:
            return [_version(v) for v in data["versions"]]

        return cast(
            list[Version] | Bilingual[list[Version]],
            self._get("/v1/guidance/versions", _in_languages(parse), lang=lang),
        )

    def check(
        self,
        text: str,
        language: str = "auto",
        account: str = "personal",
        lang: str | None = None,
        date: Day | None = None,
    ) -> CheckResult:
        """What in a draft post may breach the guidance; messages in ``lang`` (one language: with ``cy,en``, Welsh)."""
        body: Json = {"text": text, "language": language, "account": account}
        if date:
            body["date"] = str(date)
        response = self._send("POST", self._address("/v1/check", lang=lang), lang, json=body)
        return self._parse(response, _check_result, lang)

    def _address(self, path: str, **query: object) -> str:
        given = {k: str(v) for k, v in query.items() if v is not None and not (k == "format" and v == "json")}
        return f"{self.base_url}{path}" + (f"?{urlencode(given)}" if given else "")

    def _get(self, path: str, parse: Callable[[Json], T], lang: str | None, **query: Any) -> T | str:
        address = self._address(path, lang=lang, **query)
        seen = self._seen.get(address)
        headers = {"If-None-Match": seen[0]} if seen else {}
        response = self._send("GET", address, lang, headers=headers)
        if response.status_code == 304:
            if seen:
                return cast(T | str, seen[1])
            _ = self._translate(lang)
            raise ProblemError(
                304, _("Unexpected answer"), _("The service's answer lacks fields this client needs."), UNEXPECTED
            )
        result: T | str = response.text if query.get("format") == "html" else self._parse(response, parse, lang)
        if response.headers.get("ETag"):
            self._seen[address] = (response.headers["ETag"], result)
        return result

    def _translate(self, lang: str | None) -> Translate:
        """The client's own messages in the language of the call, or of the client."""
        return translator(language_of(lang) or self.language)

    def _parse(self, response: requests.Response, parse: Callable[[Json], T], lang: str | None) -> T:
        _ = self._translate(lang)
        try:
            data = response.json()
        except ValueError:
            raise ProblemError(
                response.status_code,
                _("Answer not JSON"),
                _("The service's answer (HTTP status %(status)s) is not JSON.") % {"status": response.status_code},
                NOT_JSON,
            ) from None
        try:
            return parse(absolute_links(data, response.url))
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            raise ProblemError(
                response.status_code,
                _("Unexpected answer"),
                _("The service's answer lacks fields this client needs."),
                UNEXPECTED,
            ) from None

    def _send(self, method: str, address: str, lang: str | None, **kwargs: Any) -> requests.Response:
        _ = self._translate(lang)
        where = {"url": self.base_url}
        try:
            response = self.session.request(method, address, timeout=self.timeout, **kwargs)
        except requests.exceptions.SSLError as error:
            raise ProblemError(
                0, _("Secure connection failed"), _("Could not make a secure connection to %(url)s.") % where, INSECURE
            ) from error
        except requests.exceptions.ConnectTimeout as error:
            raise ProblemError(
                0, _("Service unreachable"), _("Could not connect to %(url)s.") % where, UNREACHABLE
            ) from error
        except requests.exceptions.Timeout as error:
            raise ProblemError(
                0,
                _("No answer in time"),
                _("The service did not answer within %(seconds)s seconds.") % {"seconds": _number(self.timeout)},
                TIMEOUT,
            ) from error
        except requests.exceptions.ConnectionError as error:
            raise ProblemError(
                0, _("Service unreachable"), _("Could not connect to %(url)s.") % where, UNREACHABLE
            ) from error
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as error:
            raise ProblemError(
                0,
                _("Invalid address"),
                _("%(url)s is not a web address (http:// or https://).") % where,
                INVALID_ADDRESS,
            ) from error
        except requests.exceptions.RequestException as error:
            raise ProblemError(
                0, _("Request failed"), _("The request to %(url)s failed.") % where, REQUEST_FAILED
            ) from error
        self.last_status = response.status_code
        if response.status_code >= 400:
            raise self._problem(response, _)
        return response

    def _problem(self, response: requests.Response, _: Translate) -> ProblemError:
        """The service's problem, with its fields; for an error answer without problem details, the client's own."""
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        note = ""
        if retry_after is not None and retry_after > self.max_wait and response.status_code in RETRY_STATUSES:
            note = _(
                "The service asked to wait %(asked)s seconds, longer than the %(bound)s seconds this client waits at "
                "most, so it did not try again."
            ) % {"asked": _number(retry_after), "bound": _number(self.max_wait)}
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            return ProblemError(
                response.status_code,
                _("Error from the service"),
                _("The service answered with HTTP status %(status)s.") % {"status": response.status_code},
                NOT_A_PROBLEM,
                retry_after=retry_after,
                note=note,
            )
        errors = data.get("errors")
        return ProblemError(
            response.status_code,
            data["title"],
            str(data.get("detail") or ""),
            str(data.get("type") or "about:blank"),
            [
                FieldError(str(e.get("field", "")), str(e.get("detail", "")))
                for e in (errors if isinstance(errors, list) else [])
                if isinstance(e, dict)
            ],
            retry_after,
            note,
        )


def _number(seconds: float) -> str:
    """Seconds as people write them: 30, or 2.5."""
    return f"{seconds:g}"
