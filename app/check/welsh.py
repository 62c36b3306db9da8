"""Welsh initial mutations, so that a term written once in its radical form matches every form it takes.

Welsh changes the first sound of a word after certain words: ``Plaid`` is also
``Blaid`` (soft), ``Mhlaid`` (nasal) and ``Phlaid`` (aspirate); a word that
starts with a vowel can take an ``h`` (``adran`` → ``hadran``). Words here are
already folded to lower case without accents.
"""

# Radical initial → mutated initial, per mutation. Digraphs are listed before their first letter.
SOFT = {"ll": "l", "rh": "r", "p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f"}
NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}
# Initials that look like a mutable letter but are letters of their own and never mutate.
UNMUTABLE = ("ch", "ph", "th", "dd", "ff", "ng")
VOWELS = "aeiouwy"
# Short words written in several ways: the article (y, yr, 'r) and predicative yn ('n).
CLITIC_FORMS = ({"y", "yr", "'r"}, {"yn", "'n"}, {"ei", "'i"}, {"eu", "'u"}, {"fy", "'y"})


def _mutate(word, table):
    if word.startswith(UNMUTABLE):
        return None
    for initial in sorted(table, key=len, reverse=True):
        if word.startswith(initial):
            return table[initial] + word[len(initial) :]
    return None


def forms(radical: str) -> set[str]:
    """The radical and every mutated form of a folded Welsh word, including h-prothesis."""
    for clitic in CLITIC_FORMS:
        if radical in clitic:
            return set(clitic)
    found = {radical}
    for table in (SOFT, NASAL, ASPIRATE):
        mutated = _mutate(radical, table)
        if mutated:
            found.add(mutated)
    if radical[:1] in VOWELS:
        found.add("h" + radical)
    return found


# Mutated initial → the radical initials it may come from, longest first so that a digraph is read
# whole (``ngh`` before ``ng``, ``dd`` before ``d``). Built from the tables above, read backwards.
def _unmutations():
    found = {}
    for table in (SOFT, NASAL, ASPIRATE):
        for radical, mutated in table.items():
            if mutated:
                found.setdefault(mutated, set()).add(radical)
    return sorted(found.items(), key=lambda item: -len(item[0]))


UNMUTATIONS = _unmutations()
# Letters of their own that begin with a mutated initial's letter: ``llaw`` is no mutation of ``l``.
DIGRAPHS = ("ch", "dd", "ff", "ll", "ph", "rh", "th", "ng")


def radicals(word: str) -> set[str]:
    """The radical forms a folded Welsh word may be a mutation of (not the word itself): ``blaid`` →
    ``plaid``; ``fawr`` → ``bawr``, ``mawr``; ``ardd`` → ``gardd``; ``hadran`` → ``adran``.

    Without a dictionary every reading is kept; a model weighs the ones that never occur at nothing."""
    if len(word) < 3:
        return set()
    found = set()
    for mutated, initials in UNMUTATIONS:
        if word.startswith(mutated):
            if len(mutated) == 1 and word[:2] in DIGRAPHS:
                continue
            found.update(initial + word[len(mutated) :] for initial in initials)
            break
    if word[0] in VOWELS:
        found.add("g" + word)  # the soft mutation of g is to drop it
    elif word[0] == "h" and word[1] in VOWELS:
        found.add(word[1:])  # h-prothesis
    found.discard(word)
    return found
