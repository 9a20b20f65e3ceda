"""English for generated names: plurals, indefinite articles, and names that never repeat.

The generator's word lists are plain nouns and adjectives; these helpers make the titles and
publisher names read like real ones ("Quiet Libraries", "An Endless Harbor", one "Willow
House" only).

Example::

    plural("City")  # -> "Cities"
    with_article("Endless")  # -> "An Endless"
"""

import random
from collections.abc import Collection, Iterator, Sequence

VOWELS = frozenset("AEIOUaeiou")
SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural(noun: str) -> str:
    """Return the regular English plural of ``noun`` ("City" -> "Cities", "Box" -> "Boxes").

    The word lists hold regular nouns only; an irregular one ("Man") would need its own entry.
    """
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in VOWELS:
        return noun[:-1] + "ies"
    if noun.endswith(SIBILANT_ENDINGS):
        return noun + "es"
    return noun + "s"


def with_article(word: str) -> str:
    """Return ``word`` after its capitalised indefinite article: "A Quiet", "An Endless".

    Decides by the first letter, which is right for every word in the lists (no "Hour" or
    "Unicorn", whose sound and spelling disagree).
    """
    return f"{'An' if word[:1] in VOWELS else 'A'} {word}"


def unique_names(
    rng: random.Random, *, words: Sequence[str], suffixes: Sequence[str], taken: Collection[str]
) -> Iterator[str]:
    """Yield "<word> <suffix>" names in a shuffled order, never one in ``taken`` or twice.

    Once every pairing is used (or taken), later rounds number the names ("Oak Press 2"), so
    the generator never runs dry. Deterministic for a given ``rng`` state and ``taken``.
    """
    pairs = [f"{word} {suffix}" for word in words for suffix in suffixes]
    rng.shuffle(pairs)
    round_number = 1
    while True:
        for pair in pairs:
            name = pair if round_number == 1 else f"{pair} {round_number}"
            if name not in taken:
                yield name
        round_number += 1
