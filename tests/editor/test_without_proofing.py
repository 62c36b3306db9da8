"""validate on a machine without the editors' install: it says what to install, and checks everything else."""

import sys

import pytest

from app.editor import proofing
from app.editor.publishing import EDITOR_INSTALL
from tests.editor.commands import edit, run


@pytest.fixture()
def without_cymraeg_mcp(monkeypatch):
    """As if cymraeg-mcp were not installed: importing it fails, as it does then."""
    monkeypatch.setitem(sys.modules, "cymraeg_mcp", None)
    proofing.tools.cache_clear()
    yield
    proofing.tools.cache_clear()


def test_validate_names_the_install_and_still_checks_the_rest(content, without_cymraeg_mcp):
    edit(content / "2021-02-01" / "en.yaml", lambda text: text.update(change_note="Change note still to be written."))
    result = run(content, "validate")
    assert result.exit_code != 0
    assert EDITOR_INSTALL in result.output and "requirements/editor.txt" in EDITOR_INSTALL
    assert "change_note: still to be written" in result.output, "the other checks still ran"
    assert "changed" in result.output, "and the history check too: the sealed English was edited"


def test_validate_without_proofing_reports_only_that_on_sound_content(content, without_cymraeg_mcp):
    result = run(content, "validate")
    assert result.exit_code != 0
    assert result.output.count("\n") == 2, result.output  # the one problem, then the count
    assert "The Welsh was not proofed" in result.output
