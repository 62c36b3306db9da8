"""The editor tests work on a temporary copy of the real content directory."""

import shutil

import pytest

from tests.conftest import CONTENT


@pytest.fixture()
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
