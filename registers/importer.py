"""Importing a register: every row read, checked and matched to who is on record, then written in
one transaction, or nothing at all.

A run reads the file row by row in batches (memory stays flat), parses every cell (registers.parsing),
finds each row's person or facility on record (by register ID, then by name in any script, see
registers.matching) and writes creations in bulk and changes one record at a time, with history
("import: <file name>" as the change reason). A dry run does exactly the same work and rolls it
back, so the preview says precisely what a confirmed import will do; any problem in any row rolls
back the confirmed import too. Re-importing a file changes nothing; a person is never silently
created twice: a row that only resembles someone on record waits for a decision (`match`).
"""

import decimal
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, pgettext
from simple_history.utils import bulk_create_with_history

from casetracker.iterables import batched
from casetracker.text import fold
from events.models import Contact, Incident, IncidentKind, Organisation, Party
from prisoners import clocks, facility_names, public_changes, search
from prisoners.models import (
    Charge,
    CustodyPeriod,
    Facility,
    FacilityKind,
    FacilityNameVariant,
    NameVariant,
    Prisoner,
    Recognition,
    RegisterEntry,
    Sentence,
    Tag,
    new_slugs,
    unique_slugs,
)
from prisoners.status import IN_CUSTODY
from publicsite.page_cache import invalidate

from . import matching, reading, vocabulary
from .columns import DERIVED_EXPORT_COLUMNS, FACILITY_COLUMNS, PRISONER_COLUMNS, by_header, header_key
from .parsing import ParseError, parse_bool, parse_date, parse_penalty, split_values

log = logging.getLogger(__name__)

BATCH = 500
NEW = "new"  # the `match` decision for a row that is someone not on record


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    value: str
    message: str

    def __str__(self):
        where = pgettext("import problem", "file") if self.row is None else gettext("row %(row)s") % {"row": self.row}
        cell = f", {self.column}" if self.column else ""
        value = f" “{self.value}”" if self.value else ""
        return f"{where}{cell}{value}: {self.message}"


@dataclass
class Outcome:
    row: int
    name: str
    action: str = "unchanged"  # create, update, unchanged, error
    changes: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # (record, matched spelling) for a decision
    record: models.Model | None = None

    def __str__(self):
        detail = "; ".join(self.changes)
        return f"row {self.row}: {self.action:<9} {self.name}{f' — {detail}' if detail else ''}"


@dataclass
class Report:
    file_name: str
    dry_run: bool
    problems: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    written: bool = False

    @property
    def counts(self):
        return Counter(outcome.action for outcome in self.outcomes)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        counts = self.counts
        parts = [label % {"count": counts[action]} for action, label in ACTION_LABELS.items() if counts[action]]
        rows_with_problems = len({problem.row for problem in self.problems if problem.row is not None})
        if rows_with_problems:
            parts.append(
                ngettext("%(count)d row with problems", "%(count)d rows with problems", rows_with_problems)
                % {"count": rows_with_problems}
            )
        if any(problem.row is None for problem in self.problems):
            parts.append(gettext("a problem with the file"))
        if self.written:
            done = gettext("Imported.")
        else:
            done = gettext("Nothing was written (dry run).") if self.dry_run else gettext("Nothing was written.")
        return f"{', '.join(parts) or gettext('No rows')}. {done}"


ACTION_LABELS = {
    "create": ngettext_lazy("%(count)d to create", "%(count)d to create", "count"),
    "update": ngettext_lazy("%(count)d to update", "%(count)d to update", "count"),
    "unchanged": ngettext_lazy("%(count)d unchanged", "%(count)d unchanged", "count"),
}


class RowProblems(Exception):
    """Raised inside a row's processing when it cannot be imported; the problems are recorded."""


class _Rollback(Exception):
    pass


class Importer:
    columns = ()
    model = None
    twice = gettext_lazy("Also on row %(row)s: the same record twice in one file.")

    def __init__(self, *, file_name, data, mapping=None, register="", user=None, dry_run=True):
        self.file_name = file_name
        self.data = data
        self.mapping = mapping or {}
        self.register = register or file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        self.user = user
        self.report = Report(file_name=file_name, dry_run=dry_run)
        self.reason = f"import: {file_name}"[:100]
        self.seen = {}  # identities in this file -> the row that had them first
        self.pending = {}  # model -> instances to create with this batch
        self.links = []  # (through model, fields) of many-to-many links to create once ids exist
        self.named_records = {Organisation: {}, Tag: {}}  # organisations and case groups by name, made once

    # The file.

    def run(self):
        try:
            header, rows = reading.rows(self.file_name, self.data)
            fields = self.read_header(header)
        except reading.FileProblem as problem:
            self.report.problems.append(Problem(None, "", "", str(problem)))
            return self.report
        if self.report.problems:
            return self.report
        try:
            with transaction.atomic():
                for batch in batched(rows, BATCH):
                    self.import_batch([(number, self.cells(fields, cells)) for number, cells in batch])
                if self.report.dry_run or self.report.problems:
                    raise _Rollback
                invalidate()  # bulk writes send no signals; it takes effect when this commits
                self.report.written = True
        except _Rollback:
            pass
        except reading.FileProblem as problem:
            self.report.problems.append(Problem(None, "", "", str(problem)))
        except DatabaseError as error:  # a constraint the row checks did not foresee: nothing is kept
            log.exception("Import of %s failed in the database", self.file_name)
            refused = gettext("The database refused the import (%(error)s).") % {"error": error}
            self.report.problems.append(Problem(None, "", "", refused))
        return self.report

    def read_header(self, header):
        """Column index -> field; unknown or doubled headers are problems with the file."""
        known, overrides = by_header(self.columns), {header_key(h): f for h, f in self.mapping.items()}
        fields_by_name = {column.field: column for column in self.columns}
        fields, problems = {}, self.report.problems
        for index, title in enumerate(header):
            key = header_key(title)
            if not key:
                continue
            if key in overrides:
                name = overrides[key]
                if name not in fields_by_name:
                    unknown = gettext("--columns maps it to an unknown field %(field)s.") % {"field": repr(name)}
                    problems.append(Problem(None, title, name, unknown))
                    continue
                column = fields_by_name[name]
            elif key in known:
                column = known[key]
            elif key in {header_key(c) for c in DERIVED_EXPORT_COLUMNS}:
                continue  # derived by the app itself
            else:
                names = ", ".join(column.field for column in self.columns)
                message = gettext("Unknown column. Name it as one of %(fields)s, or map it with --columns.")
                problems.append(Problem(None, title, "", message % {"fields": names}))
                continue
            if column.field in fields.values():
                second = gettext("A second column for %(field)s.") % {"field": column.field}
                problems.append(Problem(None, title, "", second))
                continue
            fields[index] = column.field
        for column in self.columns:
            if column.required and column.field not in fields.values():
                missing = gettext("The file has no %(field)s column.") % {"field": column.field}
                problems.append(Problem(None, column.field, "", missing))
        return fields

    @staticmethod
    def cells(fields, row):
        return {name: row[index] for index, name in fields.items() if index < len(row)}

    def problem(self, outcome, column, value, message):
        self.report.problems.append(Problem(outcome.row, column, str(value or ""), message))
        outcome.action = "error"

    def parse(self, outcome, cells, column, parser):
        """The cell parsed, or None with a problem recorded."""
        try:
            return parser(cells.get(column))
        except ParseError as error:
            self.problem(outcome, column, cells.get(column), str(error))
            return None

    def first_seen(self, outcome, identity, what):
        """A person (or ID) twice in one file is a mistake in the file: say where."""
        earlier = self.seen.setdefault(identity, outcome.row)
        if earlier != outcome.row:
            self.problem(outcome, what, "", self.twice % {"row": earlier})
            return False
        return True

    def validate(self, outcome, instance, exclude=()):
        try:
            instance.full_clean(exclude=[*exclude, "slug"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                value = getattr(instance, name, "") if name != "__all__" else ""
                self.problem(outcome, name if name != "__all__" else "", value, " ".join(messages))
            return False
        return True

    def history(self, instance):
        instance._change_reason = self.reason
        instance._history_user = self.user

    def named(self, model, name):
        """An organisation or case group by name, created the first time the file names it."""
        known = self.named_records[model]
        if name not in known:
            known[name] = model.objects.get_or_create(name=name)[0]
        return known[name]

    def flush(self):
        """Create what the batch's rows added, in bulk, with history; then their many-to-many links."""
        held_at = {period.facility_id for period in self.pending.get(CustodyPeriod, [])}
        for model, instances in self.pending.items():
            public_changes.adding(instances)  # a published case gaining a public record changed (no signals here)
            bulk_create_with_history(
                instances, model, batch_size=BATCH, default_user=self.user, default_change_reason=self.reason
            )
        links = {}
        for through, make in self.links:
            links.setdefault(through, []).append(make())
        for through, rows in links.items():
            through.objects.bulk_create(rows, ignore_conflicts=True)
        facility_names.refresh(held_at)  # custody written past the signals
        self.pending, self.links = {}, []

    def import_batch(self, rows):
        raise NotImplementedError

    @staticmethod
    def release(outcomes):
        """The batch is written: let its records (and all they fetched) go, so memory stays flat."""
        for outcome in outcomes:
            outcome.record = None


def _text(value, limit=None):
    text = " ".join(str(value).split()) if value not in (None, "") else ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text[:limit] if limit else text


def _url(value):
    url = _text(value)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ParseError(gettext('"%(url)s" is not a web address (http:// or https://).') % {"url": url}) from None
    return url


def _register_ids(register):
    def parse(cell):
        """IDs in one cell: "1234", or "Viasna: 1234" as our export writes them."""
        ids = []
        for value in split_values(cell):
            name, separator, identifier = value.rpartition(":")
            ids.append((name.strip() or register, identifier.strip()) if separator else (register, value))
        return ids

    return parse


def _charge(value):
    """(article, label): "ст. 342 ч. 1", "Art. 342 (organising gross breaches of public order)", or a label
    with its article in brackets as our export writes it ("extremism (Art. 361-1)")."""
    text = _text(value)
    article_first = vocabulary.ARTICLE.match(text)
    if article_first:
        rest = text[article_first.end() :].strip().strip("()").strip()
        return article_first.group().strip(), rest
    if text.endswith(")") and "(" in text:
        label, _, article = text[:-1].rpartition("(")
        if vocabulary.ARTICLE.match(article.strip()):
            return article.strip(), label.strip()
    return "", text


class PrisonerImporter(Importer):
    columns = PRISONER_COLUMNS
    model = Prisoner
    twice = gettext_lazy("Also on row %(row)s: the same person twice in one file.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.facilities = matching.FacilityIndex()

    def import_batch(self, rows):
        parsed = [self.read_row(number, cells) for number, cells in rows]
        parsed = [(outcome, values) for outcome, values in parsed if outcome.action != "error"]
        found = matching.people_on_record(values for _, values in parsed)
        new = []
        for outcome, values in parsed:
            target = self.identify(outcome, values, found)
            if outcome.action == "error":
                continue
            if target is None:
                new.append((outcome, values))
            else:
                self.update(outcome, target, values)
        created = self.create(new)
        self.flush()
        outcomes = self.report.outcomes[-len(rows) :]
        written = [*created, *(outcome.record.pk for outcome in outcomes if outcome.action == "update")]
        clocks.refresh(written)
        search.reindex_many(Prisoner, written)  # their names and variants were written past the signals
        self.release(outcomes)

    # Reading a row.

    def read_row(self, number, cells):
        outcome = Outcome(row=number, name=_text(cells.get("name"), 200))
        self.report.outcomes.append(outcome)
        if not outcome.name:
            self.problem(outcome, "name", "", gettext("Every row needs a name."))
            return outcome, {}
        values = {"name": outcome.name}
        for column in ("bio", "home_town", "home_region", "occupation", "court", "death_cause", "register"):
            if column in cells:
                values[column] = _text(cells[column], None if column == "bio" else 300)
        lists = {"name_variants": 200, "public_name_variants": 200, "case_groups": 100, "recognised_by": 200}
        for column, limit in lists.items():
            if column in cells:
                values[column] = [_text(value, limit) for value in split_values(cells[column])]
        if "public_name_variants" in values:  # every spelling finds the person on record; these are made public
            values["name_variants"] = [*values["public_name_variants"], *values.get("name_variants", [])]
        dates = [
            "born",
            "detained",
            "sentenced_on",
            "released_on",
            "died",
            "recognised_on",
            "last_lawyer_contact",
            "last_family_contact",
            "monitored_from",
        ]
        for column in dates:
            if column in cells:
                values[column] = self.parse(outcome, cells, column, parse_date)
        readers = {
            "status": vocabulary.status,
            "gender": vocabulary.gender,
            "sentence": parse_penalty,
            "died_in_custody": parse_bool,
            "register_url": _url,
            "register_id": _register_ids(values.get("register") or self.register),
            "charges": lambda cell: [_charge(value) for value in split_values(cell)],
            "facility": self.facilities.parser,
            "match": lambda cell: _text(cell).lower(),
        }
        for column, reader in readers.items():
            if column in cells:
                values[column] = self.parse(outcome, cells, column, reader)
        return outcome, values

    # Who the row is.

    def identify(self, outcome, values, found):
        """The prisoner on record the row is (None: someone new), or a problem asking for a decision."""
        for register, identifier in values.get("register_id") or []:
            self.first_seen(outcome, ("id", register.lower(), identifier.lower()), "register_id")
        if not self.first_seen(outcome, ("name", fold(values["name"]), values.get("born")), "name"):
            return None
        by_id = {found.by_id[key] for key in found.id_keys(values) if key in found.by_id}
        decision = values.get("match")
        if len(by_id) > 1:
            names = ", ".join(sorted(p.name for p in by_id))
            message = gettext("These IDs belong to different people on record: %(names)s.") % {"names": names}
            self.problem(outcome, "register_id", "", message)
        elif by_id:
            (prisoner,) = by_id
            if decision and decision not in (NEW, prisoner.slug):
                message = gettext("The register ID is %(name)s's (%(slug)s).")
                self.problem(outcome, "match", decision, message % {"name": prisoner.name, "slug": prisoner.slug})
            return prisoner
        elif decision == NEW:
            return None
        elif decision:
            prisoner = found.by_slug.get(decision)
            if prisoner is None:
                self.problem(outcome, "match", decision, gettext("No one on record has this slug."))
            return prisoner
        else:
            return self.by_name(outcome, values, found)
        return None

    def by_name(self, outcome, values, found):
        exact = found.exact(values)
        born = values.get("born")
        same = [p for p in exact if born is None or p.born_approx is None or not _differ(p.born_approx, born)]
        if len(exact) == 1 and same:
            return same[0]
        candidates = exact or found.near(values)
        if candidates:
            outcome.candidates = [(prisoner, found.spelling(prisoner, values)) for prisoner in candidates]
            names = "; ".join(f"{p.name} ({p.slug})" for p in candidates)
            self.problem(
                outcome,
                "name",
                values["name"],
                gettext(
                    "Probably already on record: %(names)s. Decide in a `match` column: the slug of the person "
                    "it is, or `new` for someone else."
                )
                % {"names": names},
            )
        return None

    # Writing.

    def facts(self, prisoner, values, outcome):
        """Set the row's own facts on the prisoner; the list of what changed."""
        changes = []

        def put(name, value, label=None):
            if value in (None, "") or getattr(prisoner, name) == value:
                return
            old = getattr(prisoner, name)
            setattr(prisoner, name, value)
            changes.append(f"{label or name}: {_shown(prisoner, name, old)} → {_shown(prisoner, name, value)}")

        for column in ("status", "bio", "gender", "home_town", "home_region", "occupation", "death_cause"):
            put(column, values.get(column))
        for column, name in (("born", "born"), ("detained", "detained"), ("died", "died")):
            if values.get(column) and getattr(prisoner, f"{name}_approx") != values[column]:
                changes.append(f"{column}: {getattr(prisoner, f'{name}_approx') or '—'} → {values[column]}")
                setattr(prisoner, f"{name}_approx", values[column])
        put("died_in_custody", values.get("died_in_custody"), gettext("died in custody"))
        if values.get("monitored_from") and prisoner.monitored_from_approx != values["monitored_from"]:
            prisoner.monitored_from_approx = values["monitored_from"]
            changes.append(gettext("contact monitored from %(date)s") % {"date": values["monitored_from"]})
        if _gives_contact_data(values) and not prisoner.monitored:
            prisoner.monitored = True
            changes.append(gettext("contact now monitored"))
        if values.get("released_on") and (values.get("status") or prisoner.status) in IN_CUSTODY:
            message = gettext("A release date for someone in custody.")
            self.problem(outcome, "released_on", values["released_on"], message)
        return changes

    def update(self, outcome, prisoner, values):
        outcome.record = prisoner
        changes = self.facts(prisoner, values, outcome)
        if outcome.action == "error" or not self.validate(outcome, prisoner):
            return
        if changes:
            self.history(prisoner)
            prisoner.save()
        changes += self.related(outcome, prisoner, values, new=False)
        if outcome.action != "error" and changes:
            outcome.action, outcome.changes = "update", changes

    def create(self, rows):
        """New prisoners in bulk (history included); returns their ids."""
        prisoners = []
        for outcome, values in rows:
            prisoner = Prisoner(name=values["name"], monitored=_gives_contact_data(values))
            self.facts(prisoner, values, outcome)
            if outcome.action != "error" and self.validate(outcome, prisoner):
                outcome.action, outcome.record = "create", prisoner
                prisoners.append((outcome, prisoner, values))
        if not prisoners:
            return []
        for (_, prisoner, _), slug in zip(prisoners, new_slugs([p.name for _, p, _ in prisoners])):
            prisoner.slug = slug
        created = bulk_create_with_history(
            [prisoner for _, prisoner, _ in prisoners],
            Prisoner,
            batch_size=BATCH,
            default_user=self.user,
            default_change_reason=self.reason,
        )
        for (outcome, _, values), prisoner in zip(prisoners, created):
            outcome.record = prisoner
            outcome.changes = self.related(outcome, prisoner, values, new=True)
        return [prisoner.pk for prisoner in created]

    def related(self, outcome, prisoner, values, new):
        """Names, charges, sentence, custody, IDs, recognitions, groups and contacts from the row:
        added where missing, never removed. Returns what changed (for a new prisoner, what it has)."""
        changes = []
        writer = RelatedWriter(self, outcome, prisoner, new)
        public = {_spelling(variant) for variant in values.get("public_name_variants") or []}
        for variant in values.get("name_variants") or []:
            if writer.add_variant(variant, public=_spelling(variant) in public):
                added = (
                    gettext("+ public name %(name)s") if _spelling(variant) in public else gettext("+ name %(name)s")
                )
                changes.append(added % {"name": variant})
        if _spelling(values["name"]) != _spelling(prisoner.name) and writer.add_variant(values["name"]):
            changes.append(gettext("+ name %(name)s") % {"name": values["name"]})
        for article, label in values.get("charges") or []:
            if writer.add_charge(article, label):
                changes.append(gettext("+ charge %(charge)s") % {"charge": label or article})
        if values.get("sentence") and writer.add_sentence(values):
            changes.append(gettext("+ sentence %(kind)s") % {"kind": values["sentence"].kind})
        if values.get("facility") and writer.hold_at(values["facility"]):
            changes.append(gettext("+ held at %(facility)s") % {"facility": values["facility"]})
        for register, identifier in values.get("register_id") or []:
            if writer.add_register_entry(register, identifier, values.get("register_url", "")):
                changes.append(gettext("+ %(register)s ID %(id)s") % {"register": register, "id": identifier})
        recognised_by = values.get("recognised_by")
        if recognised_by and writer.add_recognition(recognised_by, values.get("recognised_on")):
            changes.append(gettext("+ recognised by %(organisations)s") % {"organisations": ", ".join(recognised_by)})
        for group in values.get("case_groups") or []:
            if writer.add_group(group):
                changes.append(gettext("+ case group %(group)s") % {"group": group})
        contact_added = {
            Party.LAWYER: gettext("+ lawyer contact %(date)s"),
            Party.FAMILY: gettext("+ family contact %(date)s"),
        }
        for party in Party.values:
            if values.get(f"last_{party}_contact") and writer.add_contact(party, values[f"last_{party}_contact"]):
                changes.append(contact_added[party] % {"date": values[f"last_{party}_contact"]})
        if values.get("released_on") and writer.add_release(values["released_on"]):
            changes.append(gettext("+ released %(date)s") % {"date": values["released_on"]})
        writer.save()
        return changes


def _spelling(name):
    return " ".join(name.casefold().split())


def _differ(a, b):
    return a.is_definitely_before(b) or b.is_definitely_before(a)


def _gives_contact_data(values):
    return any(values.get(column) for column in ("last_lawyer_contact", "last_family_contact", "monitored_from"))


def _shown(instance, name, value):
    """A value as the admin shows it: a choice by its label, nothing as a dash."""
    if value in (None, ""):
        return "—"
    return str(dict(instance._meta.get_field(name).flatchoices).get(value, value))


class RelatedWriter:
    """The related records one row adds to one prisoner: compared with what is on record (nothing to
    compare for a new prisoner), validated, and handed to the importer to create with the batch."""

    def __init__(self, importer, outcome, prisoner, new):
        self.importer, self.outcome, self.prisoner, self.new = importer, outcome, prisoner, new
        self.pending = []
        self.links = []

    def _existing(self, manager):
        return [] if self.new else list(manager.all())

    def _pending(self, model):
        return [instance for instance in self.pending if isinstance(instance, model)]

    def _add(self, instance):
        # The prisoner and any facility are ones just found or made: no need to look them up again.
        if self.importer.validate(self.outcome, instance, exclude=("prisoner", "facility")):
            self.pending.append(instance)
            return True
        return False

    def add_variant(self, name, public=False):
        # Spellings differ by more than folding keeps: Бяляцкі and Byalyatski fold alike but both are kept. A variant
        # on record keeps its public flag: making a name public or internal is an editor's decision in the admin.
        names = {_spelling(self.prisoner.name)}
        names |= {
            _spelling(v.name) for v in [*self._existing(self.prisoner.name_variants), *self._pending(NameVariant)]
        }
        variant = NameVariant(prisoner=self.prisoner, name=name, public=public)
        return _spelling(name) not in names and self._add(variant)

    def add_charge(self, article, label):
        key = (fold(article), fold(label))
        charges = [*self._existing(self.prisoner.charges), *self._pending(Charge)]
        if any((fold(c.article), fold(c.label)) == key for c in charges):
            return False
        return self._add(Charge(prisoner=self.prisoner, article=article, label=label))

    def add_sentence(self, values):
        penalty = values["sentence"]
        sentence = Sentence(
            prisoner=self.prisoner,
            kind=penalty.kind,
            term_years=penalty.years,
            term_months=penalty.months,
            fine=penalty.fine,
            regime=penalty.regime,
            court=values.get("court", ""),
        )
        sentence.date_approx = values.get("sentenced_on")
        same = ("kind", "term_years", "term_months", "fine", "date", "date_precision")
        on_record = self._existing(self.prisoner.sentences)
        if any(all(getattr(s, name) == getattr(sentence, name) for name in same) for s in on_record):
            return False
        return self._add(sentence)

    def hold_at(self, facility):
        periods = self._existing(self.prisoner.custody_periods)
        current = next((p for p in periods if p.end is None), None)
        if current is not None:
            if current.facility_id != facility.pk:
                self.importer.problem(
                    self.outcome,
                    "facility",
                    str(facility),
                    gettext("On record as held at %(facility)s now: record the transfer in the admin.")
                    % {"facility": current.facility},
                )
            return False
        period = CustodyPeriod(prisoner=self.prisoner, facility=facility)
        # Held there since at least the end of the last period on record (periods never overlap).
        period.start_approx = max((p.end_approx for p in periods if p.end is not None), default=None)
        period.overlap_checked_elsewhere = True
        return self._add(period)

    def add_register_entry(self, register, identifier, url):
        key = (register.lower(), identifier.lower())
        entries = [*self._existing(self.prisoner.register_entries), *self._pending(RegisterEntry)]
        if any((e.register.lower(), e.identifier.lower()) == key for e in entries):
            return False
        return self._add(RegisterEntry(prisoner=self.prisoner, register=register, identifier=identifier, url=url))

    def add_recognition(self, names, date):
        organisations = [self.importer.named(Organisation, name) for name in names]
        for recognition in self._existing(self.prisoner.recognitions):
            same_date = date is None or recognition.date_approx == date  # no date given: any recognition
            if same_date and set(recognition.organisations.all()) >= set(organisations):
                return False
        recognition = Recognition(prisoner=self.prisoner)
        recognition.date_approx = date
        if not self._add(recognition):
            return False
        through = Recognition.organisations.through
        for organisation in organisations:
            self.links.append((through, lambda o=organisation: through(recognition_id=recognition.pk, organisation=o)))
        return True

    def add_group(self, name):
        tag = self.importer.named(Tag, name)
        if self.new:
            through = Prisoner.tags.through
            self.links.append((through, lambda: through(prisoner_id=self.prisoner.pk, tag=tag)))
            return True
        if tag in self.prisoner.tags.all():
            return False
        self.prisoner._change_reason = self.importer.reason
        self.prisoner.tags.add(tag)  # one record at a time, so the change is in its history
        return True

    def add_contact(self, party, date):
        if any(c.party == party and c.date_approx == date for c in self._existing(self.prisoner.contacts)):
            return False
        contact = Contact(prisoner=self.prisoner, party=party, description="Last contact as the register gives it.")
        contact.date_approx = date
        return self._add(contact)

    def add_release(self, date):
        releases = [] if self.new else self.prisoner.releases  # fetched with the prisoner (matching.COMPARED)
        if any(release.start_approx == date for release in releases):
            return False
        release = Incident(prisoner=self.prisoner, kind=IncidentKind.RELEASE, description="Released.")
        release.start_approx = date
        return self._add(release)

    def save(self):
        """Hand what the row added to the importer's batch (nothing, if the row has a problem)."""
        if self.outcome.action == "error":
            return
        for instance in self.pending:
            self.importer.pending.setdefault(type(instance), []).append(instance)
        self.importer.links.extend(self.links)


class FacilityImporter(Importer):
    columns = FACILITY_COLUMNS
    model = Facility
    twice = gettext_lazy("Also on row %(row)s: the same facility twice in one file.")

    def import_batch(self, rows):
        index = matching.FacilityIndex()
        new = []
        for number, cells in rows:
            outcome = Outcome(row=number, name=_text(cells.get("name"), 200))
            self.report.outcomes.append(outcome)
            values = self.read(outcome, cells)
            if outcome.action == "error" or not self.first_seen(
                outcome, ("name", fold(outcome.name), fold(values.get("city", ""))), "name"
            ):
                continue
            decision = values.get("match")
            facility = None if decision == NEW else index.find(outcome.name, values.get("city", ""), decision)
            if facility is None and decision not in (None, "", NEW):
                self.problem(outcome, "match", decision, gettext("No facility on record has this slug."))
                continue
            if facility is None and decision != NEW:
                near = index.near(outcome.name, values.get("city", ""))
                if near:
                    outcome.candidates = [(f, f.name) for f in near]
                    message = gettext(
                        "Probably already on record: %(facilities)s. Decide in a `match` column: its slug, or `new`."
                    )
                    facilities = "; ".join(f"{f} ({f.slug})" for f in near)
                    self.problem(outcome, "name", outcome.name, message % {"facilities": facilities})
                    continue
            if facility is None:
                new.append((outcome, values))
            else:
                self.update(outcome, facility, values)
        self.create(new)
        self.flush()
        outcomes = self.report.outcomes[-len(rows) :]
        search.reindex_many(Facility, [o.record.pk for o in outcomes if o.action in ("create", "update")])
        self.release(outcomes)

    def read(self, outcome, cells):
        if not outcome.name:
            self.problem(outcome, "name", "", gettext("Every row needs a name."))
            return {}
        values = {}
        for column in ("city", "region", "country", "postal_address"):
            if column in cells:
                values[column] = _text(cells[column], None if column == "postal_address" else 100)
        if "name_variants" in cells:
            values["name_variants"] = [_text(v, 200) for v in split_values(cells["name_variants"])]
        if "kind" in cells:
            values["kind"] = self.parse(outcome, cells, "kind", vocabulary.facility_kind)
        for column in ("latitude", "longitude"):
            if column in cells:
                values[column] = self.parse(outcome, cells, column, _coordinate)
        if "match" in cells:
            values["match"] = _text(cells["match"]).lower()
        return values

    def facts(self, facility, values):
        changes = []
        for name in ("kind", "city", "region", "country", "postal_address", "latitude", "longitude"):
            value = values.get(name)
            if value not in (None, "") and getattr(facility, name) != value:
                changes.append(
                    f"{name}: {_shown(facility, name, getattr(facility, name))} → {_shown(facility, name, value)}"
                )
                setattr(facility, name, value)
        return changes

    def update(self, outcome, facility, values):
        outcome.record = facility
        changes = self.facts(facility, values)
        if not self.validate(outcome, facility):
            return
        if changes:
            self.history(facility)
            facility.save()
        known = {_spelling(facility.name)} | {_spelling(v.name) for v in facility.name_variants.all()}
        variants = [v for v in values.get("name_variants", []) if _spelling(v) not in known]
        self.add_variants(facility, variants)
        changes += [gettext("+ name %(name)s") % {"name": variant} for variant in variants]
        if changes:
            outcome.action, outcome.changes = "update", changes

    def create(self, rows):
        facilities = []
        for outcome, values in rows:
            facility = Facility(name=outcome.name, kind=values.get("kind") or FacilityKind.OTHER)
            self.facts(facility, values)
            if self.validate(outcome, facility):
                outcome.action, outcome.record = "create", facility
                facilities.append((outcome, facility, values))
        if not facilities:
            return
        texts = [f"{facility.name} {facility.city}" for _, facility, _ in facilities]
        for (_, facility, _), slug in zip(facilities, unique_slugs(Facility, texts)):
            facility.slug = slug
        bulk_create_with_history(
            [facility for _, facility, _ in facilities],
            Facility,
            default_user=self.user,
            default_change_reason=self.reason,
        )
        for outcome, facility, values in facilities:
            names = values.get("name_variants", [])
            variants = list(dict.fromkeys(v for v in names if _spelling(v) != _spelling(facility.name)))
            self.add_variants(facility, variants)
            outcome.changes = [gettext("+ name %(name)s") % {"name": variant} for variant in variants]

    def add_variants(self, facility, names):
        seen = set()
        for name in names:
            if _spelling(name) not in seen:
                seen.add(_spelling(name))
                self.pending.setdefault(FacilityNameVariant, []).append(
                    FacilityNameVariant(facility=facility, name=name)
                )


def _coordinate(value):
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        return decimal.Decimal(text).quantize(decimal.Decimal("0.000001"))
    except decimal.InvalidOperation:
        raise ParseError(
            gettext('"%(text)s" is not a coordinate: write decimal degrees, e.g. 52.4345.') % {"text": text}
        ) from None


IMPORTERS = {"prisoners": PrisonerImporter, "facilities": FacilityImporter}


def run(kind, **options):
    """Import (or with dry_run, preview) a register file of prisoners or facilities."""
    return IMPORTERS[kind](**options).run()
