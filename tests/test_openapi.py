"""openapi.yaml is a valid OpenAPI 3.1 description of exactly what the app serves."""

import re

import yaml
from openapi_spec_validator import validate

from tests.conftest import ROOT

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_the_description_is_valid_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


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
