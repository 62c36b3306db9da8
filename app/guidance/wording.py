"""Welsh "and" before a phrase: "a" before a consonant, "ac" before a vowel, and the aspirate mutation "a" causes.

"rhwng Hydref a Thachwedd", "rhwng Gorffennaf ac Awst", "a Chwefror" (ch does not mutate). A phrase that starts
with digits takes the form its spoken number needs: "ac 8 Awst" (wyth), "a 18 Awst" (deunaw). Plain functions.
"""

import re
import unicodedata

from app.check.welsh import ASPIRATE, UNMUTABLE, VOWELS

# How a day of the month in digits is read: the traditional count, as Welsh dates are spoken.
DAYS = {
    1: "un",
    2: "dau",
    3: "tri",
    4: "pedwar",
    5: "pump",
    6: "chwech",
    7: "saith",
    8: "wyth",
    9: "naw",
    10: "deg",
    11: "un ar ddeg",
    12: "deuddeg",
    13: "tri ar ddeg",
    14: "pedwar ar ddeg",
    15: "pymtheg",
    16: "un ar bymtheg",
    17: "dau ar bymtheg",
    18: "deunaw",
    19: "pedwar ar bymtheg",
    20: "ugain",
    21: "un ar hugain",
    22: "dau ar hugain",
    23: "tri ar hugain",
    24: "pedwar ar hugain",
    25: "pump ar hugain",
    26: "chwech ar hugain",
    27: "saith ar hugain",
    28: "wyth ar hugain",
    29: "naw ar hugain",
    30: "deg ar hugain",
    31: "un ar ddeg ar hugain",
}
# A year is read from its thousands: 2021 begins "dwy fil", 1998 "mil", 8000 "wyth mil".
THOUSANDS = {
    1: "mil",
    2: "dwy fil",
    3: "tair mil",
    4: "pedair mil",
    5: "pum mil",
    6: "chwe mil",
    7: "saith mil",
    8: "wyth mil",
    9: "naw mil",
}
LEADING_NUMBER = re.compile(r"\d+", re.ASCII)


def spoken_number(number: int) -> str | None:
    """How a number that starts a date is read aloud: a day of the month, or a year; None for any other."""
    if number in DAYS:
        return DAYS[number]
    if 1000 <= number <= 9999:
        return THOUSANDS[number // 1000]
    return None


def _starts_with_vowel(text: str) -> bool:
    first = unicodedata.normalize("NFD", text[:1].lower())[:1]  # ŵ, â... are vowels too
    return bool(first) and first in VOWELS


def with_and(phrase: str) -> str:
    """``phrase`` after Welsh "and": "ac Awst 2021", "a Thachwedd 2021", "a Chwefror 2021", "ac 1 Awst 2021",
    "a 2 Awst 2021". A number other than a day or a year takes "a"."""
    number = LEADING_NUMBER.match(phrase)
    if number:
        reading = spoken_number(int(number.group()))
        return f"{'ac' if reading and _starts_with_vowel(reading) else 'a'} {phrase}"
    if _starts_with_vowel(phrase):
        return f"ac {phrase}"
    return f"a {_aspirate(phrase)}"


def _aspirate(phrase: str) -> str:
    """The aspirate mutation of c, p and t (Tachwedd → Thachwedd), keeping a capital; ch, ph and th stay."""
    lower = phrase.lower()
    initial = lower[:1]
    if initial not in ASPIRATE or lower.startswith(UNMUTABLE):
        return phrase
    mutated = ASPIRATE[initial]
    if phrase[:1].isupper():
        mutated = mutated.upper() if phrase[1:2].isupper() else mutated.capitalize()
    return mutated + phrase[1:]
