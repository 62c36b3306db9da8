"""The benchmarks run from a fresh clone with the command the README gives. Their figures are for
people to read (the README records them); timings are never asserted in tests."""

import re
import subprocess
import sys

import pytest

from app.guidance.content import PROJECT_ROOT

pytestmark = pytest.mark.slow  # starts real servers and runs wrk

SCENARIOS = (
    "GET /v1/guidance (JSON, Welsh)",
    "GET /v1/guidance (HTML fragment)",
    "GET /v1/guidance, 304 revalidation",
    "GET /v1/guidance?date=2021-03-01",
    "POST /v1/check (280 characters)",
    "POST /v1/check, engine's answer fixed",
    "GET via nginx, cached (bare: a static file)",
)


def run(*command):
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=True
    ).stdout


def test_the_http_benchmark_measures_every_scenario_against_the_bare_app():
    output = run("benchmarks.http", "--duration", "1", "--rounds", "1")
    for scenario in SCENARIOS:
        row = re.search(
            rf"^{re.escape(scenario)}\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$",
            output,
            re.MULTILINE,
        )
        assert row, f"no figures for {scenario}:\n{output}"
        assert int(row.group(1)) > 0 and int(row.group(2)) > 0, "both apps answered"
    assert re.search(r"^worker memory, MB: resident \d+(, \d+)*; proportional \d+", output, re.MULTILINE)
    assert re.search(r"^start-up until answering: service [\d.]+ s, bare app [\d.]+ s$", output, re.MULTILINE)
    growth = re.search(
        r"^one worker, (\d+) GETs with distinct unknown query strings: resident \d+ -> \d+ MB", output, re.MULTILINE
    )
    assert growth and int(growth.group(1)) >= 10_000, output


def test_the_engine_benchmark_times_short_and_long_posts_in_both_languages():
    output = run("benchmarks.check_engine")
    for language in ("en", "cy"):
        for length in (280, 5000):
            assert re.search(
                rf"^{language}\s+{length} characters\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+ ms$", output, re.MULTILINE
            ), output
