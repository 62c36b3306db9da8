"""Content with a history, made as editors make it: versions superseded, one withdrawn, one to be withdrawn."""

from datetime import timedelta

import pytest

from app.guidance.negotiation import today
from tests.conftest import content_with
from tests.editor import commands

# Why each version is withdrawn, as an editor gives it with ``guidance withdraw``.
WITHDRAWN_REASONS = {
    "en": "Replaced by the Civil Service social media policy.",
    "cy": "Polisi cyfryngau cymdeithasol y Gwasanaeth Sifil sydd wedi cymryd ei le.",
}
TO_BE_WITHDRAWN_REASONS = {
    "en": "The guidance is being rewritten for new platforms.",
    "cy": "Mae'r canllawiau'n cael eu hailysgrifennu ar gyfer llwyfannau newydd.",
}
WITHDRAWAL_NOTICE_DAYS = 30


def withdraw(content, version, effective, reasons):
    result = commands.withdraw(content, effective, version, reasons=reasons)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def history_dir(tmp_path_factory):
    """Three versions: 2021-02-01, superseded; 2023-06-01, superseded and withdrawn from today; 2025-01-15, in force,
    to be withdrawn in ``WITHDRAWAL_NOTICE_DAYS`` days. Withdrawn with the editors' command, as the ledger records."""
    folder = content_with(tmp_path_factory.mktemp("history"), "2023-06-01", "2025-01-15", " (2025)")
    withdraw(folder, "2023-06-01", today(), WITHDRAWN_REASONS)
    withdraw(folder, "2025-01-15", today() + timedelta(days=WITHDRAWAL_NOTICE_DAYS), TO_BE_WITHDRAWN_REASONS)
    return folder
