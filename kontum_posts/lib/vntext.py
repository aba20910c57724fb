"""Vietnamese text helpers: accent folding for search, and the Vietnamese sort order.

Pure functions, no ORM. Stored results (a folded search column, a sort key) behave the same
on SQLite and PostgreSQL, which share no Vietnamese collation.
"""

from __future__ import annotations

import re
import unicodedata

# Combining marks that make a distinct letter of the alphabet (ă â ê ô ơ ư) rather than a tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone marks in the order Vietnamese dictionaries use: none, grave, hook, tilde, acute, dot below.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]
# Two digits per letter, from 10, so keys are plain digits: digits compare the same under
# SQLite's BINARY and any PostgreSQL collation.
_RANK = {letter: f"{10 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_WORD_SEPARATOR = "01"
_TONE_SEPARATOR = "00"

_SPACES = re.compile(r"\s+")

# fold() gives at most this many characters for each character of its input: a Hangul syllable decomposes
# into three jamo (NFD), everything else into one or none (tests/kontum_posts/test_vntext.py checks every
# code point). A search column is sized from its name's limit with fold_length(), so it holds any name.
FOLD_GROWTH = 3


def fold_length(name_length: int) -> int:
    """The longest fold() of a name of `name_length` characters: the length of its search column."""
    return name_length * FOLD_GROWTH


def sort_key_length(name_length: int) -> int:
    """The longest sort key of a name of `name_length` characters (two digits and a tone per letter, "00")."""
    return name_length * 3 + 2


def normalize_name(value: str) -> str:
    """NFC, single spaces, trimmed: how names are stored whatever the keyboard produced."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Lower-case, accent-free form for search: "Đắk Glei" -> "dak glei".

    NFD drops the tone and vowel marks, but đ/Đ is its own code point that does not decompose,
    so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", value or "")
    # Control characters (NUL among them, which PostgreSQL refuses in a parameter) never match a name.
    stripped = "".join(
        ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cc"
    )
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("'", "").replace("’", "")
    return _SPACES.sub(" ", stripped.lower()).strip()


def _letters(word: str) -> tuple[str, str]:
    """Primary key (letters, with ă â ê ô ơ ư as letters of their own) and tone key of a word."""
    primary: list[str] = []
    tones: list[str] = []
    for cluster in _clusters(unicodedata.normalize("NFD", word.lower())):
        base, marks = cluster[0], cluster[1:]
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in (_BREVE, _CIRCUMFLEX, _HORN):
                base = unicodedata.normalize("NFC", base + mark)
        if base in _RANK:
            primary.append(_RANK[base])
            tones.append(str(tone))
        elif base.isdigit():
            primary.append(f"5{base}")
            tones.append("0")
        # other characters (apostrophes, hyphens) do not take part in the order
    return "".join(primary), "".join(tones)


def _clusters(decomposed: str):
    cluster = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and cluster:
            cluster += ch
        else:
            if cluster:
                yield cluster
            cluster = ch
    if cluster:
        yield cluster


def sort_key(words: list[str]) -> str:
    """A digit string that orders the words in Vietnamese alphabet order, tones second."""
    primaries, tones = [], []
    for word in words:
        primary, tone = _letters(word)
        primaries.append(primary)
        tones.append(tone)
    return _WORD_SEPARATOR.join(primaries) + _TONE_SEPARATOR + "".join(tones)


def person_sort_key(full_name: str) -> str:
    """Vietnamese order for people: the given name (last word) first, then the rest in order."""
    words = normalize_name(full_name).split(" ")
    if not words or words == [""]:
        return ""
    return sort_key([words[-1], *words[:-1]])


def place_sort_key(name: str) -> str:
    return sort_key(normalize_name(name).split(" "))


def in_text(name: str) -> str:
    """A unit's name inside a sentence, its kind in lower case: "Huyện Đắk Glei" -> "huyện Đắk Glei"."""
    return name[:1].lower() + name[1:]


def cell_default_name(commune_name: str) -> str:
    """A commune police Party cell's usual name: "Chi bộ Công an xã Đắk Choong" (the kind in lower case,
    as inside any name; "Chi bộ Công an Xã Đắk Choong" reads as a slip)."""
    return f"Chi bộ Công an {in_text(commune_name)}"
