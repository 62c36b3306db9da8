"""A Python client for the guidance API, for other Welsh Government apps: typed results, retries, ETags.

    from app.client import GuidanceClient
    client = GuidanceClient("https://guidance.example", timeout=5, retries=3)
    result = client.check("Pleidleisiwch dros Lafur!", language="cy")
    print(result.verdict, [f.rule for f in result.findings])

One requests.Session pools connections. Connection errors, 502, 503, 504 and 429 are retried
with exponential backoff, waiting at least as long as Retry-After says. GETs send the ETag last seen for the
same address, and a 304 returns the result kept from before. Errors are ProblemError, carrying
the RFC 9457 problem's fields.
"""

import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests

RETRY_STATUSES = {429, 502, 503, 504}


class ProblemError(Exception):
    """An error answer from the service (RFC 9457), or no answer at all (status 0)."""

    def __init__(self, status, title, detail="", type="about:blank", errors=(), retry_after=None):
        super().__init__(f"{status} {title}: {detail}" if detail else f"{status} {title}")
        self.status, self.title, self.detail, self.type = status, title, detail, type
        self.errors = list(errors)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Version:
    id: str
    effective_from: str
    effective_to: str | None
    label: str
    status: str
    change_note: str | None = None
    withdrawn: dict | None = None
    withdrawal_scheduled: dict | None = None

    @classmethod
    def of(cls, data):
        return cls(
            data["id"],
            data["effective_from"],
            data["effective_to"],
            data["label"],
            data["status"],
            data.get("change_note"),
            data.get("withdrawn"),
            data.get("withdrawal_scheduled"),
        )


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    text: str
    html: str


@dataclass(frozen=True)
class Reminder:
    id: str
    title: str
    text: str
    html: str


@dataclass(frozen=True)
class Guidance:
    language: str
    title: str
    version: Version
    summary: str
    sections: list
    responsibilities: list
    reminders: list
    raw: dict = field(repr=False)

    @classmethod
    def of(cls, data):
        return cls(
            language=data["language"],
            title=data["title"],
            version=Version.of(data["version"]),
            summary=data["summary"]["text"],
            sections=[Section(s["id"], s["heading"], s["text"], s["html"]) for s in data["sections"]],
            responsibilities=[r["text"] for r in data["responsibilities"]],
            reminders=[Reminder(r["id"], r["title"], r["text"], r["html"]) for r in data["reminders"]],
            raw=data,
        )


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    suggestion: str
    spans: list
    guidance: dict
    basis: tuple = ("rule",)  # what found it: the rules, the model, or both
    confidence: float = 1.0


@dataclass(frozen=True)
class CheckResult:
    verdict: str
    text_language: str
    language: str
    guidance_version: str
    findings: list
    reminders: list

    @classmethod
    def of(cls, data):
        findings = [
            Finding(
                f["rule"],
                f["severity"],
                f["message"],
                f["suggestion"],
                [Span(s["start"], s["end"]) for s in f["spans"]],
                f["guidance"],
                tuple(f.get("basis", ("rule",))),
                f.get("confidence", 1.0),
            )
            for f in data["findings"]
        ]
        return cls(
            data["verdict"],
            data["text_language"],
            data["language"],
            data["guidance_version"],
            findings,
            data["reminders"],
        )


class GuidanceClient:
    """The API of one service, at ``base_url``."""

    def __init__(self, base_url, timeout=10.0, retries=3, backoff=0.5, max_wait=30.0, session=None):
        self.base_url = base_url.rstrip("/")
        self.timeout, self.retries, self.backoff, self.max_wait = timeout, retries, backoff, max_wait
        self.session = session or requests.Session()
        self._seen = {}  # address -> (ETag, result)
        self.last_status = None

    def guidance(self, lang=None, date=None, format="json"):
        """The guidance in force today or on ``date``; ``format="html"`` returns the HTML fragment as text."""
        return self._get("/v1/guidance", Guidance.of, lang=lang, date=date, format=format)

    def section(self, section_id, lang=None, date=None, format="json"):
        def parse(data):
            return Section(data["id"], data["heading"], data["text"], data["html"])

        return self._get(f"/v1/guidance/sections/{section_id}", parse, lang=lang, date=date, format=format)

    def reminders(self, lang=None, date=None, format="json"):
        def parse(data):
            return [Reminder(r["id"], r["title"], r["text"], r["html"]) for r in data["reminders"]]

        return self._get("/v1/reminders", parse, lang=lang, date=date, format=format)

    def versions(self, lang=None):
        return self._get("/v1/guidance/versions", lambda data: [Version.of(v) for v in data["versions"]], lang=lang)

    def check(self, text, language="auto", account="personal", lang=None, date=None):
        """What in a draft post may breach the guidance; messages in ``lang``."""
        body = {"text": text, "language": language, "account": account}
        if date:
            body["date"] = str(date)
        response = self._send("POST", self._address("/v1/check", lang=lang), json=body)
        return CheckResult.of(response.json())

    def _address(self, path, **query):
        query = {k: str(v) for k, v in query.items() if v is not None and not (k == "format" and v == "json")}
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")

    def _get(self, path, parse, **query):
        address = self._address(path, **query)
        seen = self._seen.get(address)
        headers = {"If-None-Match": seen[0]} if seen else {}
        response = self._send("GET", address, headers=headers)
        if response.status_code == 304 and seen:
            return seen[1]
        result = response.text if query.get("format") == "html" else parse(response.json())
        if response.headers.get("ETag"):
            self._seen[address] = (response.headers["ETag"], result)
        return result

    def _send(self, method, address, **kwargs):
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                response = self.session.request(method, address, timeout=self.timeout, **kwargs)
            except requests.ConnectionError as error:
                if attempt == self.retries:
                    raise ProblemError(0, "Service unreachable", str(error)) from None
                time.sleep(wait)
                continue
            self.last_status = response.status_code
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                retry_after = _seconds(response.headers.get("Retry-After")) or 0.0
                time.sleep(min(self.max_wait, max(retry_after, wait)))
                continue
            if response.status_code >= 400:
                raise _problem(response)
            return response
        raise AssertionError("unreachable")


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def _problem(response):
    try:
        data = response.json()
    except ValueError:
        data = {}
    return ProblemError(
        response.status_code,
        data.get("title", response.reason),
        data.get("detail", ""),
        data.get("type", "about:blank"),
        data.get("errors", ()),
        _seconds(response.headers.get("Retry-After")),
    )
