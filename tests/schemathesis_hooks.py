"""Loaded by schemathesis (``SCHEMATHESIS_HOOKS``) when tests/test_openapi.py fuzzes the live service.

openapi.yaml gives ``Accept-Datetime`` the registry's ``imf-fixdate`` format as well as its pattern.
schemathesis's coverage phase makes no valid value from a header pattern that needs characters other than
letters and digits, and then sends its invalid stand-in in cases it counts as valid; a strategy for the
format gives it valid dates to send instead, and the fuzzing phase the whole range the server accepts.
"""

from datetime import UTC, datetime
from email.utils import format_datetime

import schemathesis
from hypothesis import strategies as st

schemathesis.openapi.format(
    "imf-fixdate",
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)).map(
        lambda moment: format_datetime(moment.replace(microsecond=0, tzinfo=UTC), usegmt=True)
    ),
)
