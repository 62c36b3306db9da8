"""The client installs alone: in a new virtualenv with requests (the locked versions, by hash) and nothing of the
service, its ``guidance`` command works against a live gunicorn."""

import json
import re
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from tests.servers import ROOT, gunicorn

pytestmark = pytest.mark.slow  # builds a virtualenv from PyPI, and starts gunicorn

# requests and what it needs, as requirements/test.txt locks them.
REQUESTS = ("requests", "urllib3", "idna", "certifi", "charset-normalizer")
CLIENT = ROOT / "clients" / "python"


def locked(names, lock=ROOT / "requirements" / "test.txt"):
    """The lock's entries (pin and hashes) for ``names``, as a requirements file for --require-hashes."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text(encoding="utf-8"))
    chosen = [entry for entry in entries if entry.split("==", 1)[0].lower() in names]
    assert len(chosen) == len(names)
    return "\n".join(chosen) + "\n"


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A new virtualenv (no system site-packages), with locked requests and then the client, from its folder."""
    folder = tmp_path_factory.mktemp("client-venv")
    requirements = folder / "requests.txt"
    requirements.write_text(locked(REQUESTS), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=120)
    python = folder / "venv" / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(requirements)], check=True, timeout=300)
    source = shutil.copytree(
        CLIENT, folder / "client", ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__")
    )
    subprocess.run([*pip, str(source)], check=True, timeout=300)  # as it would be from a copy: builds there
    return folder / "venv"


def run_in(venv, *command, env=None, stdin=None):
    return subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=venv,  # not the repository, so nothing of it is importable
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", **(env or {})},
        check=False,
    )


def test_only_requests_comes_with_the_client(venv):
    listed = run_in(
        venv,
        "python",
        "-c",
        "import importlib.metadata, json; print(json.dumps([d.name for d in importlib.metadata.distributions()]))",
    )
    installed = {name.lower().replace("_", "-") for name in json.loads(listed.stdout)} - {"pip", "setuptools", "wheel"}
    assert installed == {*REQUESTS, "social-media-guidance-client"}
    assert run_in(venv, "python", "-c", "import requests; print(requests.__version__)").stdout.strip() == (
        distribution("requests").version
    )
    for service_package in ("flask", "app", "lingua", "ahocorasick"):
        imported = run_in(venv, "python", "-c", f"import {service_package}")
        assert imported.returncode == 1 and "ModuleNotFoundError" in imported.stderr


def test_the_installed_package_says_it_is_typed(venv):
    found = run_in(venv, "python", "-c", "import guidance_client; print(guidance_client.__file__)")
    package = Path(found.stdout.strip()).parent
    assert package.is_relative_to(venv) and (package / "py.typed").is_file()


def test_the_command_helps_and_checks_against_the_live_service(venv):
    helped = run_in(venv, "guidance", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("usage: guidance")
    assert run_in(venv, "guidance", "check", "--help", "--lang", "cy").stdout.startswith("defnydd: guidance check")
    with gunicorn("--workers", "1") as base:
        checked = run_in(venv, "guidance", "--url", base, "check", "Vote Labour on Thursday!")
        assert checked.returncode == 2, checked.stderr
        assert checked.stdout.startswith("Verdict: do not post")
        assert f"{base}/v1/guidance/sections/propriety-and-ethics" in checked.stdout
        draft = "Pleidleisiwch dros Lafur ddydd Iau!"
        welsh = run_in(
            venv, "guidance", "check", "--file", "-", env={"GUIDANCE_API_URL": base, "LANG": "cy_GB.UTF-8"}, stdin=draft
        )
        assert welsh.returncode == 2 and welsh.stdout.startswith("Dyfarniad: peidiwch â phostio")
