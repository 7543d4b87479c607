"""Register cells as real lists write them, read into dates, penalties and yes/no values (no database)."""

import datetime

import pytest

from casetracker.dates import ApproximateDate, Precision
from prisoners.models import TERM_KINDS as MODEL_TERM_KINDS
from prisoners.models import Regime as ModelRegime
from prisoners.models import SentenceKind
from registers.parsing import (
    TERM_KINDS,
    ParseError,
    Penalty,
    PenaltyKind,
    Regime,
    parse_bool,
    parse_date,
    parse_penalty,
    split_values,
)

DATE_FORMS = 'write 2021, 03.2021, 14.03.2021, 2021-03-14 or "mid-March 2021"'
PENALTY_FORMS = '"3 years 6 months", "5 лет строгого режима", "2 гады умоўна", "life", "death penalty"'


def written(text):
    return str(parse_date(text))


# --- Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["", "   ", "\u00a0", None, float("nan")])
def test_empty_cells_are_no_value(cell):
    assert (parse_date(cell), parse_penalty(cell), parse_bool(cell)) == (None, None, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021", "2021"),
        ("2021 г.", "2021"),
        ("2021 г", "2021"),
        ("2021г.", "2021"),
        ("2021 год", "2021"),
        ("в 2021 году", "2021"),
        ("у 2021 годзе", "2021"),
        ("03.2021", "March 2021"),
        ("3.2021", "March 2021"),
        ("03/2021", "March 2021"),
        ("2021-03", "March 2021"),
        ("14.03.2021", "14 March 2021"),
        ("14/03/2021", "14 March 2021"),
        ("14.3.2021", "14 March 2021"),
        ("2021-03-14", "14 March 2021"),
        ("14.03.2021 г.", "14 March 2021"),
        ("29.02.2024", "29 February 2024"),
    ],
)
def test_numeric_dates_give_year_month_or_day_precision(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize("text, expected", [("03.04.2021", "3 April 2021"), ("3/4/2021", "3 April 2021")])
def test_dotted_and_slashed_dates_are_read_day_first(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 March 2021", "14 March 2021"),
        ("March 14, 2021", "14 March 2021"),
        ("March 14th, 2021", "14 March 2021"),
        ("1st March 2021", "1 March 2021"),
        ("14 MARCH 2021", "14 March 2021"),
        ("March 2021", "March 2021"),
        ("Mar 2021", "March 2021"),
        ("Mar. 2021", "March 2021"),
        ("sept 2021", "September 2021"),
        ("in March 2021", "March 2021"),
    ],
)
def test_english_dates_in_words(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("early March 2021", "early March 2021"),
        ("mid-March 2021", "mid-March 2021"),
        ("mid March 2021", "mid-March 2021"),
        ("Mid–March 2021", "mid-March 2021"),
        ("late March 2021", "late March 2021"),
        ("LATE MARCH 2021", "late March 2021"),
        ("end of March 2021", "late March 2021"),
    ],
)
def test_english_dates_with_early_mid_late(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 марта 2021", "14 March 2021"),
        ("14 марта 2021 г.", "14 March 2021"),
        ("14 марта 2021 года", "14 March 2021"),
        ("март 2021", "March 2021"),
        ("Марта 2021", "March 2021"),
        ("в марте 2021", "March 2021"),
        ("в марте 2021 г.", "March 2021"),
    ],
)
def test_russian_dates_in_words(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("начало марта 2021", "early March 2021"),
        ("в начале марта 2021", "early March 2021"),
        ("середина марта 2021", "mid-March 2021"),
        ("в середине марта 2021", "mid-March 2021"),
        ("конец марта 2021", "late March 2021"),
        ("в конце марта 2021 г.", "late March 2021"),
    ],
)
def test_russian_dates_with_early_mid_late(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14 сакавіка 2021", "14 March 2021"),
        ("сакавік 2021", "March 2021"),
        ("у сакавіку 2021", "March 2021"),
        ("2021 г.", "2021"),
        ("пачатак сакавіка 2021", "early March 2021"),
        ("у пачатку сакавіка 2021", "early March 2021"),
        ("сярэдзіна сакавіка 2021", "mid-March 2021"),
        ("у сярэдзіне сакавіка 2021", "mid-March 2021"),
        ("канец сакавіка 2021", "late March 2021"),
        ("у канцы сакавіка 2021", "late March 2021"),
    ],
)
def test_belarusian_dates_with_early_mid_late(text, expected):
    assert written(text) == expected


MONTH_FORMS = [
    # English, Russian nominative, genitive, prepositional, Belarusian nominative, genitive, locative
    (1, "January jan январь января январе студзень студзеня студзені"),
    (2, "February feb февраль февраля феврале люты лютага лютым"),
    (3, "March mar март марта марте сакавік сакавіка сакавіку"),
    (4, "April apr апрель апреля апреле красавік красавіка красавіку"),
    (5, "May май мая мае май мая маі"),
    (6, "June jun июнь июня июне чэрвень чэрвеня чэрвені"),
    (7, "July jul июль июля июле ліпень ліпеня ліпені"),
    (8, "August aug август августа августе жнівень жніўня жніўні"),
    (9, "September sep сентябрь сентября сентябре верасень верасня верасні"),
    (10, "October oct октябрь октября октябре кастрычнік кастрычніка кастрычніку"),
    (11, "November nov ноябрь ноября ноябре лістапад лістапада лістападзе"),
    (12, "December dec декабрь декабря декабре снежань снежня снежні"),
]


@pytest.mark.parametrize(
    "month, name", [(month, name) for month, names in MONTH_FORMS for name in names.split()], ids=str
)
def test_every_month_name_in_every_case(month, name):
    assert parse_date(f"{name} 2021") == ApproximateDate(datetime.date(2021, month, 1), Precision.MONTH)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("у сакавiку 2021", "March 2021"),  # Latin i
        ("14 жнiўня 2021", "14 August 2021"),  # Latin i
        ("у канцы жніуня 2021", "late August 2021"),  # у for ў
        ("ў сакавіку 2021", "March 2021"),  # ў for у
        ("14 мaртa 2021", "14 March 2021"),  # Latin a
        ("Маrch 2021", "March 2021"),  # Cyrillic М
        ("14\u00a0марта\u00a02021", "14 March 2021"),  # non-breaking spaces
        ("\ufeff2021", "2021"),  # byte-order mark from a CSV's first cell
    ],
)
def test_look_alike_letters_and_stray_characters_are_forgiven(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        (datetime.date(2021, 3, 14), "14 March 2021"),
        (datetime.datetime(2021, 3, 14, 0, 0), "14 March 2021"),
        ("2021-03-14 00:00:00", "14 March 2021"),
        (2021, "2021"),
        (2021.0, "2021"),
    ],
)
def test_spreadsheet_cell_values_are_read_as_dates(cell, expected):
    assert str(parse_date(cell)) == expected


def test_a_date_is_normalised_to_the_first_day_of_its_precision():
    assert parse_date("в конце февраля 2024") == ApproximateDate(datetime.date(2024, 2, 21), Precision.LATE)
    assert parse_date("late February 2024").latest == datetime.date(2024, 2, 29)


def test_future_dates_are_left_to_the_model():
    assert written("14.03.2999") == "14 March 2999"


def test_an_unreadable_date_names_the_value_and_the_accepted_forms():
    with pytest.raises(ParseError) as error:
        parse_date("soon")
    assert str(error.value) == (
        '"soon" is not a date: write 2021, 03.2021, 14.03.2021, 2021-03-14 or "mid-March 2021" '
        "(Russian and Belarusian month names work too)."
    )


@pytest.mark.parametrize(
    "text, reason",
    [
        ("31.02.2021", "February 2021 has no day 31"),
        ("29.02.2023", "February 2023 has no day 29"),
        ("2021-04-31", "April 2021 has no day 31"),
        ("0.03.2021", "March 2021 has no day 0"),
        ("31 февраля 2021", "February 2021 has no day 31"),
        ("14.13.2021", "there is no month 13"),
        ("32.13.2021", "there is no month 13"),
        ("13.2021", "there is no month 13"),
        ("03/14/2021", "there is no month 14 (dates are read day first)"),
        ("14.03.21", "the year needs all four digits"),
        ("03.21", "the year needs all four digits"),
        ("14.03", "the year needs all four digits"),
        ("14 марта 21", "the year needs all four digits"),
        ("1021", "1021 is before 1900, probably a typo"),
        ("14 мартобря 2021", '"мартобря" is not a month name'),
        ("early 2021", "early, mid and late need a month"),
        ("mid 14 March 2021", "give a day or early/mid/late, not both"),
    ],
)
def test_impossible_and_ambiguous_dates_say_why(text, reason):
    with pytest.raises(ParseError) as error:
        parse_date(text)
    assert str(error.value).startswith(f'"{text}" is not a date: {reason}; ')
    assert DATE_FORMS in str(error.value)


@pytest.mark.parametrize(
    "text",
    ["soon", "March", "2021?", "~2021", "14-03-2021", "весна 2021", "2020-2021", "March 2021 or April 2021", "44269"],
)
def test_dates_in_no_accepted_form_are_refused(text):
    with pytest.raises(ParseError) as error:
        parse_date(text)
    assert str(error.value).startswith(f'"{text}" is not a date: ')
    assert DATE_FORMS in str(error.value)


# --- Penalties ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, years, months",
    [
        ("3 years 6 months", 3, 6),
        ("3 years", 3, 0),
        ("6 months", 0, 6),
        ("1 year", 1, 0),
        ("3 years and 6 months", 3, 6),
        ("3y 6m", 3, 6),
        ("3y6m", 3, 6),
        ("3 г. 6 мес.", 3, 6),
        ("3 года 6 месяцев", 3, 6),
        ("5 лет", 5, 0),
        ("1 год", 1, 0),
        ("6 мес.", 0, 6),
        ("к 5 годам и 6 месяцам", 5, 6),
        ("1 месяц", 0, 1),
        ("2 месяца", 0, 2),
        ("3 г 6 м", 3, 6),
        ("2 гады 6 месяцаў", 2, 6),
        ("5 гадоў", 5, 0),
        ("5 гадоу", 5, 0),
    ],
)
def test_a_bare_term_in_any_language_is_imprisonment(text, years, months):
    assert parse_penalty(text) == Penalty("imprisonment", years=years, months=months)


@pytest.mark.parametrize(
    "text, years, months",
    [("18 months", 1, 6), ("12 мес.", 1, 0), ("2 years 14 months", 3, 2), ("1 год 24 месяца", 3, 0)],
)
def test_months_of_a_year_or_more_become_years(text, years, months):
    assert parse_penalty(text) == Penalty("imprisonment", years=years, months=months)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("life", "life"),
        ("Life imprisonment", "life"),
        ("life sentence", "life"),
        ("пожизненное лишение свободы", "life"),
        ("пожизненно", "life"),
        ("пажыццёвае зняволенне", "life"),
        ("пажыццёва", "life"),
        ("death penalty", "death"),
        ("death sentence", "death"),
        ("смертная казнь", "death"),
        ("смяротнае пакаранне", "death"),
        ("расстрел", "death"),
        ("расстрэл", "death"),
    ],
)
def test_life_and_death_sentences_have_no_term(text, kind):
    assert parse_penalty(text) == Penalty(kind)


def test_a_life_sentence_keeps_its_regime():
    assert parse_penalty("пожизненное лишение свободы в колонии особого режима") == Penalty("life", regime="special")


@pytest.mark.parametrize(
    "text, amount",
    [
        ("fine 500 BYN", "500 BYN"),
        ("Fine of 500 BYN", "500 BYN"),
        ("штраф 100 базовых величин", "100 базовых величин"),
        ("штраф 3200 руб.", "3200 руб."),
        ("штраф: 3200 руб.", "3200 руб."),
        ("штраф в размере 100 базовых величин", "100 базовых величин"),
        ("штраф у памеры 50 базавых велічынь", "50 базавых велічынь"),
        ("штраф 1 234,50 BYN", "1 234,50 BYN"),
    ],
)
def test_a_fine_keeps_its_amount_as_written(text, amount):
    assert parse_penalty(text) == Penalty("fine", fine=amount)


@pytest.mark.parametrize(
    "text, kind, years, months",
    [
        ("restricted freedom 3 years", "restricted_freedom", 3, 0),
        ("restriction of liberty 2 years", "restricted_freedom", 2, 0),
        ("khimiya 2 years", "restricted_freedom", 2, 0),
        ("ограничение свободы 3 года", "restricted_freedom", 3, 0),
        ("3 года ограничения свободы с направлением", "restricted_freedom", 3, 0),
        ("2 года ограничения свободы без направления", "restricted_freedom", 2, 0),
        (
            "3 года ограничения свободы с направлением в исправительное учреждение открытого типа",
            "restricted_freedom",
            3,
            0,
        ),
        ("химия 2 года", "restricted_freedom", 2, 0),
        ("абмежаванне волі 2 гады", "restricted_freedom", 2, 0),
        ("2 гады абмежавання волі з накіраваннем", "restricted_freedom", 2, 0),
        ("correctional labour 1 year", "correctional_labour", 1, 0),
        ("corrective labor 6 months", "correctional_labour", 0, 6),
        ("исправительные работы 1 год", "correctional_labour", 1, 0),
        ("1 год исправительных работ", "correctional_labour", 1, 0),
        ("выпраўленчыя работы 1 год", "correctional_labour", 1, 0),
        ("2 years suspended", "suspended", 2, 0),
        ("2 years probation", "suspended", 2, 0),
        ("2 года условно", "suspended", 2, 0),
        ("2 года лишения свободы условно", "suspended", 2, 0),
        ("2 гады умоўна", "suspended", 2, 0),
        ("1 год 6 месяцаў пазбаўлення волі ўмоўна", "suspended", 1, 6),
    ],
)
def test_non_custodial_penalties_in_three_languages(text, kind, years, months):
    assert parse_penalty(text) == Penalty(kind, years=years, months=months)


@pytest.mark.parametrize(
    "text, years, regime",
    [
        ("3 years general regime", 3, "general"),
        ("4 years reinforced regime", 4, "reinforced"),
        ("5 years strict regime", 5, "strict"),
        ("6 years special regime", 6, "special"),
        ("10 years in prison", 10, "prison"),
        ("3 года общего режима", 3, "general"),
        ("8 лет колонии усиленного режима", 8, "reinforced"),
        ("5 лет строгого режима", 5, "strict"),
        ("12 лет в колонии особого режима", 12, "special"),
        ("6 лет лишения свободы в тюрьме", 6, "prison"),
        ("приговорен к 5 годам колонии общего режима", 5, "general"),
        ("3 гады калоніі агульнага рэжыму", 3, "general"),
        ("4 гады ўзмоцненага рэжыму", 4, "reinforced"),
        ("5 гадоў строгага рэжыму", 5, "strict"),
        ("6 гадоў асаблівага рэжыму", 6, "special"),
        ("7 гадоў турмы", 7, "prison"),
        ("7 гадоў у турме", 7, "prison"),
    ],
)
def test_imprisonment_with_its_regime(text, years, regime):
    assert parse_penalty(text) == Penalty("imprisonment", years=years, regime=regime)


def test_penalty_and_regime_codes_are_the_models():
    assert {str(kind) for kind in PenaltyKind} == set(SentenceKind.values)
    assert {str(regime) for regime in Regime} == set(ModelRegime.values)
    assert TERM_KINDS == set(MODEL_TERM_KINDS)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("3.5 years", '"3.5" is ambiguous (a half, or months after the point?); give whole years and months'),
        ("3,5 года", '"3,5" is ambiguous (a half, or months after the point?); give whole years and months'),
        ("0 years", "imprisonment needs a term above zero"),
        ("0 лет 0 мес.", "imprisonment needs a term above zero"),
        ("ограничение свободы", "restricted freedom needs a term"),
        ("условно", "a suspended sentence needs a term"),
        ("колония строгого режима", "imprisonment needs a term"),
        ("life 10 years", "life imprisonment has no term"),
        ("смертная казнь 5 лет", "the death penalty has no term"),
        ("2 года условно строгого режима", "a suspended sentence has no regime"),
        ("ограничение свободы 2 года общего режима", "restricted freedom has no regime"),
        ("штраф", "a fine needs its amount"),
        ("fine and 3 years", "a fine needs its amount"),
        ("штраф 100 базовых величин и штраф 200 руб.", "it names more than one fine"),
        ("15 суток", "terms are counted in years and months, not days"),
        ("3 года 2 года", "it gives more than one term; put each penalty in its own cell or separate them with |"),
        ("3 года общего режима строгого режима", "it names more than one regime"),
        (
            "3 года и штраф 100 базовых величин",
            "it names a fine and imprisonment; put each penalty in its own cell or separate them with |",
        ),
        (
            "death penalty or life",
            'did not understand "or"',
        ),
        (
            "3 years restricted freedom 2 years suspended",
            "it gives more than one term; put each penalty in its own cell or separate them with |",
        ),
        (
            "лишение свободы и ограничение свободы 2 года",
            "it names imprisonment and restricted freedom; put each penalty in its own cell or separate them with |",
        ),
        ("3 года тюрьмы строгача", 'did not understand "строгача"'),
        ("полтора года", 'did not understand "полтора", "года"'),
        ("3", 'did not understand "3"'),
        ("3 гадзіны", 'did not understand "3", "гадзіны"'),
        ("3 years 6 days", "terms are counted in years and months, not days"),
        ("5 лет с отсрочкой", 'did not understand "отсрочкой"'),
    ],
)
def test_unreadable_penalties_say_why(text, reason):
    with pytest.raises(ParseError) as error:
        parse_penalty(text)
    assert str(error.value).startswith(f'"{text}" is not a penalty: {reason}; write e.g. ')
    assert PENALTY_FORMS in str(error.value)


def test_a_penalty_of_filler_words_only_lists_the_accepted_forms():
    with pytest.raises(ParseError) as error:
        parse_penalty("и")
    assert str(error.value) == (
        '"и" is not a penalty: write e.g. "3 years 6 months", "5 лет строгого режима", "2 гады умоўна", "life", '
        '"death penalty", "fine 500 BYN" or "restricted freedom 3 years".'
    )


# --- Yes/no and multi-value cells -----------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        *[(text, True) for text in ["yes", "Yes", "Y", "true", "TRUE", "1", "да", "Да", "так", "+", 1, True]],
        *[(text, False) for text in ["no", "No", "N", "false", "0", "нет", "Нет", "не", "-", 0, 0.0, False]],
    ],
)
def test_yes_no_cells_in_three_languages(cell, expected):
    assert parse_bool(cell) is expected


@pytest.mark.parametrize("text", ["maybe", "2", "yes?", "не знаю"])
def test_a_yes_no_cell_that_is_neither_says_what_is_accepted(text):
    with pytest.raises(ParseError) as error:
        parse_bool(text)
    assert str(error.value) == f'"{text}" is not yes or no: write yes, no, да, нет, так, не, +, -, 1 or 0.'


@pytest.mark.parametrize(
    "cell, values",
    [
        ("Art. 342 | Art. 361-1", ["Art. 342", "Art. 361-1"]),
        ("14.03.2021; March 14, 2021", ["14.03.2021", "March 14, 2021"]),
        (" a ;; b | | c ", ["a", "b", "c"]),
        ("organisation, financing, and participation", ["organisation, financing, and participation"]),
        ("", []),
        (None, []),
    ],
)
def test_several_values_in_one_cell_split_on_bars_and_semicolons_not_commas(cell, values):
    assert split_values(cell) == values
