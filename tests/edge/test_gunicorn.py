"""The service as it is deployed: gunicorn serving wsgi:app, both languages, on loopback."""

import json
import socket

import pytest
import requests

from tests.servers import gunicorn

pytestmark = pytest.mark.slow  # starts real servers


@pytest.fixture(scope="module")
def server():
    with gunicorn("--workers", "2") as base:
        yield base


@pytest.mark.parametrize(
    "language, title", [("en", "Personal Use of Social Media"), ("cy", "Defnydd Personol o'r Cyfryngau Cymdeithasol")]
)
def test_gunicorn_serves_both_languages(server, language, title):
    response = requests.get(f"{server}/v1/guidance", headers={"Accept-Language": language}, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert response.json()["title"] == title


def test_gunicorn_serves_welsh_problems_from_the_compiled_catalogue(server):
    response = requests.get(f"{server}/v1/guidance?date=2021-02-30&lang=cy", timeout=5)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Dyddiad annilys"


def test_a_draft_never_reaches_the_server_logs(tmp_path):
    log = tmp_path / "gunicorn.log"
    secret = "Quixotic-5521 between us the minister will announce cuts"
    with gunicorn("--access-logfile", str(log), "--error-logfile", str(log), "--log-level", "debug") as base:
        assert requests.post(f"{base}/v1/check", json={"text": secret}, timeout=5).status_code == 200
        assert requests.post(f"{base}/v1/check", json={"text": secret, "account": 3}, timeout=5).status_code == 422
        assert (
            requests.post(
                f"{base}/v1/check", data=secret, headers={"Content-Type": "application/json"}, timeout=5
            ).status_code
            == 400
        )
    written = log.read_text(encoding="utf-8")
    assert "POST /v1/check" in written, "the access log must be written for this test to mean anything"
    assert "Quixotic" not in written


def test_gunicorn_writes_its_own_lines_as_json(tmp_path):
    with gunicorn(with_process=True) as (base, _, log):
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=5) as connection:
            connection.sendall(b"NOT A REQUEST LINE\r\n\r\n")
            connection.recv(1024)
        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
    written = log.read_text(encoding="utf-8")
    assert "Logging error" not in written
    lines = [json.loads(line) for line in written.splitlines()]
    messages = [line["message"] for line in lines if line["logger"] == "gunicorn.error"]
    assert any(message.startswith("Listening at") for message in messages)
    assert any(message.startswith("Booting worker") for message in messages)
    assert any(message.startswith("Invalid request") for message in messages)
    assert all({"time", "level", "logger"} <= line.keys() for line in lines)
    assert any(line["logger"] == "guidance.access" and line["path"] == "/healthz" for line in lines)
