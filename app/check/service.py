"""Check a draft post against a guidance version, and describe the result for the API. No Flask."""

import orjson
from marshmallow import ValidationError

from app.check import language_id
from app.check.engine import Draft, Rule
from app.check.judgement import judge
from app.check.model import model
from app.check.schemas import CheckRequestSchema
from app.edge.problems import InvalidFields, InvalidJson, UnsupportedMediaType
from app.guidance.content import Version
from app.guidance.representations import API

request_schema = CheckRequestSchema()


def read_request(mimetype: str, data: bytes | None) -> dict:
    """The validated body of a check request; every way it can be wrong is a problem that names the field."""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise UnsupportedMediaType()
    try:
        # orjson refuses what would break a check later: invalid UTF-8, lone surrogates, nesting
        # deeper than 1,024 and numbers too large for a double, each as invalid JSON.
        body = orjson.loads(data or b"")
    except orjson.JSONDecodeError:
        raise InvalidJson() from None
    try:
        return request_schema.load(body)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise InvalidFields({("body" if k == "_schema" else k): v for k, v in messages.items()}) from None


def guidance_link(rule: Rule, version: Version, language: str) -> dict[str, str]:
    """Where the guidance behind a rule can be read: its responsibility's section, or its reminder."""
    day = version.effective_from.isoformat()
    source = rule.guidance
    if "reminder" in source:
        href = f"{API}/reminders/{source['reminder']}?lang={language}&date={day}"
    else:
        href = f"{API}/guidance/sections/{source['section']}?lang={language}&date={day}"
    return {**source, "href": href}


def check_draft(version: Version, text: str, language: str, account: str, response_language: str) -> dict:
    """The verdict on a draft, its findings explained in ``response_language``, whatever the draft's language."""
    draft = Draft(text)  # read once, for the language, the rules and the model
    detection = language_id.identify(draft)
    languages = language_id.lexicon_languages(language, detection)
    result = judge(version.rules, model(), draft, languages, account)
    return {
        "verdict": result.verdict,
        "text_language": detection.language,
        "language": response_language,
        "account": account,
        "guidance_version": version.id,
        "findings": [
            {
                "rule": finding.rule.id,
                "severity": finding.severity,
                "basis": list(finding.basis),
                "confidence": round(finding.confidence, 3),
                "message": finding.rule.message[response_language],
                "suggestion": finding.rule.suggestion[response_language],
                "spans": [{"start": start, "end": end} for start, end in finding.spans],
                "guidance": guidance_link(finding.rule, version, response_language),
            }
            for finding in result.findings
        ],
        "reminders": result.reminders,
    }
