"""Spreadsheet cells of prisoner registers, as real lists write them, turned into typed values.

Registers come from Belarusian and Russian groups and from their English translations, so every
parser reads English, Russian and Belarusian. A cell that cannot be read raises `ParseError`; its
message is shown to the researcher next to the row and column, so it names the value, says what was
wrong and which forms are accepted. Nothing here touches the database: the model validates the rest
(a date in the future, for one).
"""

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casetracker.written import (  # noqa: F401  (ParseError, parse_date, DATE_FORMS: what importers use from here)
    DATE_FORMS,
    ParseError,
    _cell_text,
    _fold,
    _words,
    parse_date,
)

# --- Penalties ------------------------------------------------------------------------------------


class PenaltyKind(StrEnum):
    """The same codes as the sentence model's kinds."""

    IMPRISONMENT = "imprisonment"
    LIFE = "life"
    DEATH = "death"
    RESTRICTED_FREEDOM = "restricted_freedom"
    CORRECTIONAL_LABOUR = "correctional_labour"
    SUSPENDED = "suspended"
    FINE = "fine"


class Regime(StrEnum):
    """The same codes as the sentence model's regimes."""

    GENERAL = "general"
    REINFORCED = "reinforced"
    STRICT = "strict"
    SPECIAL = "special"
    PRISON = "prison"


# Kinds measured by a term of years and months; the others have none.
TERM_KINDS = {
    PenaltyKind.IMPRISONMENT,
    PenaltyKind.RESTRICTED_FREEDOM,
    PenaltyKind.CORRECTIONAL_LABOUR,
    PenaltyKind.SUSPENDED,
}
# Only time in a colony or prison has a regime; life sentences are served under one too.
_KINDS_WITH_REGIME = {PenaltyKind.IMPRISONMENT, PenaltyKind.LIFE}

_KIND_NAMES = {
    PenaltyKind.IMPRISONMENT: gettext_lazy("imprisonment"),
    PenaltyKind.LIFE: gettext_lazy("life imprisonment"),
    PenaltyKind.DEATH: gettext_lazy("the death penalty"),
    PenaltyKind.RESTRICTED_FREEDOM: gettext_lazy("restricted freedom"),
    PenaltyKind.CORRECTIONAL_LABOUR: gettext_lazy("correctional labour"),
    PenaltyKind.SUSPENDED: gettext_lazy("a suspended sentence"),
    PenaltyKind.FINE: gettext_lazy("a fine"),
}

# The sentence model's fine column holds this many characters.
MAX_FINE_LENGTH = 100


@dataclass(frozen=True)
class Penalty:
    """A sentence as a register states it: "5 лет колонии строгого режима" is imprisonment, 5 years, strict."""

    kind: str
    years: int = 0
    months: int = 0
    fine: str = ""
    regime: str = ""


PENALTY_FORMS = gettext_lazy(
    'write e.g. "3 years 6 months", "5 лет строгого режима", "2 гады умоўна", "life", "death penalty", '
    '"fine 500 BYN" or "restricted freedom 3 years"'
)

# Units after a number, in the forms Russian and Belarusian take after 1, 2-4 and 5+ ("1 год", "2 гады", "5 гадоў")
# and after "к" ("к 5 годам"); folded, so гадоў is гадоу and месяцаў is месяцау.
_TERM_UNITS = {
    "years": r"years?|yrs?|y|г|год|года|году|годам|лет|гады|гадоу|гадам",
    "months": r"months?|mos?|mths?|m|мес|месяц|месяца|месяцу|месяцев|месяцам|месяцы|месяцау|м",
    # Refused below: days are administrative arrests, not the sentences this column records.
    "days": r"days?|d|дн|дня|дней|дзен|сут|суток|сутки|сутак",
}
_TERM = re.compile(
    r"(?P<number>\d+) ?(?:" + "|".join(f"(?P<{unit}>{pattern})" for unit, pattern in _TERM_UNITS.items()) + ")"
    r"(?![^\W\d_])"  # a letter may not follow: "3г" and "3y6m" are terms, "3 мая" and "3 гадзіны" are not
)

# What each phrase in a penalty cell says, on folded text (е for ё, у for ў). Earlier entries win, so
# "исправительные работы" is read before "исправительной" (колонии) is passed over as a filler.
_PENALTY_PHRASES = [
    (
        r"death(?: penalty| sentence)?|смертн\w* казн\w*|смяротн\w* (?:пакаранн\w*|кар\w*)|расстр[еэ]л\w*",
        PenaltyKind.DEATH,
    ),
    (r"life(?: sentence)?|пожизненн\w*|пажыццев\w*", PenaltyKind.LIFE),
    (r"suspended(?: sentence)?|probation|conditional(?:ly)?|условн\w*|умоун\w*", PenaltyKind.SUSPENDED),
    (
        r"restrict(?:ed|ion of) (?:freedom|liberty)|khimiya|огранич\w* свобод\w*|абмежаванн\w* вол\w*|хими\w*|хімі\w*",
        PenaltyKind.RESTRICTED_FREEDOM,
    ),
    (
        r"correct(?:ional|ive) labou?r|исправительн\w* работ\w*|выпрауленч\w* работ\w*",
        PenaltyKind.CORRECTIONAL_LABOUR,
    ),
    (
        r"imprisonment|(?:penal )?colony|лишени\w* свобод\w*|пазбауленн\w* вол\w*|зняволенн\w*|колони\w*|калоні\w*",
        PenaltyKind.IMPRISONMENT,
    ),
    # Regimes by their adjectives only, so "особо тяжкое" in a pasted charge is not a special regime.
    (r"general|общ(?:ий|его|ем)|агульн(?:ы|ага|ым)", Regime.GENERAL),
    (r"reinforced|усиленн?(?:ый|ого|ом)|узмоцнен(?:ы|ага|ым)", Regime.REINFORCED),
    (r"strict|строг(?:ий|ого|ом|і|ага|ім)", Regime.STRICT),
    (r"special|особ(?:ый|ого|ом)|асаблів(?:ы|ага|ым)", Regime.SPECIAL),
    (r"prison|тюр[ье]м\w*|турэ?м\w*", Regime.PRISON),
    # Words that add nothing to kind, term or regime.
    (r"regime|режим\w*|рэжым\w*|sentenced|sentence|приговор\w*|осужд\w*|прысуд\w*|асуджан\w*|срок\w*|тэрмін\w*", None),
    (r"(?:с|без|з) (?:направлени\w*|накіраванн\w*)", None),  # restricted freedom away from home or at home
    (r"исправительн\w* учреждени\w* открытого типа|выпрауленч\w* установ\w* адкрытага тыпу", None),
    (r"исправительн\w*|выпрауленч\w*|в виде|у выглядзе", None),
    (r"and|in|a|an|of|to|the|и|і|в|у|с|з|к|на|да", None),
]
_PENALTY_VOCABULARY = [(re.compile(rf"(?:{pattern})(?!\w)"), meaning) for pattern, meaning in _PENALTY_PHRASES]

# "штраф 100 базовых величин", "штраф в размере 3200 руб.", "fine of 500 BYN": the amount runs to the end
# of the cell or to "and" / "и", and is kept as written.
_FINE = re.compile(
    r"\b(?:fine|штраф\w*)\b(?: (?:of|в размере|у памеры))?(?P<amount>.*?)(?= (?:and|plus|и|і|плюс) |[;+]|$)"
)
_FRACTION = re.compile(r"\d+[.,]\d+")


def _not_a_penalty(text, reason=""):
    if reason:
        message = _('"%(text)s" is not a penalty: %(reason)s; %(forms)s.')
        return ParseError(message % {"text": text, "reason": reason, "forms": PENALTY_FORMS})
    return ParseError(_('"%(text)s" is not a penalty: %(forms)s.') % {"text": text, "forms": PENALTY_FORMS})


def parse_penalty(value):
    """A `Penalty` from a register cell, None for an empty cell; `ParseError` if unreadable."""
    text = _cell_text(value)
    if not text:
        return None
    folded = _fold(text)
    fine, rest = _take_fine(text, folded)
    if fraction := _FRACTION.search(rest):
        raise _not_a_penalty(
            text,
            _('"%(number)s" is ambiguous (a half, or months after the point?); give whole years and months')
            % {"number": fraction.group()},
        )
    kinds, regimes, years, months = set(), set(), [], []
    for meaning, found in _read_phrases(text, rest):
        if meaning == "years":
            years.append(int(found["number"]))
        elif meaning == "months":
            months.append(int(found["number"]))
        elif isinstance(meaning, Regime):
            regimes.add(meaning)
        elif isinstance(meaning, PenaltyKind):
            kinds.add(meaning)
    if len(years) > 1 or len(months) > 1:
        raise _not_a_penalty(
            text, _("it gives more than one term; put each penalty in its own cell or separate them with |")
        )
    if len(regimes) > 1:
        raise _not_a_penalty(text, _("it names more than one regime"))
    kind = _penalty_kind(text, kinds, implies_imprisonment=bool(years or months or regimes), has_fine=fine is not None)
    regime = next(iter(regimes), "")
    total_months = sum(years) * 12 + sum(months)
    if kind in TERM_KINDS and not total_months:
        needs = _("%(kind)s needs a term above zero") if years or months else _("%(kind)s needs a term")
        raise _not_a_penalty(text, needs % {"kind": _KIND_NAMES[kind]})
    if kind not in TERM_KINDS and (years or months):
        raise _not_a_penalty(text, _("%(kind)s has no term") % {"kind": _KIND_NAMES[kind]})
    if regime and kind not in _KINDS_WITH_REGIME:
        raise _not_a_penalty(text, _("%(kind)s has no regime") % {"kind": _KIND_NAMES[kind]})
    return Penalty(kind, years=total_months // 12, months=total_months % 12, fine=fine or "", regime=regime)


def _take_fine(text, folded):
    """The fine amount as written (None if the cell names no fine) and the folded cell with the fine blanked out."""
    fines = list(_FINE.finditer(folded))
    if not fines:
        return None, folded
    if len(fines) > 1:
        raise _not_a_penalty(text, _("it names more than one fine"))
    found = fines[0]
    amount = text[found.start("amount") : found.end("amount")].strip(" :")
    if not re.search(r"\d", amount):
        raise _not_a_penalty(text, _("a fine needs its amount"))
    if len(amount) > MAX_FINE_LENGTH:
        longer = ngettext(
            "the fine amount is longer than %(count)d character",
            "the fine amount is longer than %(count)d characters",
            MAX_FINE_LENGTH,
        )
        raise _not_a_penalty(text, longer % {"count": MAX_FINE_LENGTH})
    # Blanked, not cut, so positions in the rest still point at the same words of the original text.
    return amount, folded[: found.start()] + " " * (found.end() - found.start()) + folded[found.end() :]


_PUNCTUATION = re.compile(r"[.,:;()\"«»/]")
_WORD = re.compile(r"\S+")


def _read_phrases(text, rest):
    """(meaning, match) for each term and phrase of the cell; every word must be understood."""
    rest = _PUNCTUATION.sub(" ", rest)
    phrases, unknown = [], []
    position = 0
    while word := _WORD.search(rest, position):
        position = word.start()
        if term := _TERM.match(rest, position):
            unit = next(unit for unit in _TERM_UNITS if term[unit] is not None)
            if unit == "days":
                raise _not_a_penalty(text, _("terms are counted in years and months, not days"))
            phrases.append((unit, term))
            position = term.end()
            continue
        for pattern, meaning in _PENALTY_VOCABULARY:
            if phrase := pattern.match(rest, position):
                phrases.append((meaning, phrase))
                position = phrase.end()
                break
        else:
            unknown.append(f'"{text[word.start() : word.end()]}"')
            position = word.end()
    if unknown:
        raise _not_a_penalty(text, _("did not understand %(words)s") % {"words": ", ".join(unknown)})
    return phrases


# Kinds that may be named together with imprisonment: "life imprisonment", "2 года лишения свободы условно".
_NARROWING_IMPRISONMENT = {PenaltyKind.LIFE, PenaltyKind.SUSPENDED}


def _penalty_kind(text, kinds, implies_imprisonment, has_fine):
    specific = kinds - {PenaltyKind.IMPRISONMENT}
    if implies_imprisonment and not specific:
        kinds = kinds | {PenaltyKind.IMPRISONMENT}  # a bare term ("5 лет", "3 years general regime") is prison time
    if has_fine:
        specific.add(PenaltyKind.FINE)  # the model keeps a fine apart: "Only a fine has an amount."
    clash = PenaltyKind.IMPRISONMENT in kinds and specific - _NARROWING_IMPRISONMENT
    if len(specific) > 1 or clash:
        names = sorted(str(_KIND_NAMES[kind]) for kind in specific | (kinds & {PenaltyKind.IMPRISONMENT}))
        named = functools.reduce(lambda a, b: _("%(first)s and %(second)s") % {"first": a, "second": b}, names)
        message = _("it names %(penalties)s; put each penalty in its own cell or separate them with |")
        raise _not_a_penalty(text, message % {"penalties": named})
    if specific:
        return specific.pop()
    if kinds:
        return PenaltyKind.IMPRISONMENT
    raise _not_a_penalty(text)


# --- Yes/no and multi-value cells -----------------------------------------------------------------

_BOOLEANS = _words({True: "yes y true 1 да так +", False: "no n false 0 нет не -"})


def parse_bool(value):
    """True or False from a yes/no cell, None for an empty cell; `ParseError` otherwise."""
    if isinstance(value, bool):
        return value
    text = _cell_text(value)
    if not text:
        return None
    try:
        return _BOOLEANS[_fold(text)]
    except KeyError:
        raise ParseError(
            _('"%(text)s" is not yes or no: write yes, no, да, нет, так, не, +, -, 1 or 0.') % {"text": text}
        ) from None


def split_values(cell):
    """The values of a cell holding several, separated by | or ;. Commas are no separator: they occur
    inside charge labels and dates ("March 14, 2021")."""
    return [value.strip() for value in re.split(r"[|;]", _cell_text(cell)) if value.strip()]
