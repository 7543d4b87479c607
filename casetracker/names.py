"""Transliteration-tolerant name search: word keys that survive script, transliteration and language.

A name is seen as "Maria Kalesnikava" in a rights group's list, "Мария Колесникова" in Russian media,
"Maria Kolesnikowa" in German and "Kolesnikova Maria" in a court register. `words` folds a name to ASCII
words; `name_key` reduces one word to a phonetic key that is equal for all those spellings; a query
matches a name when each query word's key equals, or is a prefix of, the key of some word of the name.
`similarity` is PostgreSQL's pg_trgm similarity, so SQLite can rank near matches exactly as PostgreSQL does.
`clean_query` makes typed text safe for a database (no NUL byte, at most MAX_QUERY_LENGTH characters); `words`
ignores symbols such as emoji. The search itself, and the index it reads, are in prisoners.search.

A key is the word's consonants, each reduced to a sound class, with each run of vowels reduced to one
of three letters and the final vowels (grammatical and gender endings) dropped:

    consonants  b d f g k l m n p r s t v z as themselves, but g = г/h, t = т/ц, v = в/ў/w,
                x = х/ч, w = ш/щ, j = ж
    vowels      u: a run holding u (у, ю);  a: else a run holding a, e or o;  i: a run of i, y, j only

Kalesnikava, Kolesnikova, Kolesnikowa, Калеснікава and Колесникова all give "kalasnikav".
"""

import functools
import re
import struct
import unicodedata

from casetracker.text import fold

# Before folding: marks that are not letters must not split a word (Ales' / Алесь / Aleś), and letters whose
# ASCII fold would lose a sound (č -> c, ž -> z) are spelt as the digraph the rules below understand.
_BEFORE_FOLD = str.maketrans(
    {
        **dict.fromkeys("'’‘ʼʹʺ`´ьЬъЪ", ""),
        "č": "ch",  # Belarusian Łacinka, Czech, ISO 9: Statkievič
        "Č": "Ch",
        "š": "sh",
        "Š": "Sh",
        "ŝ": "shch",  # ISO 9 щ
        "Ŝ": "Shch",
        "ž": "zh",
        "Ž": "Zh",
        "ż": "zh",  # Polish: Żodzino
        "Ż": "Zh",
    }
)

# Rewrite rules for one folded word: (pattern, class, the spelling difference it absorbs). At each position the
# first rule that matches wins, so digraphs come before their letters. Consonant classes are written upper-case
# here so they are never taken for vowels; vowels are kept as they are and classed afterwards.
_RULES = [
    ("shch|szcz|schtsch|sch|sh|sz", "W", "ш and щ as one: sh, Polish sz / szcz, German sch; sch spells both"),
    # Polish rz is ж after a consonant or at either end (Andrzej, Grzegorz); between vowels it is р + з (Kara-Murza).
    ("zh|(?:(?<=[bdghkptw])|^)rz(?!h)|rz$", "J", "ж: zh, Polish rz (ż and ž were spelt zh before folding)"),
    ("tsch|tch|ch|cz|kh", "X", "ч and х as one: ch is ч in English but х in German, Polish and Czech"),
    ("dz(?!h)", "D", "Belarusian дз(ь) for Russian д: Hrydzin / Gridin, Dzmitry / Dmitry; dzh is д + ж"),
    # ц and т in one class whatever follows: Belarusian ць for Russian т (Tsikhanouski / Tikhanovsky), and a rule
    # keyed on the next vowel fails where akanne changes that vowel (Tsepkalo / Tsapkala).
    ("ts|tz|c", "T", "ц = ts, Polish and Łacinka c, German tz; Belarusian ць for Russian т"),
    ("x", "KS", "x = ks: Maxim / Maksim, Alexei / Aleksei"),
    ("(?<=[aeo])u", "V", "ў after a vowel for Russian в: Tsikhanouski / Tikhanovsky (after i, y, j: iu = ю)"),
    ("^u(?=[^aeiouyj])", "V", "Belarusian initial У- for Russian В-: Uladzimir / Vladimir"),
    ("[vw]", "V", "w = v in German and Polish: Kolesnikowa"),
    ("[gh]", "G", "г = h in Belarusian, g in Russian: Hrodna / Grodno, Ihar / Igor"),
    ("[kq]", "K", "k (q only in stray spellings)"),
    ("[bdflmnprstz]", None, "other consonants are spelt alike everywhere"),
    ("[aeiouyj]|[0-9]", "", "vowels and й (y, j) are kept for now and classed below; digits as they are"),
]
_PATTERN = re.compile("|".join(f"({pattern})" for pattern, _, _ in _RULES))
_CLASSES = [code for _, code, _ in _RULES]

_VOWELS = re.compile("[aeiouyj]+")
_DOUBLED = re.compile(r"([A-Z])\1+")


def _rewrite(match):
    code = _CLASSES[match.lastindex - 1]
    text = match.group()
    return text.upper() if code is None else code or text


def _vowel_class(match):
    # Vowels are unreliable: akanne writes unstressed o as a (Losik / Lasik), yakanne e as ia (Vesna / Viasna),
    # ё is io, yo, jo or e, ы and и are y and i. Only three classes survive: u (у, ю), i (и, ы, і, й) and the rest.
    run = match.group()
    if "u" in run:
        return "u"
    if any(letter in run for letter in "aeo"):
        return "a"
    return "i"


# Longest query a search takes (a name's spelling is never longer).
MAX_QUERY_LENGTH = 200


def _blank(text, unwanted):
    return "".join(" " if unwanted(unicodedata.category(char)) else char for char in text)


def _control(category):
    return category[0] == "C"  # control and format characters: NUL, zero-width joiners, unassigned code points


def _control_or_symbol(category):
    # Symbols too: anyascii spells an emoji as a word (😀 -> ":grinning:") and a flag as a country code.
    return _control(category) or category == "So"


def clean_query(text):
    """What someone typed, safe for any database: no NUL or other control character, single spaces, at most
    MAX_QUERY_LENGTH characters."""
    return " ".join(_blank((text or "")[: MAX_QUERY_LENGTH * 2], _control).split())[:MAX_QUERY_LENGTH]


def words(text):
    """The folded words of a name or query: 'Palina Sharenda-Panasiuk' -> ['palina', 'sharenda', 'panasiuk']."""
    return fold(_blank((text or "").translate(_BEFORE_FOLD), _control_or_symbol)).split()


@functools.lru_cache(maxsize=100_000)  # a register's words recur: each key is worked out once
def name_key(word):
    """The phonetic key of one folded word: 'kalesnikava', 'kolesnikova', 'kolesnikowa' -> 'kalasnikav'."""
    key = _PATTERN.sub(_rewrite, word)
    key = _DOUBLED.sub(r"\1", key)  # doubled letters: Anna / Ana, Lossik (German) / Losik
    key = _VOWELS.sub(_vowel_class, key)
    # Final vowels are endings: -a / -aya / -aja, -i / -y / -iy / -ij / -ii, Russian -o for Belarusian -a.
    stem = key.rstrip("aiu")
    return (stem or key).lower()


def name_keys(text):
    """The keys of every word of a name, in order, without repeats."""
    return list(dict.fromkeys(name_key(word) for word in words(text)))


def matches(query, name):
    """Whether every query word's key equals or starts the key of some word of `name`, in any order."""
    name_word_keys = name_keys(name)
    query_keys = name_keys(query)
    return bool(query_keys) and all(any(key.startswith(part) for key in name_word_keys) for part in query_keys)


def _trigrams(text):
    """pg_trgm's trigrams: each lower-cased alphanumeric run padded with two spaces in front and one behind."""
    grams = set()
    for word in "".join(char if char.isalnum() else " " for char in text.lower()).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a, b):
    """pg_trgm's similarity(a, b): shared trigrams over all trigrams, rounded to float4 as PostgreSQL returns it."""
    first, second = _trigrams(a or ""), _trigrams(b or "")
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return struct.unpack("f", struct.pack("f", shared / (len(first) + len(second) - shared)))[0]
