"""openapi.yaml is a valid OpenAPI 3.1 description of exactly what the app serves, and strict tools agree."""

import json
import os
import re
import subprocess
import sys
from urllib.parse import quote

import pytest
import yaml
from openapi_spec_validator import validate

from tests.conftest import ROOT
from tests.servers import gunicorn

DESCRIPTION = ROOT / "openapi.yaml"
LINT = ROOT / "tests" / "openapi-lint"  # Redocly CLI, pinned in its package-lock.json; .ci/run installs it


class StrictLoader(yaml.SafeLoader):
    """YAML as strict tools (Redocly among them) read it: a key given twice in one mapping is an error,
    where PyYAML's own loaders keep the last value and say nothing."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, StrictLoader.construct_mapping)

SPEC = yaml.safe_load(DESCRIPTION.read_text(encoding="utf-8"))


def test_the_strict_loader_refuses_a_key_given_twice():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key '429'"):
        yaml.load("responses:\n  '429': a\n  '200': b\n  '429': c\n", StrictLoader)


def test_the_description_is_strict_yaml_with_no_key_given_twice():
    assert yaml.load(DESCRIPTION.read_text(encoding="utf-8"), StrictLoader) == SPEC


def test_the_description_is_valid_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_redocly_lint_with_the_recommended_rules_finds_nothing():
    redocly = LINT / "node_modules" / ".bin" / "redocly"
    assert redocly.exists(), "Redocly CLI is not installed: npm ci --prefix tests/openapi-lint (.ci/run does it)"
    result = subprocess.run(
        [str(redocly), "lint", "--config", str(LINT / "redocly.yaml"), "--format", "json", str(DESCRIPTION)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    found = [
        f"{problem['severity']} {problem['ruleId']} at {problem['location'][0]['pointer']}: {problem['message']}"
        for problem in report["problems"]
    ]
    assert found == [], "\n".join(found)
    assert result.returncode == 0, result.stderr


def served_paths(app):
    paths = set()
    for rule in app.url_map.iter_rules():
        paths.add(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule))
    return paths


def test_described_paths_are_the_served_routes(app):
    assert set(SPEC["paths"]) == served_paths(app)


def test_described_methods_are_the_served_methods(app):
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        served = {m.lower() for m in rule.methods} - {"head", "options"}
        described = set(SPEC["paths"][path]) & {"get", "post", "put", "patch", "delete"}
        assert served == described, path


def described_pattern(schema):
    """A description's pattern as Python reads it: these use no syntax where ECMA-262 and Python differ."""
    return re.compile(schema["pattern"])


LANG_VALUES = [
    "en", "cy", "EN", "cY", "cy-GB", "en_gb", "cy-12345678", "cy,en", "en,cy", " cy , en ", "\tcy\r\n", "\x0ben\x0c",
    "en,en", "cy,CY-GB", "cy,en,cy", "fr", "", ",", "cy,", "cy-", "cy-123456789", "cy;q=1", "\x1ccy", "\xa0cy",
    "cy\u2028", "\ufeffen",
]  # fmt: skip


@pytest.mark.parametrize("value", LANG_VALUES)
def test_the_lang_pattern_admits_exactly_what_the_server_accepts(client, value):
    admitted = bool(described_pattern(SPEC["components"]["parameters"]["lang"]["schema"]).search(value))
    response = client.get(f"/v1/guidance/versions?lang={quote(value)}")
    assert (response.status_code == 200) == admitted, response.get_json()
    if not admitted:
        assert response.get_json()["type"].endswith("/unsupported-language")


DATETIME_VALUES = [
    "Mon, 01 Mar 2021 12:00:00 GMT", "Wed, 01 Mar 2021 12:00:00 GMT", "Tue, 29 Feb 2000 00:00:00 GMT",
    "Mon, 29 Feb 2100 00:00:00 GMT", "Sat, 29 Feb 2020 23:59:59 GMT", "Mon, 29 Feb 2021 12:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 1900 00:00:00 GMT", "Sun, 31 Dec 1899 23:59:59 GMT",
    "Fri, 30 Apr 2021 12:00:00 GMT", "Sat, 31 Apr 2021 12:00:00 GMT", "Mon, 00 Mar 2021 12:00:00 GMT",
    "Mon, 01 Mar 2021 24:00:00 GMT", "Mon, 01 Mar 2021 12:60:00 GMT", "Mon, 01 Mar 2021 12:00:60 GMT",
    "Mon, 1 Mar 2021 12:00:00 GMT", "Mon, 01 Mar 21 12:00:00 GMT", "mon, 01 mar 2021 12:00:00 gmt",
    "Mon, 01 Mar 2021 12:00:00 +0000", "Mon, 01 Mar 2021 12:00:00 UTC", "Monday, 01-Mar-21 12:00:00 GMT",
    "Mon Mar  1 12:00:00 2021", "2021-03-01T12:00:00Z", "0", "last Tuesday",
]  # fmt: skip


@pytest.mark.parametrize("value", DATETIME_VALUES)
def test_the_accept_datetime_pattern_admits_exactly_what_the_server_accepts(client, value):
    (parameter,) = [p for p in SPEC["paths"]["/v1/guidance"]["get"]["parameters"] if p.get("name") == "Accept-Datetime"]
    admitted = bool(described_pattern(parameter["schema"]).search(value))
    response = client.get("/v1/guidance", headers={"Accept-Datetime": value})
    assert (response.status_code != 400) == admitted, response.get_json()
    if not admitted:
        assert response.get_json()["type"].endswith("/invalid-datetime")


TEXT_VALUES = [
    "Hello", "a\tb\r\nc", "\ufeff", "\u200b", " x ", "", " ", "\t\r\n", "\x85", "\xa0\u2028\u3000", "\x00hi",
    "hi\x1f", "hi\x7f", "\x0bhi", "\x1c",
]  # fmt: skip


@pytest.mark.parametrize("value", TEXT_VALUES)
def test_the_draft_text_pattern_admits_exactly_what_the_server_accepts(client, value):
    admitted = bool(described_pattern(SPEC["components"]["schemas"]["DraftText"]).search(value))
    response = client.post("/v1/check", json={"text": value})
    assert (response.status_code == 200) == admitted, response.get_json()
    if not admitted:
        assert [error["field"] for error in response.get_json()["errors"]] == ["text"]


@pytest.mark.slow  # starts gunicorn
def test_fuzzing_with_every_schemathesis_check_finds_nothing():
    """schemathesis makes requests from openapi.yaml, valid and not, and checks every answer against it: no 5xx, every
    status, header and body as described, every valid request accepted and every invalid one refused."""
    generous = {"READ_RATE_LIMIT": "100000/minute", "CHECK_RATE_LIMIT": "100000/minute"}
    with gunicorn("--workers", "2", env=generous) as base:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "schemathesis.cli",
                "run",
                str(DESCRIPTION),
                "--url",
                base,
                "--checks",
                "all",
                "--max-examples",
                "100",
                "--seed",
                "20211",
                "--generation-database",
                "none",
                "--no-color",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
            env={**os.environ, "SCHEMATHESIS_HOOKS": str(ROOT / "tests" / "schemathesis_hooks.py")},
        )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
