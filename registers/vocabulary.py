"""Words real registers use for a status, a gender or a kind of facility, in English, Russian and
Belarusian, and how a criminal-code article is written. Each reader takes a cell and returns the
app's code, or raises ParseError naming what is accepted."""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy

from prisoners.models import FacilityKind, Gender
from prisoners.status import Status

from .columns import header_key
from .parsing import ParseError

ARTICLE = re.compile(
    r"^(?:(?:ч\.?|част\w*|п\.?|пункт\w*|part)\s*\d+[\s,.]*)*"
    r"(?:ст\.?|стат\w*|арт\.?|артыкул\w*|art\.?|article)?\s*\d+(?:[.-]\d+)*"
    r"(?:[\s,.]*(?:ч\.?|част\w*|п\.?|пункт\w*|part)\s*\d+)*"
    r"(?:\s*(?:ук|кк|ук рб|кк рб|ук рф|cc|criminal code)\b\.?)?",
    re.IGNORECASE,
)


def _table(words_by_code):
    with translation.override(None):  # the labels in English, whatever language is active when this loads
        return {header_key(word): code for code, words in words_by_code.items() for word in words}


def _reader(table, message, codes=""):
    """message: '"%(text)s" is not … write … %(codes)s …', in the researcher's language when it is raised."""

    def read(cell):
        text = " ".join(str(cell or "").split())
        if not text:
            return None
        try:
            return table[header_key(text)]
        except KeyError:
            raise ParseError(message % {"text": text, "codes": codes}) from None

    return read


_STATUS_WORDS = {
    Status.DETAINED: ["in custody", "imprisoned", "in prison", "задержан", "задержана", "в заключении", "осужден",
                      "осуждена", "отбывает наказание", "лишение свободы", "у зняволенні", "затрыманы", "затрыманая",
                      "асуджаны", "асуджаная", "за кратамі"],
    Status.PRE_TRIAL: ["pre-trial detention", "pretrial", "in pre-trial detention", "в сизо", "сизо", "под стражей",
                       "у сізо", "сізо", "пад вартай"],
    Status.HOUSE_ARREST: ["домашний арест", "под домашним арестом", "хатні арышт", "пад хатнім арыштам"],
    Status.RESTRICTED_FREEDOM: ["ограничение свободы", "химия", "абмежаванне волі", "хімія", "khimiya"],
    Status.FORCED_LABOUR: ["correctional labour", "исправительные работы", "выпраўленчыя работы"],
    Status.PENDING_TRIAL: ["awaiting trial", "подписка о невыезде", "под подпиской", "падпіска аб нявыездзе"],
    Status.SUSPENDED: ["suspended", "условно", "условный срок", "умоўна", "умоўны тэрмін"],
    Status.FINED: ["fine", "штраф", "оштрафован", "аштрафаваны"],
    Status.PAROLE: ["удо", "условно-досрочно", "условно досрочно освобожден", "умоўна-датэрмінова"],
    Status.MEDICAL_RELEASE: ["освобожден по болезни", "вызвалены па хваробе"],
    Status.RELEASED: ["free", "освобожден", "освобождена", "на свободе", "вызвалены", "вызваленая", "на волі"],
    Status.EXILE: ["emigrated", "в эмиграции", "эмигрировал", "эмигрировала", "у эміграцыі", "выехал", "выехала"],
    Status.DECEASED: ["died", "dead", "executed", "умер", "умерла", "погиб", "погибла", "расстрелян", "памёр",
                      "памерла", "загінуў", "загінула", "расстраляны"],
    Status.UNKNOWN: ["неизвестно", "невядома"],
}  # fmt: skip

status = _reader(
    _table({code: [code, label, *_STATUS_WORDS.get(code, [])] for code, label in Status.choices}),
    gettext_lazy(
        '"%(text)s" is not a status this import knows: '
        "write one of %(codes)s (or the Russian or Belarusian word for it)."
    ),
    ", ".join(Status.values),
)

gender = _reader(
    _table(
        {
            Gender.FEMALE: ["female", "f", "w", "woman", "ж", "жен", "женский", "женщина", "жанчына", "жаночы"],
            Gender.MALE: ["male", "m", "man", "м", "муж", "мужской", "мужчина", "мужчына", "мужчынскі"],
            Gender.OTHER: ["other", "другое", "іншае"],
        }
    ),
    gettext_lazy('"%(text)s" is not a gender this import knows: write female, male or other (f, m, ж, м).'),
)

_FACILITY_WORDS = {
    FacilityKind.PENAL_COLONY: ["ик", "ік", "исправительная колония", "колония", "выпраўленчая калонія", "калонія"],
    FacilityKind.PRE_TRIAL: ["сизо", "сізо", "следственный изолятор", "следчы ізалятар", "pre-trial"],
    FacilityKind.TEMPORARY_DETENTION: ["ивс", "ічу", "цип", "ціп", "изолятор временного содержания",
                                       "ізалятар часовага ўтрымання", "temporary detention"],
    FacilityKind.PRISON: ["тюрьма", "турма"],
    FacilityKind.SETTLEMENT_COLONY: ["колония-поселение", "кп", "калонія-пасяленне"],
    FacilityKind.JUVENILE_COLONY: ["воспитательная колония", "вк", "выхаваўчая калонія"],
    FacilityKind.OPEN_TYPE: ["иуот", "іуат", "исправительное учреждение открытого типа",
                             "выпраўленчая ўстанова адкрытага тыпу", "open-type"],
    FacilityKind.FORCED_LABOUR_CAMP: ["labour camp", "трудовой лагерь"],
    FacilityKind.MEDICAL_LABOUR: ["лтп", "лечебно-трудовой профилакторий", "лячэбна-працоўны прафілакторый", "ltp"],
    FacilityKind.HOSPITAL: ["больница", "бальніца"],
    FacilityKind.PSYCHIATRIC: ["психиатрическая больница", "псіхіятрычная бальніца", "psychiatric hospital"],
}  # fmt: skip

facility_kind = _reader(
    _table({code: [code, label, *_FACILITY_WORDS.get(code, [])] for code, label in FacilityKind.choices}),
    gettext_lazy(
        '"%(text)s" is not a kind of facility this import knows: write one of %(codes)s (or ИК, СИЗО, ИВС, ЛТП …).'
    ),
    ", ".join(FacilityKind.values),
)
