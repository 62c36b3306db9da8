"""The client's own words in Welsh: it installs without the service, so it cannot read the service's catalogue.

Messages are written in English in the code, marked with ``_`` or ``N_``, and looked up here. The service's
tests check that every marked message has its Welsh below and proof the Welsh as published text is proofed.
"""

from collections.abc import Callable

Translate = Callable[[str], str]

WELSH: dict[str, str] = {
    # argparse's own words, so that --help and usage errors come in Welsh too.
    "usage: ": "defnydd: ",
    "positional arguments": "dadleuon safle",
    "options": "opsiynau",
    "show this help message and exit": "dangos y neges gymorth hon a gadael",
    "the following arguments are required: %s": "mae angen y dadleuon canlynol: %s",
    "unrecognized arguments: %s": "dadleuon anhysbys: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "dewis annilys: %(value)r (dewiswch o blith %(choices)s)",
    "argument %(argument_name)s: %(message)s": "dadl %(argument_name)s: %(message)s",
    "expected one argument": "roedd disgwyl un ddadl",
    "ambiguous option: %(option)s could match %(matches)s": "opsiwn amwys: gallai %(option)s olygu %(matches)s",
    # The command's help.
    "Welsh Government guidance on the personal use of social media, and a check of draft posts.": (
        "Canllawiau Llywodraeth Cymru ar ddefnydd personol o'r cyfryngau cymdeithasol, a gwiriad o negeseuon drafft."
    ),
    "language of the answers and of these messages: en or cy (by default the system's: LANGUAGE, LC_ALL, "
    "LC_MESSAGES or LANG)": (
        "iaith yr atebion a'r negeseuon hyn: en neu cy (yn ddiofyn, iaith y system: LANGUAGE, LC_ALL, "
        "LC_MESSAGES neu LANG)"
    ),
    "address of the service (or set GUIDANCE_API_URL)": "cyfeiriad y gwasanaeth (neu osodwch GUIDANCE_API_URL)",
    "ADDRESS": "CYFEIRIAD",
    "the guidance in force on this day, YYYY-MM-DD": (
        "y canllawiau a oedd mewn grym ar y diwrnod hwn, ar ffurf blwyddyn-mis-diwrnod"
    ),
    "DATE": "DYDDIAD",
    "COMMAND": "GORCHYMYN",
    "show the guidance": "dangos y canllawiau",
    "Show the guidance, or one section of it.": "Dangos y canllawiau, neu un adran ohonynt.",
    "only this section, by its id": "dim ond yr adran hon, yn ôl ei dynodydd",
    "SECTION": "ADRAN",
    "output format": "fformat yr allbwn",
    "show the six reminders": "dangos y chwe nodyn atgoffa",
    "Show the six reminders.": "Dangos y chwe nodyn atgoffa.",
    "list the dated versions": "rhestru'r fersiynau dyddiedig",
    "List the dated versions of the guidance.": "Rhestru fersiynau dyddiedig y canllawiau.",
    "check a draft post": "gwirio neges ddrafft",
    "Check a draft post. Exit status: 0 ok, 1 review, 2 do not post, 3 a usage or service error.": (
        "Gwirio neges ddrafft. Statws gadael: 0 iawn, 1 adolygu, 2 peidiwch â phostio, 3 gwall defnydd neu wall "
        "gwasanaeth."
    ),
    "TEXT": "TESTUN",
    "the draft; without it, --file or standard input": "y drafft; hebddo, --file neu'r mewnbwn safonol",
    "read the draft from this file (- for standard input)": "darllen y drafft o'r ffeil hon (- am y mewnbwn safonol)",
    "FILE": "FFEIL",
    "language of the draft": "iaith y drafft",
    "the account you will post from": "y cyfrif y byddwch yn postio ohono",
    # Usage errors.
    "give the draft as an argument, with --file, or on standard input": (
        "rhowch y drafft fel dadl, gyda --file, neu ar y mewnbwn safonol"
    ),
    "give the draft either as an argument or with --file, not both": (
        "rhowch y drafft naill ai fel dadl neu drwy --file, nid y ddau"
    ),
    "standard input": "y mewnbwn safonol",
    "cannot read %(file)s: there is no such file": "nid yw'n bosibl darllen %(file)s: nid oes ffeil o'r fath",
    "cannot read %(file)s: it is a folder": "nid yw'n bosibl darllen %(file)s: ffolder ydyw",
    "cannot read %(file)s: permission denied": "nid yw'n bosibl darllen %(file)s: nid oes caniatâd",
    "cannot read %(file)s: it is not UTF-8 text": "nid yw'n bosibl darllen %(file)s: nid yw'n destun UTF-8",
    "cannot read %(file)s": "nid yw'n bosibl darllen %(file)s",
    # What the command prints.
    "Verdict": "Dyfarniad",
    "ok": "iawn",
    "review before posting": "adolygwch cyn postio",
    "do not post": "peidiwch â phostio",
    "low": "isel",
    "medium": "canolig",
    "high": "uchel",
    "Found by the check's rules (confidence: %(confidence)s).": (
        "Canfuwyd hyn gan reolau'r gwiriad (hyder: %(confidence)s)."
    ),
    "Found by the check's model, trained on example posts (confidence: %(confidence)s).": (
        "Canfuwyd hyn gan fodel y gwiriad, a hyfforddwyd ar enghreifftiau o negeseuon (hyder: %(confidence)s)."
    ),
    "Found by the check's rules and by its model (confidence: %(confidence)s).": (
        "Canfuwyd hyn gan reolau'r gwiriad a chan ei fodel (hyder: %(confidence)s)."
    ),
    "current": "cyfredol",
    "superseded": "wedi'i disodli",
    "scheduled": "wedi'i threfnu",
    "withdrawn": "wedi'i thynnu'n ôl",
    "withdrawn from %(date)s: %(reason)s": "wedi'i thynnu'n ôl o %(date)s: %(reason)s",
    "to be withdrawn from %(date)s: %(reason)s": "i'w thynnu'n ôl o %(date)s: %(reason)s",
    # The client's own problems: when the service did not answer, or not as the API says.
    "Service unreachable": "Nid oes modd cyrraedd y gwasanaeth",
    "Could not connect to %(url)s.": "Nid oedd modd cysylltu â %(url)s.",
    "No answer in time": "Dim ateb mewn pryd",
    "The service did not answer within %(seconds)s seconds.": (
        "Ni wnaeth y gwasanaeth ateb o fewn %(seconds)s eiliad."
    ),
    "Answer not JSON": "Nid JSON yw'r ateb",
    "The service's answer (HTTP status %(status)s) is not JSON.": (
        "Nid yw ateb y gwasanaeth (statws HTTP %(status)s) yn JSON."
    ),
    "Unexpected answer": "Ateb annisgwyl",
    "The service's answer lacks fields this client needs.": (
        "Nid oes gan ateb y gwasanaeth y meysydd y mae eu hangen ar y cleient hwn."
    ),
    "Error from the service": "Gwall gan y gwasanaeth",
    "The service answered with HTTP status %(status)s.": "Atebodd y gwasanaeth gyda statws HTTP %(status)s.",
    "Invalid address": "Cyfeiriad annilys",
    "%(url)s is not a web address (http:// or https://).": "Nid yw %(url)s yn gyfeiriad gwe (http:// neu https://).",
    "Secure connection failed": "Methodd y cysylltiad diogel",
    "Could not make a secure connection to %(url)s.": "Nid oedd modd gwneud cysylltiad diogel â %(url)s.",
    "Request failed": "Methodd y cais",
    "The request to %(url)s failed.": "Methodd y cais i %(url)s.",
    "The service asked to wait %(asked)s seconds, longer than the %(bound)s seconds this client waits at most, "
    "so it did not try again.": (
        "Gofynnodd y gwasanaeth am aros %(asked)s eiliad, sy'n hirach na'r %(bound)s eiliad y mae'r cleient hwn yn "
        "aros ar y mwyaf, felly ni roddodd gynnig arall arni."
    ),
}

CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "cy": WELSH}


def N_(message: str) -> str:
    """Marks a message to translate where it is written, for translation where it is shown."""
    return message


def translator(language: str) -> Translate:
    """gettext for ``language`` (``en`` or ``cy``): a message's Welsh, or the English it was written in."""
    catalogue = CATALOGUES.get(language, {})
    return lambda message: catalogue.get(message, message)


def language_of(value: str | None) -> str | None:
    """``cy`` or ``en`` for a language tag or a locale (``cy_GB.UTF-8``, ``cy-GB``, ``cy,en``: the first one)."""
    first = (value or "").split(",")[0].split(":")[0].strip().lower()
    if first.startswith("cy"):
        return "cy"
    if first.startswith("en"):
        return "en"
    return None
