"""The message catalogues: every message in the code is in the Welsh catalogue, compiled and current."""

import subprocess
import sys

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def translations(catalogue):
    """Every translated message as (id, context) -> translation: what a compiled catalogue must carry,
    whichever Babel wrote it (its header and byte layout vary between releases)."""
    return {
        (message.id, message.context): message.string
        for message in catalogue
        if message.id and message.string and not message.fuzzy
    }


def test_compiled_catalogue_holds_every_translation_of_its_source():
    with PO.open("rb") as handle:
        source = read_po(handle)
    with MO.open("rb") as handle:
        compiled = read_mo(handle)
    assert translations(source), "the Welsh catalogue has no translations"
    assert translations(compiled) == translations(source), "run: pybabel compile -d translations"


def test_every_message_in_the_code_is_in_the_welsh_catalogue(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-o",
            str(template),
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        in_code = {m.id for m in read_po(handle) if m.id}
    with PO.open("rb") as handle:
        in_welsh = {m.id for m in read_po(handle) if m.id and m.string}
    assert in_code, "extraction found no messages"
    assert in_code - in_welsh == set()
