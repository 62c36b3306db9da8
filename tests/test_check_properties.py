"""Any text at all, up to the limit: the engine answers, and every span lies inside the text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app import language_id
from app.content import load_library
from tests.conftest import CONTENT

RULES = load_library(CONTENT).get("2021-02-01").rules
WORDS = st.sampled_from(["Vote", "Lafur", "polisi", "hurt", "password", "’", "#", "ŵ", "Between us", "minister", " ", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(min_size=1, max_size=5000), st.lists(WORDS, min_size=1, max_size=200).map("".join)))
def test_any_text_gets_an_answer_with_spans_inside_it(text):
    result = RULES.check(text, language_id.lexicon_languages("auto", language_id.identify(text)), "personal")
    assert result.verdict in ("ok", "review", "do-not-post")
    for finding in result.findings:
        for start, end in finding.spans:
            assert 0 <= start < end <= len(text)
