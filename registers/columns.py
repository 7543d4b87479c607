"""The columns an imported register may have: one per field, each with the headers real lists use.

A header is matched case-insensitively and whatever its spacing or punctuation ("Birth year",
"birth_year", "Год рождения"). The export's own column names are accepted too, so a list taken
from /prisoners.csv can be imported again. Documented in the README from this table.
"""

import re
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Column:
    field: str
    meaning: str
    aliases: tuple = ()
    many: bool = False  # several values in one cell, separated by | or ;
    required: bool = False

    def headers(self):
        return (self.field, *self.aliases)


def header_key(header):
    """Headers compare without case, spacing, punctuation or script accidents."""
    return re.sub(r"[^0-9a-zа-яёіў]+", "", str(header or "").lower())


PRISONER_COLUMNS = [
    Column("name", pgettext_lazy("register column", "the person's name as the register writes it"), ("full_name", "fio", "фио", "имя", "імя", "піб", "прозвішча імя"), required=True),
    Column("name_variants", pgettext_lazy("register column", "other spellings, scripts and transliterations: internal until an editor marks them public"), ("variants", "other_names", "aliases", "другие написания", "іншыя напісанні"), many=True),
    Column("public_name_variants", pgettext_lazy("register column", "other spellings the public site may show (once the person is published) and find"), ("public_variants",), many=True),
    Column("register", pgettext_lazy("register column", "the register the ID belongs to (else the --register option, or the file's name)"), ("register_name", "реестр", "рэестр", "source_list")),
    Column("register_id", pgettext_lazy("register column", "the person's ID in that register: re-importing updates that person"), ("id", "register_ids", "номер", "нумар")),
    Column("register_url", pgettext_lazy("register column", "the person's page in that register"), ("link", "ссылка", "спасылка")),
    Column("status", pgettext_lazy("register column", "detained, pre_trial, house_arrest, restricted_freedom, forced_labour, pending_trial, suspended, fined, parole, medical_release, released, exile, deceased, unknown (or the words for them)"), ("статус", "state")),
    Column("bio", pgettext_lazy("register column", "short public biography"), ("description", "about", "биография", "біяграфія", "описание")),
    Column("born", pgettext_lazy("register column", "date of birth (often a year)"), ("birthday", "birth_date", "birth_year", "year_of_birth", "дата рождения", "год рождения", "дата нараджэння", "год нараджэння")),
    Column("gender", pgettext_lazy("register column", "female, male or other (f, m, ж, м …)"), ("sex", "пол", "полу")),
    Column("home_town", pgettext_lazy("register column", "where the person is from"), ("town", "city", "hometown", "город", "горад", "населенный пункт")),
    Column("home_region", pgettext_lazy("register column", "the region the person is from"), ("регион", "область", "рэгіён", "вобласць")),
    Column("occupation", pgettext_lazy("register column", "occupation"), ("profession", "job", "род занятий", "профессия", "прафесія")),
    Column("case_groups", pgettext_lazy("register column", "case groups"), ("tags", "case", "cases", "дело", "справа", "группа"), many=True),
    Column("detained", pgettext_lazy("register column", "date detained"), ("arrested", "arrest_date", "detention_date", "дата задержания", "дата ареста", "дата затрымання", "задержан")),
    Column("charges", pgettext_lazy("register column", "criminal-code articles or charges"), ("articles", "article", "статьи", "статья", "артыкулы", "артыкул", "обвинение"), many=True),
    Column("sentence", pgettext_lazy("register column", "the sentence as written (3 years 6 months, 5 лет строгого режима, life, fine 100 base units …)"), ("penalty", "term", "приговор", "наказание", "срок", "прысуд", "пакаранне")),
    Column("sentenced_on", pgettext_lazy("register column", "date of the sentence"), ("verdict_date", "sentence_date", "дата приговора", "дата прысуду")),
    Column("court", pgettext_lazy("register column", "the court that sentenced"), ("суд",)),
    Column("facility", pgettext_lazy("register column", "where the person is held now: a facility on record, by any of its names"), ("prison", "place", "place_of_detention", "место содержания", "месца ўтрымання", "учреждение", "установа")),
    Column("released_on", pgettext_lazy("register column", "date of release, for those no longer held (recorded as a release incident)"), ("release_date", "released", "дата освобождения", "дата вызвалення")),
    Column("died", pgettext_lazy("register column", "date of death"), ("death_date", "date_of_death", "дата смерти", "дата смерці")),
    Column("died_in_custody", pgettext_lazy("register column", "yes or no"), ("death_in_custody", "умер в заключении", "памёр у зняволенні")),
    Column("death_cause", pgettext_lazy("register column", "cause of death as reported"), ("cause_of_death", "причина смерти", "прычына смерці")),
    Column("recognised_by", pgettext_lazy("register column", "organisations that recognised the person as a political prisoner"), ("recognized_by", "признан", "прызнаны"), many=True),
    Column("recognised_on", pgettext_lazy("register column", "date of that recognition"), ("recognized_on", "recognition_date", "дата признания", "дата прызнання")),
    Column("last_lawyer_contact", pgettext_lazy("register column", "date of the last lawyer contact on record: the person's contact is then monitored"), ("lawyer_contact", "последний визит адвоката")),
    Column("last_family_contact", pgettext_lazy("register column", "date of the last family contact on record: the person's contact is then monitored"), ("family_contact", "последний контакт с семьёй")),
    Column("monitored_from", pgettext_lazy("register column", "since when we follow the person's contact: the person's contact is then monitored"), ("monitoring_from",)),
    Column("match", pgettext_lazy("register column", "for a probable duplicate: the slug of the person on record it is (update them), or `new` (a different person)"), ("same_as", "decision")),
]  # fmt: skip

FACILITY_COLUMNS = [
    Column("name", pgettext_lazy("register column", "the facility's name"), ("название", "назва", "facility", "prison"), required=True),
    Column("name_variants", pgettext_lazy("register column", "other names and spellings"), ("variants", "other_names", "aliases", "другие названия", "іншыя назвы"), many=True),
    Column("kind", pgettext_lazy("register column", "penal_colony, pre_trial, temporary_detention, prison, settlement_colony, juvenile_colony, open_type, forced_labour_camp, medical_labour, hospital, psychiatric, other (or the words and abbreviations for them: ИК, СИЗО, ИВС …)"), ("type", "тип", "вид")),
    Column("city", pgettext_lazy("register column", "city or town"), ("town", "город", "горад", "населенный пункт")),
    Column("region", pgettext_lazy("register column", "region"), ("область", "регион", "вобласць", "рэгіён")),
    Column("country", pgettext_lazy("register column", "country"), ("страна", "краіна")),
    Column("postal_address", pgettext_lazy("register column", "postal address, for letters"), ("address", "адрес", "адрас", "почтовый адрес", "паштовы адрас")),
    Column("latitude", pgettext_lazy("register column", "latitude (decimal degrees)"), ("lat", "широта", "шырата")),
    Column("longitude", pgettext_lazy("register column", "longitude (decimal degrees)"), ("lon", "lng", "долгота", "даўгата")),
    Column("match", pgettext_lazy("register column", "for a probable duplicate: the slug of the facility on record it is, or `new`"), ("same_as", "decision")),
]  # fmt: skip


# Columns of our own exports that are derived from the record (or from today), not facts to import:
# a list downloaded from /prisoners.csv imports again without them.
DERIVED_EXPORT_COLUMNS = {
    "slug", "url", "detained_earliest", "detained_latest", "days_in_detention", "facility_url", "region",
    "facility_postal_address", "sentence_kind", "sentence_years", "sentence_months", "fine", "expected_release",
    "photo_url", "last_updated", "held_count", "kind_label",
    *(f"{party}_contact_{part}" for party in ("lawyer", "family")
      for part in ("days", "since", "basis", "threshold_days", "overdue")),
}  # fmt: skip


def by_header(columns):
    """Normalised header -> column, for every field name and alias."""
    return {header_key(header): column for column in columns for header in column.headers()}
