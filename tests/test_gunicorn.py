"""The service as it is deployed: gunicorn serving wsgi:app, both languages, on loopback."""

import pytest
import requests

from tests.servers import gunicorn


@pytest.fixture(scope="module")
def server():
    with gunicorn("--workers", "2") as base:
        yield base


@pytest.mark.parametrize("language, title", [("en", "Personal Use of Social Media"), ("cy", "Defnydd Personol o'r Cyfryngau Cymdeithasol")])
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
