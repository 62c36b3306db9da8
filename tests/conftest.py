"""Shared fixtures: the app on the real content, and on fixture content with several dated versions."""

import logging
import shutil
from pathlib import Path

import pytest
import yaml

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
DATA = Path(__file__).resolve().parent / "data"
# The guidance's six reminders, in the order it gives them.
REMINDERS_IN_ORDER = ["propriety", "common-sense", "accuracy", "permanent", "doubts", "security"]


# Tests send far more requests a minute than one person would: the rate-limit tests set their own limits.
UNLIMITED = {"READ_RATE_LIMIT": "100000/minute", "CHECK_RATE_LIMIT": "100000/minute"}


@pytest.fixture(scope="session")
def app():
    return create_app(UNLIMITED)


@pytest.fixture()
def client(app):
    return app.test_client()


def add_version(content_dir, version_id, title_suffix, change_note_en, change_note_cy, copy_from="2021-02-01"):
    """A new dated version in a copy of the content, as an editor would publish one."""
    folder = content_dir / version_id
    shutil.copytree(content_dir / copy_from, folder)
    (folder / "version.yaml").write_text(f"effective_from: {version_id}\n", encoding="utf-8")
    for language, note in (("en", change_note_en), ("cy", change_note_cy)):
        path = folder / f"{language}.yaml"
        text = yaml.safe_load(path.read_text(encoding="utf-8"))
        text["title"] += title_suffix
        text["change_note"] = note
        text["label"] = version_id
        path.write_text(yaml.safe_dump(text, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def content_with(folder, second_from, third_from, third_suffix):
    """In ``folder``: the real 2021-02-01 and the shared lexicons, then fictional second and third versions."""
    shutil.copytree(CONTENT / "2021-02-01", folder / "2021-02-01")
    shutil.copytree(CONTENT / "lexicons", folder / "lexicons")
    add_version(folder, second_from, " (2023)", "Second version.", "Ail fersiwn.")
    add_version(folder, third_from, third_suffix, "Third version.", "Trydedd fersiwn.")
    return folder


@pytest.fixture(scope="session")
def multi_version_dir(tmp_path_factory):
    """Three versions: the real 2021-02-01, and fictional ones from 2023-06-01 and 2025-01-15."""
    return content_with(tmp_path_factory.mktemp("content"), "2023-06-01", "2025-01-15", " (2025)")


@pytest.fixture(scope="session")
def multi_client(multi_version_dir):
    return create_app({"GUIDANCE_CONTENT_DIR": str(multi_version_dir), **UNLIMITED}).test_client()


@pytest.fixture()
def access_records():
    """The access log's records of the requests a test makes (the logger does not propagate)."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("guidance.access")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
