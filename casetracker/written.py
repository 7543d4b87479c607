"""Values as people write them: text cleaned of invisible characters, words folded to one script and
spelling, and approximate dates in English, Russian and Belarusian ("mid-March 2021", "14 марта 2021",
"у сакавіку 2021", "14.03.2021", "2021").

Shared by register imports (registers.parsing reads spreadsheet cells with it) and the admin's one-field
date entry (casetracker.date_entry). `ParseError`'s message is written for the person who typed the
value: it names it, says what is wrong and which forms are accepted.
"""

import calendar
import datetime
import math
import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import ApproximateDate, Precision


class ParseError(ValueError):
    """A cell that cannot be read; the message is written for the researcher fixing the sheet."""


# --- Cell text ------------------------------------------------------------------------------------

# Zero-width spaces, byte-order marks and soft hyphens survive copying from web pages and Word.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Lists typed on two keyboard layouts mix Latin and Cyrillic letters that look alike ("сакавiку" with a
# Latin i). Each word is moved to the script most of its letters are in.
_LATIN_LOOKALIKES = "aceiopxyABCEHIKMOPTXY"
_CYRILLIC_LOOKALIKES = "асеіорхуАВСЕНІКМОРТХУ"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)

# Spellings people use interchangeably: ё for е, у for the Belarusian ў, any dash for a hyphen.
_SPELLING = str.maketrans({"ё": "е", "ў": "у", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})


def _cell_text(value):
    """The cell as text with single spaces; spreadsheet libraries hand over numbers, and NaN for empty cells."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE).split())


def _one_script(word):
    word = word.group()
    cyrillic = sum("\u0400" <= letter <= "\u04ff" for letter in word)
    latin = sum("a" <= letter <= "z" for letter in word.lower())
    if not (cyrillic and latin):
        return word
    return word.translate(_TO_CYRILLIC if cyrillic > latin else _TO_LATIN)


def _fold(text):
    """Lower case, one script per word, one spelling; keeps the length, so a match can be cut from the original."""
    text = re.sub(r"\w+", _one_script, text)
    return "".join(letter.lower() if len(letter.lower()) == 1 else letter for letter in text).translate(_SPELLING)


def _words(table):
    """{value: "space-separated forms"} -> {folded form: value}."""
    return {_fold(form): value for value, forms in table.items() for form in forms.split()}


# --- Dates ----------------------------------------------------------------------------------------

# Translators: the dates are examples the reader accepts; it reads Belarusian, Russian and English month names.
DATE_FORMS = gettext_lazy(
    'write 2021, 03.2021, 14.03.2021, 2021-03-14 or "mid-March 2021" (Russian and Belarusian month names work too)'
)

# Years before this are typos in a register of living cases ("1021" for "2021"), not history.
EARLIEST_YEAR = 1900

# Month names as registers write them: nominative ("март 2021"), genitive ("14 марта 2021") and
# prepositional/locative ("в марте 2021", "у сакавіку 2021"), plus common abbreviations; English, Russian,
# Belarusian, two spaces apart.
_MONTHS = _words(
    {
        1: "january jan  январь января январе янв  студзень студзеня студзені",
        2: "february feb  февраль февраля феврале фев февр  люты лютага лютым",
        3: "march mar  март марта марте мар  сакавік сакавіка сакавіку",
        4: "april apr  апрель апреля апреле апр  красавік красавіка красавіку",
        5: "may  май мая мае  май мая маі",
        6: "june jun  июнь июня июне июн  чэрвень чэрвеня чэрвені",
        7: "july jul  июль июля июле июл  ліпень ліпеня ліпені",
        8: "august aug  август августа августе авг  жнівень жніўня жніўні",
        9: "september sep sept  сентябрь сентября сентябре сен сент  верасень верасня верасні",
        10: "october oct  октябрь октября октябре окт  кастрычнік кастрычніка кастрычніку",
        11: "november nov  ноябрь ноября ноябре ноя нояб  лістапад лістапада лістападзе",
        12: "december dec  декабрь декабря декабре дек  снежань снежня снежні",
    }
)

# "early/mid/late March", "(в) начале/середине/конце марта", "(у) пачатку/сярэдзіне/канцы сакавіка".
_MONTH_PARTS = _words(
    {
        Precision.EARLY: "early beginning  начало начале  пачатак пачатку",
        Precision.MID: "mid middle  середина середине  сярэдзіна сярэдзіне",
        Precision.LATE: "late end  конец конце  канец канцы",
    }
)

# "2021 г.", "14 марта 2021 года", "в 2021 году", "у 2021 годзе": the word for year adds nothing.
_YEAR_WORD = re.compile(r"(?<=\d) ?(?:г|год|года|году|годзе)\.?$")
_PREPOSITION = re.compile(r"^(?:в|у|in) ")

_NUMERIC_DATES = [
    (re.compile(r"(?P<year>\d{4})"), Precision.YEAR),
    (re.compile(r"(?P<month>\d{1,2})[./](?P<year>\d{4})"), Precision.MONTH),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})"), Precision.MONTH),
    # Dotted and slashed dates are European, so always day first: 03.04.2021 is 3 April.
    (re.compile(r"(?P<day>\d{1,2})(?P<separator>[./])(?P<month>\d{1,2})(?P=separator)(?P<year>\d{4})"), Precision.DAY),
    # Spreadsheet exports write date cells as ISO dates, often with a midnight time.
    (
        re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?"),
        Precision.DAY,
    ),
]

# 14.03.21 may be 1921 or 2021, and 03.21 may be March 2021 or 3 December without a year.
_SHORT_YEAR = re.compile(r"\d{1,2}[./]\d{1,2}(?:[./]\d{1,2})?")

_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")  # "March 14th"
_DATE_PUNCTUATION = re.compile(r"[,.\-]")  # "March 14, 2021", "Mar. 2021", "mid-March"
_DIGITS_AGAINST_LETTERS = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")  # "14марта"

# On folded text with punctuation and ordinals gone: "mid march 2021", "14 марта 2021", "march 14 2021",
# "end of march 2021".
_WORDED_DATE = re.compile(
    r"(?:(?P<part>[^\W\d_]+) (?:of )?)?"
    r"(?:(?P<day>\d{1,2}) )?"
    r"(?P<month>[^\W\d_]+) "
    r"(?:(?P<day_after>\d{1,2}) )?"
    r"(?P<year>\d+)"
)


def _not_a_date(text, reason=""):
    if reason:
        return ParseError(
            _('"%(text)s" is not a date: %(reason)s; %(forms)s.')
            % {"text": text, "reason": reason, "forms": DATE_FORMS}
        )
    return ParseError(_('"%(text)s" is not a date: %(forms)s.') % {"text": text, "forms": DATE_FORMS})


def parse_date(value):
    """An `ApproximateDate` from a register cell, None for an empty cell; `ParseError` if unreadable."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return ApproximateDate(value, Precision.DAY)
    text = _cell_text(value)
    if not text:
        return None
    core = _PREPOSITION.sub("", _YEAR_WORD.sub("", _fold(text)))
    for pattern, precision in _NUMERIC_DATES:
        if match := pattern.fullmatch(core):
            numbers = {name: int(number) for name, number in match.groupdict().items() if name != "separator"}
            return _approximate_date(text, precision=precision, **numbers)
    if _SHORT_YEAR.fullmatch(core):
        raise _not_a_date(text, _("the year needs all four digits"))
    return _worded_date(text, core)


def _worded_date(text, core):
    words = _DATE_PUNCTUATION.sub(" ", _ORDINAL_SUFFIX.sub("", core))
    words = " ".join(_DIGITS_AGAINST_LETTERS.sub(" ", words).split())
    match = _WORDED_DATE.fullmatch(words)
    if not match:
        raise _not_a_date(text)
    part, month, year = match["part"], match["month"], match["year"]
    day = match["day"] or match["day_after"]
    if month in _MONTH_PARTS:
        raise _not_a_date(text, _("early, mid and late need a month"))
    if month not in _MONTHS:
        raise _not_a_date(text, _('"%(word)s" is not a month name') % {"word": month})
    if part is not None and part not in _MONTH_PARTS:
        raise _not_a_date(text)
    if part and day:
        raise _not_a_date(text, _("give a day or early/mid/late, not both"))
    if len(year) != 4:
        raise _not_a_date(text, _("the year needs all four digits"))
    precision = Precision.DAY if day else _MONTH_PARTS.get(part, Precision.MONTH)
    return _approximate_date(text, precision=precision, year=int(year), month=_MONTHS[month], day=int(day or 1))


def _approximate_date(text, precision, year, month=1, day=1):
    if year < EARLIEST_YEAR:
        raise _not_a_date(
            text, _("%(year)s is before %(earliest)s, probably a typo") % {"year": year, "earliest": EARLIEST_YEAR}
        )
    if not 1 <= month <= 12:
        if precision == Precision.DAY and 1 <= day <= 12:
            raise _not_a_date(text, _("there is no month %(month)s (dates are read day first)") % {"month": month})
        raise _not_a_date(text, _("there is no month %(month)s") % {"month": month})
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        month_of_year = ApproximateDate(datetime.date(year, month, 1), Precision.MONTH)  # "February 2021"
        raise _not_a_date(text, _("%(month)s has no day %(day)s") % {"month": month_of_year, "day": day})
    return ApproximateDate(datetime.date(year, month, day), precision)


# --- Ranges and seasons ---------------------------------------------------------------------------

# Translators: periods as the reader accepts them (it reads Belarusian, Russian and English).
RANGE_FORMS = gettext_lazy(
    '"between June and August 2026", "June – August 2026", "from 3 to 10 May 2026" or "summer 2026"'
)

# Seasons as months (first, last) of the same year. Winter is not here: "winter 2026" is December 2025 to
# February 2026 for some writers and December 2026 to February 2027 for others; the record needs the months.
_SEASONS = _words(
    {
        (3, 5): "spring  весна весной весны весне  вясна вясной вясны вясне",
        (6, 8): "summer  лето летом лета  летам",
        (9, 11): "autumn fall  осень осенью осени  восень восенню восені",
    }
)
_WINTER = _words({"winter": "winter  зима зимой зимы  зіма зімой зімы"})
# What may stand between the two dates of a period: "between A and B", "from A to B", "A to B", "A – B", "A–B";
# Russian "с A по/до B", Belarusian "з A па/да B".
_OPENING = re.compile(r"(?:between|from|с|з) ")
_BETWEEN = re.compile(r" and | to | - | по | до | па | да |-")


def parse_range(value):
    """(first, last) `ApproximateDate`s from a period as people write it; `ParseError` if it is not one."""
    text = _cell_text(value)
    core = _PREPOSITION.sub("", _YEAR_WORD.sub("", _fold(text)))
    if (season := re.fullmatch(r"(?P<season>[^\W\d_]+) (?P<year>\d{4})", core)) is not None:
        if season["season"] in _WINTER:
            raise ParseError(
                _(
                    '"%(text)s" is not a period the record can hold: winter spans two years, so write its months '
                    '("December 2025 – February 2026").'
                )
                % {"text": text}
            )
        if season["season"] in _SEASONS:
            first, last = _SEASONS[season["season"]]
            year = int(season["year"])
            return (
                _approximate_date(text, Precision.MONTH, year, first),
                _approximate_date(text, Precision.MONTH, year, last),
            )
    core = _OPENING.sub("", core, count=1)
    for between in _BETWEEN.finditer(core):  # the first place it splits into two dates ("mid-June to …": not at "-")
        first_text, last_text = core[: between.start()].strip(), core[between.end() :].strip()
        if not first_text or not last_text:
            continue  # "2021 -": a dash with nothing after it is no period
        try:
            last = parse_date(last_text)
            try:
                first = parse_date(first_text)
            except ParseError:
                # "June to August 2026", "3 to 10 May 2026": the first borrows what the last says after it.
                first = _borrowing(first_text, last)
        except ParseError:
            continue
        if last.latest < first.earliest:
            raise ParseError(
                _('"%(text)s": the period ends (%(last)s) before it begins (%(first)s).')
                % {"text": text, "last": last, "first": first}
            )
        return first, last
    raise ParseError(
        _('"%(text)s" is not a date or a period: %(dates)s; a period: %(periods)s.')
        % {"text": text, "dates": DATE_FORMS, "periods": RANGE_FORMS}
    )


def looks_like_a_period(value):
    """Whether text is written as a period (two dates with "to", "and", a dash …, or a season), readable or not:
    which of the two messages, the date's or the period's, tells its writer what went wrong."""
    core = _PREPOSITION.sub("", _YEAR_WORD.sub("", _fold(_cell_text(value))))
    first_word = core.split(" ", 1)[0]
    return bool(_OPENING.match(core) or _BETWEEN.search(core.replace("-", " ")) or " - " in core
                or first_word in _SEASONS or first_word in _WINTER)  # fmt: skip


def _borrowing(first_text, last):
    """The first date of a period written without what its last date says: its year, or its month and year."""
    words = first_text.split()
    if len(words) == 1 and words[0].isdigit():  # a day: "3 to 10 May 2026"
        return parse_date(f"{words[0]}.{last.day.month}.{last.day.year}")
    return parse_date(f"{first_text} {last.day.year}")
