"""A realistic register of any size, loaded with COPY: the dataset every benchmark scenario reads.

Shape (per 100,000 prisoners): ~1,000 facilities (one colony holding ~5 % of all prisoners),
~5 name variants per prisoner in Latin and Cyrillic, custody periods that never overlap (at most
one open), ~50 incidents and ~10 contacts per prisoner on average (skewed: many with few, some with
hundreds; ~15 % without any contact), a mix of statuses, date precisions and visibilities (~70 %
published, ~60 % public incidents, ~15 % confidential sources), sentences, charges, lawyers,
recognitions and register IDs. Dates run from the 2020 arrests to today; `created`/`updated`
follow them. One prisoner, "Maria Kalesnikava", has the name variants searches look for and
500 incidents and 100 contacts (the admin change page scenario).

Every derived column is filled the way the models' save() fills it (`casetracker.dates.bounds`
for approximate dates, `casetracker.text.fold` for folded names, slugs as `unique_slug` makes
them), so the app reads the data exactly as if researchers had typed it. Deterministic for a seed.
Public identifiers are unique scrambles of the row number (random ones could collide at this size).
"""

import datetime
import json
import random
import time
from array import array

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils.text import slugify

from casetracker.dates import bounds
from casetracker.roles import ALERT_STAFF, EDITOR
from casetracker.text import fold
from casetracker.translated import translation_fields
from events.models import Contact, Incident, IncidentKind, Organisation, Source
from prisoners.models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityNameVariant,
    Lawyer,
    NameVariant,
    Prisoner,
    Recognition,
    RegisterEntry,
    Representation,
    Sentence,
    SentenceKind,
    Tag,
)
from prisoners.status import IN_CUSTODY

from . import database
from .names import FIRST_NAMES, SURNAMES, belarusian_latin, feminine_surnames, russian_latin

GENERATOR_VERSION = 2  # bump when the data changes: datasets of another version are regenerated

EDITOR_USERNAME = "bench-editor"
ALERT_STAFF_USERNAMES = [f"bench-alerts-{n}" for n in range(1, 6)]

KALESNIKAVA = "Maria Kalesnikava"
KALESNIKAVA_VARIANTS = [
    "Kolesnikova", "Калеснікава", "Колесникова", "Maryia Kalesnikava", "Марыя Калеснікава", "Мария Колесникова"
]  # fmt: skip
# A public text written in English, not yet translated (written_in, then the English, Belarusian, Russian columns).
ENGLISH_ORIGINAL = ("en", "", "", "")
HEAVY_INCIDENTS, HEAVY_CONTACTS = 500, 100
BIG_COLONY_NUMBER = 15  # "Penal colony No. 15", facility 1
BIG_COLONY_CHANCE = 0.11  # of those held after trial (45 % of all): the big colony holds ~5 % of all prisoners

FIRST_ARRESTS = datetime.date(2020, 6, 1)  # the 2020 election campaign
UTC = datetime.timezone.utc


def weighted(table):
    return list(table), list(table.values())


STATUSES = weighted(
    {
        "detained": 45,
        "pre_trial": 15,
        "released": 20,
        "house_arrest": 3,
        "restricted_freedom": 4,
        "forced_labour": 1,
        "pending_trial": 1,
        "suspended": 2,
        "fined": 1,
        "parole": 2,
        "medical_release": 1,
        "exile": 2,
        "deceased": 1,
        "unknown": 2,
    }
)
# Non-custodial now, having been held for a while (the rest of the non-custodial never were, or not on record).
RELEASED_FROM_CUSTODY = {"released", "parole", "medical_release", "deceased", "exile", "restricted_freedom"}

PRECISIONS = weighted({"day": 60, "month": 14, "part": 16, "year": 10})  # part: early, mid or late
BIRTH_PRECISIONS = weighted({"year": 60, "day": 35, "month": 5})
DETENTION_PRECISIONS = weighted({"day": 82, "month": 8, "part": 7, "year": 3})

INCIDENT_KINDS = weighted(
    {
        "shizo": 14,
        "pkt": 3,
        "solitary": 3,
        "transfer": 8,
        "hospitalisation": 5,
        "surgery": 1,
        "health_deterioration": 10,
        "medical_care_denied": 5,
        "ill_treatment": 6,
        "forced_labour": 3,
        "lawyer_access_denied": 5,
        "family_contact_denied": 5,
        "incommunicado": 2,
        "not_informed": 2,
        "disbarment": 1,
        "sentencing": 2,
        "other": 10,
    }
)
LASTING_KINDS = {"shizo", "pkt", "solitary", "hospitalisation", "incommunicado", "forced_labour"}
DESCRIPTIONS = {
    "shizo": "Placed in a punishment isolation cell (ShIZO) for {n} days for {reason}.",
    "pkt": "Transferred to cell-type premises (PKT) for {n} months for {reason}.",
    "solitary": "Held in solitary confinement; relatives were told it was for {reason}.",
    "transfer": "Transferred to another facility without notice to the family.",
    "hospitalisation": "Taken to the prison hospital with {illness}.",
    "surgery": "Underwent surgery for {illness}; the family learned of it {n} days later.",
    "health_deterioration": "Health deteriorated sharply: {illness}. No independent doctor was allowed.",
    "medical_care_denied": "Requests for treatment of {illness} were refused for {n} weeks.",
    "ill_treatment": "Reported ill-treatment by guards after {reason}.",
    "forced_labour": "Made to work {n} hours a day in the colony's sewing workshop.",
    "lawyer_access_denied": "The lawyer was refused a meeting {n} times; the administration cited quarantine.",
    "family_contact_denied": "Letters from the family stopped reaching her or him; visits refused for {n} months.",
    "incommunicado": "Held incommunicado: neither the lawyer nor the family knew where for {n} weeks.",
    "not_informed": "Neither the lawyer nor the family was informed of the transfer.",
    "disbarment": "The defence lawyer was disbarred in retaliation for the defence.",
    "sentencing": "Sentenced after a closed trial lasting {n} days.",
    "other": "New administrative charges were brought for {reason}.",
    "arrest": "Detained by plain-clothes officers; the family learned of it the next day.",
}
REASONS = [
    "an unbuttoned collar",
    "not greeting a guard",
    "sitting on the bed during the day",
    "a 'wrong' hairstyle",
    "refusing to sign a confession",
    "a letter in Belarusian",
    "being late for roll call",
    "a hunger strike",
]
ILLNESSES = ["pneumonia", "a stomach ulcer", "heart pain", "a spine injury", "diabetes complications", "COVID-19"]
INTERNAL_NOTES = [
    "Reported by a relative by phone; awaiting a second source.",
    "Cellmate's account, passed on after release.",
    "Lawyer asked us not to publish before the appeal.",
]
CHARGES = [
    ("Article 342", "Organisation and preparation of actions grossly violating public order, or active "
     "participation in them"),
    ("Article 361-1", "Creation of an extremist formation or participation in it"),
    ("Article 130", "Incitement to racial, national, religious or other social hatred or discord"),
    ("Article 368", "Insulting the President of the Republic of Belarus"),
    ("Article 369", "Insulting a representative of the authorities"),
    ("Article 293", "Mass riots"),
    ("Article 356", "Treason against the state"),
    ("Article 361", "Calls for actions aimed at harming national security"),
    ("Article 361-4", "Facilitating extremist activity"),
    ("Article 411", "Malicious disobedience to the requirements of the correctional institution administration"),
]  # fmt: skip
ORGANISATIONS = [
    "Human Rights Center “Viasna”", "Belarusian Helsinki Committee", "Belarusian Association of Journalists",
    "Amnesty International", "Human Rights Watch", "PEN Belarus", "Legal Initiative Belarus", "Human Constanta",
    "Libereco – Partnership for Human Rights", "People in Need", "Freedom House", "PEN America",
    "International Federation for Human Rights", "World Organisation against Torture", "Memorial",
    "Norwegian Helsinki Committee", "Netherlands Helsinki Committee", "Helsinki Foundation for Human Rights",
    "Barys Zvozskau Belarusian Human Rights House", "International Partnership for Human Rights (IPHR)",
    "Office for the Rights of Persons with Disabilities", "Dissidentby", "Politzek.me", "Nash Dom",
    "Belarusian Students' Association", "Reporters Without Borders", "Committee to Protect Journalists",
    "Article 19", "Front Line Defenders", "OVD-Info",
]  # fmt: skip
TAGS = [
    "Coordination Council", "Viasna case", "Belsat journalists", "Tut.by case", "Rail partisans",
    "2020 election protests", "Babaryka's campaign", "Tsikhanouski's campaign", "Autukhovich case",
    "Zeltser case", "Hajun case", "Students' case", "Anarchists", "Teachers' case", "Doctors' case",
    "Telegram channel admins", "Comments case", "Ukraine war opponents", "Pensioners", "Trade unionists",
]  # fmt: skip
# City (Belarusian Latin), city (Russian), region, latitude, longitude.
CITIES = [
    ("Minsk", "Минск", "Minsk", 53.90, 27.56), ("Homiel", "Гомель", "Homiel Region", 52.44, 30.98),
    ("Mahiliou", "Могилёв", "Mahiliou Region", 53.90, 30.33), ("Vitsebsk", "Витебск", "Vitsebsk Region", 55.19, 30.20),
    ("Hrodna", "Гродно", "Hrodna Region", 53.68, 23.83), ("Brest", "Брест", "Brest Region", 52.10, 23.69),
    ("Babruisk", "Бобруйск", "Mahiliou Region", 53.14, 29.22),
    ("Baranavichy", "Барановичи", "Brest Region", 53.13, 26.01),
    ("Barysau", "Борисов", "Minsk Region", 54.23, 28.50), ("Pinsk", "Пинск", "Brest Region", 52.11, 26.10),
    ("Orsha", "Орша", "Vitsebsk Region", 54.51, 30.42), ("Mazyr", "Мозырь", "Homiel Region", 52.05, 29.25),
    ("Salihorsk", "Солигорск", "Minsk Region", 52.79, 27.54),
    ("Navapolatsk", "Новополоцк", "Vitsebsk Region", 55.53, 28.60),
    ("Lida", "Лида", "Hrodna Region", 53.89, 25.30), ("Maladzechna", "Молодечно", "Minsk Region", 54.31, 26.85),
    ("Polatsk", "Полоцк", "Vitsebsk Region", 55.49, 28.78), ("Zhlobin", "Жлобин", "Homiel Region", 52.89, 30.03),
    ("Svetlahorsk", "Светлогорск", "Homiel Region", 52.63, 29.73),
    ("Rechytsa", "Речица", "Homiel Region", 52.36, 30.39),
    ("Zhodzina", "Жодино", "Minsk Region", 54.10, 28.33), ("Slutsk", "Слуцк", "Minsk Region", 53.02, 27.55),
    ("Kobryn", "Кобрин", "Brest Region", 52.21, 24.36), ("Vaukavysk", "Волковыск", "Hrodna Region", 53.16, 24.45),
    ("Shklou", "Шклов", "Mahiliou Region", 54.21, 30.29), ("Hlybokaye", "Глубокое", "Vitsebsk Region", 55.14, 27.69),
    ("Ivatsevichy", "Ивацевичи", "Brest Region", 52.71, 25.34), ("Horki", "Горки", "Mahiliou Region", 54.29, 30.99),
    ("Asipovichy", "Осиповичи", "Mahiliou Region", 53.30, 28.64), ("Vileika", "Вилейка", "Minsk Region", 54.49, 26.92),
    ("Navahrudak", "Новогрудок", "Hrodna Region", 53.60, 25.83), ("Krychau", "Кричев", "Mahiliou Region", 53.71, 31.71),
    ("Smolensk", "Смоленск", "Smolensk Oblast", 54.78, 32.05), ("Bryansk", "Брянск", "Bryansk Oblast", 53.24, 34.36),
    ("Moscow", "Москва", "Moscow", 55.75, 37.62), ("Pskov", "Псков", "Pskov Oblast", 57.82, 28.33),
]  # fmt: skip
RUSSIAN_REGIONS = {"Smolensk Oblast", "Bryansk Oblast", "Moscow", "Pskov Oblast"}
# Kind, share of facilities, English name, Russian name ({n}: number, {city}: Russian city).
FACILITY_KINDS = [
    ("temporary_detention", 20, "Temporary detention facility No. {n}", "ИВС № {n}, {city}"),
    ("pre_trial", 6, "Pre-trial detention centre No. {n}", "СИЗО-{n}, {city}"),
    ("penal_colony", 10, "Penal colony No. {n}", "ИК-{n}, {city}"),
    ("settlement_colony", 4, "Settlement colony No. {n}", "КП-{n}, {city}"),
    ("juvenile_colony", 1, "Educational colony No. {n}", "ВК-{n}, {city}"),
    ("prison", 2, "Prison No. {n}", "Тюрьма № {n}, {city}"),
    ("open_type", 25, "Open-type correctional facility No. {n}", "ИУОТ № {n}, {city}"),
    ("forced_labour_camp", 3, "Forced-labour camp No. {n}", "Исправительный центр № {n}, {city}"),
    ("medical_labour", 5, "Medical-labour dispensary No. {n}", "ЛТП-{n}, {city}"),
    ("hospital", 18, "Prison hospital No. {n}", "Больница № {n}, {city}"),
    ("psychiatric", 3, "Psychiatric hospital No. {n}", "Психиатрическая больница № {n}, {city}"),
    ("other", 3, "Special facility No. {n}", "Спецучреждение № {n}, {city}"),
]
HELD_AFTER_TRIAL = ["penal_colony", "penal_colony", "penal_colony", "prison", "settlement_colony", "juvenile_colony"]


class Person:
    """What later tables need to know of a generated prisoner."""

    __slots__ = (
        "id", "name", "status", "published", "detained", "until", "periods", "lawyers", "incidents", "contacts",
        "city",
    )  # fmt: skip

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)


class Generator:
    def __init__(self, prisoners, *, seed=1, log=print):
        self.size = prisoners
        self.rng = random.Random(seed)
        self.log = log
        self.today = datetime.date.today()
        self.now = datetime.datetime.now(UTC)
        self.facility_count = max(20, min(1000, prisoners // 10))
        self.lawyer_count = max(20, prisoners // 50)
        self.source_count = max(50, prisoners // 5)
        self.timings, self.counts, self.phases = {}, {}, {}

    # Small helpers.

    def approx(self, day, precisions=PRECISIONS):
        """(earliest, precision, latest) of `day` as a report would give it, never ending in the future."""
        precision = self.rng.choices(*precisions)[0]
        if precision == "part":  # early, mid or late: the part of the month the day falls in
            precision = "early" if day.day <= 10 else "mid" if day.day <= 20 else "late"
        earliest, latest = bounds(day, precision)
        if latest > self.today:
            return day, "day", day
        return earliest, precision, latest

    def day_between(self, first, last):
        return datetime.date.fromordinal(self.rng.randint(first.toordinal(), max(first, last).toordinal()))

    def moment(self, day, within_days=30):
        """A timestamp a little after `day` (when it was recorded), never in the future."""
        seconds = self.rng.randrange(86400 * (within_days + 1))
        stamp = datetime.datetime(day.year, day.month, day.day, tzinfo=UTC) + datetime.timedelta(seconds=seconds)
        return min(stamp, self.now)

    def copy(self, model, columns, rows):
        started = time.monotonic()
        count = database.copy_rows(self.cursor, model, columns, rows)
        self.counts[model._meta.db_table] = count
        self.timings[model._meta.db_table] = round(time.monotonic() - started, 2)
        return count

    # The load.

    def run(self):
        """Load everything in one transaction; returns what the scenarios need to know of the data."""
        tables = [model._meta.db_table for model in LOADED_MODELS]
        with transaction.atomic(), connection.cursor() as self.cursor:
            self.cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            started = time.monotonic()
            with database.bulk_load(self.cursor, tables):
                self.log(f"  loading {self.size:,} prisoners …")
                self.load_reference_data()
                self.load_prisoners()
                self.load_case_records()
                self.load_incidents_and_contacts()
                loaded = time.monotonic()
                self.phases["copy"] = round(loaded - started, 1)
                self.log(f"  rows copied in {loaded - started:.0f} s; rebuilding indexes and foreign keys …")
            self.phases["indexes_and_foreign_keys"] = round(time.monotonic() - loaded, 1)
            database.reset_sequences(self.cursor, LOADED_MODELS)
            self.create_users()
        return self.info()

    def load_reference_data(self):
        rng = self.rng
        self.copy(
            Organisation,
            ["id", "name", "name_folded", "url"],
            ((i, name, fold(name), f"https://org{i}.example.org/") for i, name in enumerate(ORGANISATIONS, start=1)),
        )
        self.copy(Tag, ["id", "name", "name_folded"], ((i, name, fold(name)) for i, name in enumerate(TAGS, start=1)))
        organisations = range(1, len(ORGANISATIONS) + 1)

        def sources():
            kinds = weighted({"news": 70, "statement": 15, "court_document": 5, "private": 10})
            for i in range(1, self.source_count + 1):
                kind = rng.choices(*kinds)[0]
                published = self.approx(self.day_between(FIRST_ARRESTS, self.today))
                confidential = kind == "private" or rng.random() < 0.06  # ~15 % in all
                publisher = rng.choice(organisations) if rng.random() < 0.8 else None
                notes = rng.choice(INTERNAL_NOTES) if confidential else ""
                yield (i, *published, f"Report {i}: news from the colonies", kind, publisher,
                       f"https://news.example.org/{i}", confidential, notes, *ENGLISH_ORIGINAL)  # fmt: skip

        self.copy(
            Source,
            ["id", "published", "published_precision", "published_latest", "title", "kind", "publisher",
             "url", "confidential", "internal_notes", "written_in", *translation_fields("title")],
            sources(),
        )  # fmt: skip
        statements = range(1, self.source_count + 1, 7)
        signatures = ((s, org) for s in statements for org in rng.sample(organisations, rng.randint(1, 5)))
        self.copy(Source.signatories.through, ["source", "organisation"], signatures)
        self.load_lawyers()
        self.load_facilities()

    def load_lawyers(self):
        def lawyers():
            for i in range(1, self.lawyer_count + 1):
                name = self.names(self.name_key(self.rng.choice(["male", "female"])))[0]
                yield i, name, fold(name), "Internal: reachable through the bar association." if i % 5 == 0 else ""

        self.copy(Lawyer, ["id", "name", "name_folded", "note"], lawyers())

    def load_facilities(self):
        rng = self.rng
        kinds = [kind for kind, share, *_ in FACILITY_KINDS for _ in range(share)]
        names = {kind: (english, russian) for kind, _, english, russian in FACILITY_KINDS}
        self.facilities_by_kind = {kind: [] for kind in names}
        numbers = dict.fromkeys(names, 0)
        slugs, rows, variants = set(), [], []
        for i in range(1, self.facility_count + 1):
            kind = "penal_colony" if i == 1 else rng.choice(kinds)  # id 1: the big colony
            city, city_ru, region, lat, lon = CITIES[2] if i == 1 else rng.choice(CITIES)
            numbers[kind] += 1
            number = BIG_COLONY_NUMBER if i == 1 else numbers[kind]
            english, russian = names[kind]
            name = english.format(n=number)
            slug = unique(slugify(fold(f"{name} {city}"))[:80], slugs)
            country = "Russia" if region in RUSSIAN_REGIONS else "Belarus"
            address = f"ul. Kalinina {rng.randint(1, 120)}\n{rng.randint(210000, 247999)} {city}\n{country}"
            coordinates = (
                (round(lat + rng.uniform(-0.2, 0.2), 6), round(lon + rng.uniform(-0.3, 0.3), 6))
                if rng.random() < 0.7
                else (None, None)
            )
            # named_publicly False: the after-load hook (check_facilities) derives it from the incidents
            variant = russian.format(n=number, city=city_ru)  # the name Russian pages show
            rows.append(
                (i, name, fold(name), slug, kind, city, region, country, address, *coordinates, False,
                 json.dumps({"ru": variant}, ensure_ascii=False))
            )  # fmt: skip
            variants.append((len(variants) + 1, i, variant, "ru", "Russian", True))
            self.facilities_by_kind[kind].append(i)
        self.copy(
            Facility,
            ["id", "name", "name_folded", "slug", "kind", "city", "region", "country", "postal_address",
             "latitude", "longitude", "named_publicly", "display_names"],
            rows,
        )  # fmt: skip
        self.copy(FacilityNameVariant, ["id", "facility", "name", "language", "note", "display"], variants)
        self.big_colony = {"id": 1, "slug": rows[0][3], "name": rows[0][1]}

    # Prisoners.

    def name_key(self, gender):
        """A person's name, drawn once: (gender, first name, surname) as indices into bench.names."""
        return gender, self.rng.randrange(len(FIRST_NAMES[gender])), self.rng.randrange(len(SURNAMES))

    def display_names(self, person):
        """The names Belarusian and Russian pages show: the person's Cyrillic spellings (load_name_variants marks
        the same ones); Maria Kalesnikava's as in the demo."""
        if person.id == 1:
            return {"be": "Марыя Калеснікава", "ru": "Мария Колесникова"}
        (be, _), (ru, _) = self.names(person.name)[1][:2]
        return {"be": be, "ru": ru} if be.lower() != ru.lower() else {"be": be}

    @staticmethod
    def names(key):
        """(display name, variants with notes): Belarusian Latin; both Cyrillic forms, Russian Latin."""
        gender, first, last = key
        be_first, ru_first = FIRST_NAMES[gender][first]
        be_last, ru_last = SURNAMES[last]
        if gender == "female":
            be_last, ru_last = feminine_surnames(be_last, ru_last)
        display = f"{belarusian_latin(be_first)} {belarusian_latin(be_last)}"
        variants = [
            (f"{be_first} {be_last}", "Belarusian Cyrillic"),
            (f"{ru_first} {ru_last}", "Russian Cyrillic"),
            (russian_latin(f"{ru_first} {ru_last}"), "Russian transliteration"),
            (russian_latin(f"{ru_last} {ru_first}"), "court register order"),
            (russian_latin(ru_last), "Russian surname"),
        ]
        return display, variants

    def load_prisoners(self):
        rng, today = self.rng, self.today
        self.people, slugs = [], set()

        def prisoners():
            for i in range(1, self.size + 1):
                heavy = i == 1
                gender = "female" if heavy or rng.random() < 0.3 else "male"
                key = None if heavy else self.name_key(gender)
                name = KALESNIKAVA if heavy else self.names(key)[0]
                status = "detained" if heavy else rng.choices(*STATUSES)[0]
                published = heavy or rng.random() < 0.7
                detained = None
                if heavy:
                    detained = (datetime.date(2020, 9, 7), "day", datetime.date(2020, 9, 7))
                elif rng.random() > (0.3 if status == "unknown" else 0.03):
                    first_day = self.day_between(FIRST_ARRESTS, today - datetime.timedelta(days=60))
                    if rng.random() < 0.5:  # most arrests came in the 2020-2021 wave
                        first_day = self.day_between(FIRST_ARRESTS, datetime.date(2021, 12, 31))
                    detained = self.approx(first_day, DETENTION_PRECISIONS)
                person = Person(
                    id=i, name=key, status=status, published=published, detained=detained, lawyers=[],
                    city=rng.choice(CITIES), periods=[], until=today,
                )  # fmt: skip
                person.incidents = HEAVY_INCIDENTS if heavy else min(400, int(rng.gammavariate(2, 25)))
                if heavy:
                    person.contacts = HEAVY_CONTACTS
                elif rng.random() < 0.15:
                    person.contacts = 0
                else:
                    person.contacts = 1 + int(rng.gammavariate(2, 5.5))
                self.plan_custody(person)
                self.people.append(person)
                yield self.prisoner_row(person, name, gender, slugs)

        self.copy(Prisoner, PRISONER_COLUMNS, prisoners())
        self.load_name_variants()

    def prisoner_row(self, person, name, gender, slugs):
        rng = self.rng
        born = self.approx(
            datetime.date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)), BIRTH_PRECISIONS
        )
        died = (None, "day", None)
        death_cause, died_in_custody = "", None
        if person.status == "deceased":
            died = self.approx(person.until)
            died_in_custody = rng.random() < 0.6
            death_cause = rng.choice(["heart failure", "untreated cancer", "not disclosed by the authorities", ""])
        detained = person.detained or (None, "day", None)
        monitored = person.id == 1 or rng.random() < 0.9
        monitored_from = (None, "day", None)
        if monitored and person.detained and rng.random() < 0.1:  # monitoring began after the detention
            monitored_from = self.approx(self.day_between(person.detained[2], self.today))
        lawyer_threshold = rng.choice([14, 60, 90]) if rng.random() < 0.05 else None
        family_threshold = rng.choice([14, 60, 90]) if rng.random() < 0.05 else None
        created = self.moment(person.detained[0] if person.detained else FIRST_ARRESTS, within_days=60)
        updated = self.moment(created.date(), within_days=400)
        city, _, region, _, _ = person.city
        bio = (
            f"{'She' if gender == 'female' else 'He'} was detained after the protests and is recognised as a "
            f"political prisoner. From {city}."
        )
        return (
            person.id, name, fold(name), unique(slugify(fold(name))[:80], slugs), bio, person.status,
            person.published, gender, city, region, rng.choice(["teacher", "engineer", "student", "IT specialist",
            "journalist", "doctor", "worker", "entrepreneur", ""]), "", False, death_cause, died_in_custody,
            monitored, lawyer_threshold, family_threshold, created, max(created, updated), max(created, updated),
            *detained, *born, *died, *monitored_from, *ENGLISH_ORIGINAL,
            json.dumps(self.display_names(person), ensure_ascii=False),
        )  # fmt: skip

    def plan_custody(self, person):
        """Custody periods, one after the other (a transfer day ends one and starts the next), the last
        open while in custody; and the day up to which the prisoner's incidents and contacts run."""
        rng, detained = self.rng, person.detained
        if detained is None:
            return
        held_now = person.status in IN_CUSTODY
        if held_now:
            end = self.today
        elif person.status in RELEASED_FROM_CUSTODY:
            end = self.day_between(detained[2] + datetime.timedelta(days=30), self.today)
        elif rng.random() < 0.6:  # a short detention before a non-custodial measure
            end = min(self.today, detained[2] + datetime.timedelta(days=rng.randint(3, 90)))
        else:
            return
        person.until = end
        boundaries, last = [], detained[2]
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            first = last + datetime.timedelta(days=40)  # apart by more than a month: never overlapping
            if first >= end - datetime.timedelta(days=40):
                break
            day = self.day_between(first, min(end - datetime.timedelta(days=40), first + datetime.timedelta(days=500)))
            earliest, latest = bounds(day, "month") if rng.random() < 0.1 else (day, day)
            boundaries.append((earliest, "month" if earliest != latest else "day", latest))
            last = day
        starts = [detained, *boundaries]
        ends = [*boundaries, None if held_now else (end, "day", end)]
        first_kind = "pre_trial" if rng.random() < 0.7 else "temporary_detention"
        for n, (start, stop) in enumerate(zip(starts, ends)):
            if n == 0:
                kind = first_kind
            elif n == len(starts) - 1 and person.status == "pre_trial":
                kind = "pre_trial"
            elif person.status == "restricted_freedom" and n == len(starts) - 1:
                kind = "open_type"
            else:
                kind = rng.choice(HELD_AFTER_TRIAL + ["hospital"])
            last_and_held = stop is None and person.status == "detained"
            if person.id == 1 or (last_and_held and rng.random() < BIG_COLONY_CHANCE):
                facility = self.big_colony["id"]
            else:
                facility = rng.choice(self.facilities_by_kind[kind] or self.facilities_by_kind["penal_colony"])
            person.periods.append((start, stop, facility))

    def load_name_variants(self):
        def variants():
            n = 0
            for person in self.people:
                names = [(name, "") for name in KALESNIKAVA_VARIANTS] if person.id == 1 else self.names(person.name)[1]
                shown = {name: language for language, name in self.display_names(person).items()}
                seen = set()
                for name, note in names:
                    if name.lower() not in seen:
                        seen.add(name.lower())
                        n += 1
                        # Public spellings; the Cyrillic ones are the display names of their languages.
                        yield n, person.id, name, shown.get(name, ""), note, True, name in shown

        self.copy(NameVariant, ["id", "prisoner", "name", "language", "note", "public", "display"], variants())

    def load_case_records(self):
        rng, people = self.rng, self.people
        tags = range(1, len(TAGS) + 1)
        organisations = range(1, len(ORGANISATIONS) + 1)
        self.copy(
            Prisoner.tags.through,
            ["prisoner", "tag"],
            ((p.id, tag) for p in people if rng.random() < 0.35 for tag in rng.sample(tags, rng.choice([1, 1, 2]))),
        )
        self.copy(
            Prisoner.sources.through,
            ["prisoner", "source"],
            ((p.id, rng.randint(1, self.source_count)) for p in people if rng.random() < 0.5),
        )
        recognised = [p for p in people if p.detained and rng.random() < 0.8]
        self.copy(
            Recognition,
            ["id", "prisoner", "date", "date_precision", "date_latest", "statement_url"],
            (
                (n, p.id, *self.approx(self.day_between(p.detained[2], self.today)),
                 f"https://statements.example.org/{n}")
                for n, p in enumerate(recognised, start=1)
            ),
        )  # fmt: skip
        self.copy(
            Recognition.organisations.through,
            ["recognition", "organisation"],
            ((n, org) for n in range(1, len(recognised) + 1) for org in rng.sample(organisations, rng.randint(1, 3))),
        )
        self.copy(
            RegisterEntry,
            ["id", "prisoner", "register", "identifier", "url"],
            (
                (p.id, p.id, "Viasna", str(10000 + p.id), f"https://register.example.org/viasna/{10000 + p.id}")
                for p in people
                if p.id == 1 or rng.random() < 0.9
            ),
        )
        self.copy(
            CustodyPeriod,
            CUSTODY_COLUMNS,
            (
                (n, p.id, facility, "", public_id(n), *start, *(stop or (None, "day", None)))
                for n, (p, (start, stop, facility)) in enumerate(
                    ((p, period) for p in people for period in p.periods), start=1
                )
            ),
        )
        self.copy(
            Charge,
            ["id", "prisoner", "article", "label"],
            (
                (n, p_id, *charge)
                for n, (p_id, charge) in enumerate(
                    ((p.id, charge) for p in people for charge in rng.sample(CHARGES, rng.choice([1, 1, 2, 3]))),
                    start=1,
                )
            ),
        )
        self.copy(Sentence, SENTENCE_COLUMNS, self.sentences())
        self.copy(Representation, REPRESENTATION_COLUMNS, self.representations())

    def sentences(self):
        rng, n = self.rng, 0
        by_status = {
            "detained": SentenceKind.IMPRISONMENT,
            "released": SentenceKind.IMPRISONMENT,
            "parole": SentenceKind.IMPRISONMENT,
            "medical_release": SentenceKind.IMPRISONMENT,
            "deceased": SentenceKind.IMPRISONMENT,
            "restricted_freedom": SentenceKind.RESTRICTED_FREEDOM,
            "forced_labour": SentenceKind.CORRECTIONAL_LABOUR,
            "suspended": SentenceKind.SUSPENDED,
            "fined": SentenceKind.FINE,
        }
        for p in self.people:
            kind = by_status.get(p.status)
            if kind is None or p.detained is None or rng.random() < 0.1:
                continue
            if kind == SentenceKind.IMPRISONMENT and rng.random() < 0.003:
                kind = rng.choice([SentenceKind.LIFE, SentenceKind.DEATH])
            for _ in range(1 if rng.random() < 0.95 else 2):
                n += 1
                years = months = 0
                if kind in (SentenceKind.IMPRISONMENT, SentenceKind.RESTRICTED_FREEDOM, SentenceKind.SUSPENDED,
                            SentenceKind.CORRECTIONAL_LABOUR):  # fmt: skip
                    years, months = rng.randint(0, 15), rng.randint(0, 11)
                    years = years or (0 if months else 1)
                date = self.approx(self.day_between(p.detained[2], min(self.today, p.until)))
                regime = rng.choice(["general", "reinforced", "strict"]) if kind == SentenceKind.IMPRISONMENT else ""
                fine = f"{rng.randint(10, 500)} base units" if kind == SentenceKind.FINE else ""
                yield (n, p.id, kind.value, f"{p.city[0]} District Court", years, months, fine, regime, *date)

    def representations(self):
        rng, n = self.rng, 0
        for p in self.people:
            if p.detained is None:
                continue
            for _ in range(rng.choices([0, 1, 2], [3, 7, 2])[0]):
                n += 1
                lawyer = rng.randint(1, self.lawyer_count)
                p.lawyers.append(lawyer)
                start = self.approx(self.day_between(p.detained[2], p.until), DETENTION_PRECISIONS)
                end = (None, "day", None)
                if rng.random() < 0.3:
                    end = self.approx(self.day_between(start[2], self.today), DETENTION_PRECISIONS)
                yield (n, p.id, lawyer, *start, *end)

    # Incidents and contacts: most of the rows.

    def load_incidents_and_contacts(self):
        started = time.monotonic()
        self.incident_sources = (array("q"), array("q"))
        self.copy(Incident, INCIDENT_COLUMNS, self.incidents())
        self.log(f"  {self.counts[Incident._meta.db_table]:,} incidents in {time.monotonic() - started:.0f} s")
        self.copy(Incident.sources.through, ["incident", "source"], zip(*self.incident_sources))
        self.contact_sources = (array("q"), array("q"))
        self.copy(Contact, CONTACT_COLUMNS, self.contacts())
        self.copy(Contact.sources.through, ["contact", "source"], zip(*self.contact_sources))

    def cite(self, sources, record_id, chance):
        if self.rng.random() < chance:
            for source in {self.rng.randint(1, self.source_count) for _ in range(self.rng.choice([1, 1, 1, 2]))}:
                sources[0].append(record_id)
                sources[1].append(source)

    def incidents(self):
        rng, today, n = self.rng, self.today, 0
        kinds, kind_weights = INCIDENT_KINDS
        verifications = weighted({"reported": 40, "credible": 35, "confirmed": 25})
        for p in self.people:
            first = p.detained[2] if p.detained else FIRST_ARRESTS
            planned = [("arrest", p.detained)] if p.detained else []
            no_contact_evidence = p.contacts == 0 and rng.random() < 0.5  # denials stand in for the missing contact
            if no_contact_evidence:
                planned.append((rng.choice(["lawyer_access_denied", "incommunicado", "family_contact_denied"]), None))
            planned.extend(
                (kind, None) for kind in rng.choices(kinds, kind_weights, k=max(0, p.incidents - len(planned)))
            )
            for kind, start in planned:
                n += 1
                start = start or self.approx(self.day_between(first, p.until))
                end = (None, "day", None)
                if kind in LASTING_KINDS and rng.random() < 0.7:
                    last = min(today, start[2] + datetime.timedelta(days=rng.randint(1, 60)))
                    end = (last, "day", last)
                facility = next(
                    (f for s, e, f in p.periods if s[0] <= start[0] and (e is None or start[0] < e[0])), None
                )
                lawyer = (
                    (p.lawyers[0] if p.lawyers else rng.randint(1, self.lawyer_count)) if kind == "disbarment" else None
                )
                description = DESCRIPTIONS[kind].format(
                    n=rng.randint(2, 30), reason=rng.choice(REASONS), illness=rng.choice(ILLNESSES)
                )
                created = self.moment(start[0])
                updated = self.moment(created.date(), within_days=200) if rng.random() < 0.3 else created
                visibility = "public" if rng.random() < 0.6 else "internal"
                yield (
                    n, p.id, kind, facility, lawyer, description,
                    rng.choice(INTERNAL_NOTES) if rng.random() < 0.15 else "", visibility,
                    rng.choices(*verifications)[0], created, updated, updated,
                    created if visibility == "public" and p.published else None, public_id(n), *start, *end,
                    *ENGLISH_ORIGINAL,
                )  # fmt: skip
                self.cite(self.incident_sources, n, 0.35)

    def contacts(self):
        rng, n = self.rng, 0
        channels = weighted({"visit": 30, "call": 20, "letter": 35, "unspecified": 15})
        relatives = ["mother", "father", "wife", "husband", "sister", "brother", "daughter", "son"]
        for p in self.people:
            if p.detained is None and p.contacts and rng.random() < 0.6:
                continue  # no detention date and no contact on record: what a first denial report is for
            first = p.detained[2] if p.detained else FIRST_ARRESTS
            if p.until < first:
                continue
            for i in range(p.contacts):
                n += 1
                party = "lawyer" if (i % 2 == 0 if p.id == 1 else rng.random() < 0.5) else "family"
                recent = p.status in IN_CUSTODY and i >= p.contacts - 2 and rng.random() < 0.65
                day = self.day_between(max(first, p.until - datetime.timedelta(days=25)) if recent else first, p.until)
                date = self.approx(day)
                if date[0] < first:  # an imprecise date may reach back before the detention: never on record
                    date = (day, "day", day)
                lawyer = (
                    (rng.choice(p.lawyers) if p.lawyers and rng.random() < 0.6 else None) if party == "lawyer" else None
                )
                person = f"her or his {rng.choice(relatives)}" if party == "family" else ""
                yield (
                    n, p.id, party, rng.choices(*channels)[0], lawyer, person,
                    "Contact confirmed by the family." if rng.random() < 0.5 else "",
                    "Said the parcel was not handed over." if rng.random() < 0.1 else "",
                    "public" if rng.random() < 0.5 else "internal", self.moment(date[2], within_days=20), public_id(n),
                    *date, *ENGLISH_ORIGINAL,
                )  # fmt: skip
                self.cite(self.contact_sources, n, 0.1)

    def create_users(self):
        users = get_user_model()
        editor = users.objects.create_user(EDITOR_USERNAME, email="editor@bench.example.org", is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITOR))
        alert_staff = Group.objects.get(name=ALERT_STAFF)
        for username in ALERT_STAFF_USERNAMES:
            user = users.objects.create_user(username, email=f"{username}@bench.example.org", is_staff=True)
            user.groups.add(alert_staff)

    def info(self):
        """The scenarios' targets: the heavy case, a typical case, the big colony; and the row counts."""
        typical = min(
            (
                p
                for p in self.people
                if p.published and p.status == "detained" and p.detained and p.id != 1 and 8 <= p.contacts <= 12
            ),
            key=lambda p: (abs(p.incidents - 50), p.id),
            default=self.people[0],
        )
        held = sum(1 for p in self.people if p.status == "detained" and p.periods and p.periods[-1][1] is None
                   and p.periods[-1][2] == self.big_colony["id"])  # fmt: skip
        return {
            "heavy_prisoner": {"id": 1, "name": KALESNIKAVA, "incidents": HEAVY_INCIDENTS, "contacts": HEAVY_CONTACTS},
            "typical_prisoner": {"id": typical.id, "incidents": typical.incidents, "contacts": typical.contacts},
            "big_facility": {**self.big_colony, "held": held},
            "rows": self.counts,
            "copy_seconds": self.timings,
            "phases": self.phases,
            "generated_on": self.today.isoformat(),
        }


def unique(slug, taken):
    """Like prisoners.models.unique_slug: 'name', 'name-2', 'name-3' …"""
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def approx_columns(name):
    return [name, f"{name}_precision", f"{name}_latest"]


PUBLIC_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def public_id(n):
    """Row n's public identifier: n scrambled by an odd multiplier modulo 2**60 (so never one twice),
    written in 12 base-32 letters, like casetracker.public_record.new_public_id."""
    scrambled = (n * 0x9E3779B97F4A7C15) % (1 << 60)
    return "".join(PUBLIC_ID_ALPHABET[(scrambled >> shift) & 31] for shift in range(55, -1, -5))


PRISONER_COLUMNS = [
    "id", "name", "name_folded", "slug", "bio", "status", "published", "gender", "home_town", "home_region",
    "occupation", "photo", "photo_public", "death_cause", "died_in_custody", "monitored", "lawyer_threshold_days",
    "family_threshold_days", "created", "updated", "public_changed",
    *approx_columns("detained"), *approx_columns("born"), *approx_columns("died"), *approx_columns("monitored_from"),
    "written_in", *translation_fields("bio"), "display_names",
]  # fmt: skip
CUSTODY_COLUMNS = ["id", "prisoner", "facility", "note", "public_id", *approx_columns("start"), *approx_columns("end")]
SENTENCE_COLUMNS = ["id", "prisoner", "kind", "court", "term_years", "term_months", "fine", "regime",
                    *approx_columns("date")]  # fmt: skip
REPRESENTATION_COLUMNS = ["id", "prisoner", "lawyer", *approx_columns("start"), *approx_columns("end")]
INCIDENT_COLUMNS = [
    "id", "prisoner", "kind", "facility", "lawyer", "description", "internal_notes", "visibility", "verification",
    "created", "updated", "public_changed", "published_at", "public_id", *approx_columns("start"),
    *approx_columns("end"), "written_in", *translation_fields("description"),
]  # fmt: skip
CONTACT_COLUMNS = [
    "id", "prisoner", "party", "channel", "lawyer", "contact_person", "description", "internal_notes", "visibility",
    "created", "public_id", *approx_columns("date"), "written_in", *translation_fields("description"),
]  # fmt: skip

LOADED_MODELS = [
    Organisation, Tag, Source, Source.signatories.through, Lawyer, Facility, FacilityNameVariant, Prisoner,
    NameVariant, Prisoner.tags.through, Prisoner.sources.through, Recognition, Recognition.organisations.through,
    RegisterEntry, CustodyPeriod, Charge, Sentence, Representation, Incident, Incident.sources.through, Contact,
    Contact.sources.through,
]  # fmt: skip

assert set(DESCRIPTIONS) <= set(IncidentKind.values)
