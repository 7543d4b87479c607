"""The public case file: what the public site may show of a prisoner, read only through `.public()`.

`listed_prisoners()` is every published prisoner with the lapse counted from public records
only (so an internal contact is never betrayed by a shorter lapse), only the name variants marked
public and where they are held: what lists show; `public_prisoners()` adds what a case shows.
`CaseFile` is one case page: the dated timeline of public incidents, contacts and custody, the
lawyers with the reprisals against them, and the public sources. A case's last public change is
stored on it (`Prisoner.public_changed`, kept by prisoners.public_changes). Pages, feeds and exports all read from here.
"""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db.models import Case, F, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from casetracker.dates import ApproximateDate
from events.models import HARM_LABELS, HARMS, Contact, Incident, IncidentKind, Party, Source, Verification
from prisoners import lapse as lapse_rule
from prisoners.models import CustodyPeriod, Facility, NameVariant, Prisoner, Recognition, Representation, Sentence


def public_lapse(prisoner, party):
    """The lapse as the public may see it: only from annotations that counted public records.

    `Prisoner.objects.with_contact_lapse()` without `public=True` counts internal contacts too.
    """
    if getattr(prisoner, lapse_rule.PUBLIC_FLAG, False) is not True:
        raise ValueError("Public lapse figures need publicsite.casefile.listed_prisoners() or public_prisoners().")
    return lapse_rule.read(prisoner, party)


def listed_prisoners(today=None):
    """Published prisoners with what a list row shows: the lapse from public records only (counted to
    `today`, default now), the name variants marked public and where they are held. A fixed number of
    queries however many."""
    return (
        Prisoner.objects.public()
        .with_contact_lapse(public=True, today=today)
        .prefetch_related(
            Prefetch("name_variants", queryset=NameVariant.objects.public()),  # never an internal spelling
            Prefetch(
                "custody_periods",
                queryset=CustodyPeriod.objects.open().select_related("facility"),
                to_attr="open_custody_periods",
            ),
        )
    )


def public_prisoners():
    """`listed_prisoners()` with everything else a case page or export shows of them: charges,
    sentences, case groups, register IDs, recognitions and lawyers."""
    return listed_prisoners().prefetch_related(
        "charges",
        "sentences",
        "tags",
        "register_entries",
        Prefetch("recognitions", queryset=Recognition.objects.prefetch_related("organisations")),
        Prefetch("representations", queryset=Representation.objects.select_related("lawyer")),
    )


def public_photo_url(prisoner):
    """Only a photo an editor made public; served through the public site, never from storage."""
    if prisoner.photo and prisoner.photo_public:
        return reverse("publicsite:prisoner_photo", args=[prisoner.slug])
    return None


def public_incidents():
    """Public incidents across all cases, with what a list of them shows."""
    return Incident.objects.public().select_related("prisoner", "facility").with_public_sources()


def _newest(rows, start, end=None):
    """The newest of a prisoner's `rows` (a correlated subquery on the prisoner): a fact's end where it has one, else
    its start; of "2023" and "May 2023", May (by the earliest day, then the latest). Its day and its precision, as two
    subqueries that pick the same row."""
    if end:
        day, latest = Coalesce(end, start), Coalesce(f"{end}_latest", f"{start}_latest")
        precision = Case(When(**{f"{end}__isnull": False}, then=F(f"{end}_precision")), default=F(f"{start}_precision"))
    else:
        day, latest, precision = F(start), F(f"{start}_latest"), F(f"{start}_precision")
    newest = (
        rows.filter(prisoner=OuterRef("pk"))
        .annotate(newest_day=day, newest_latest=latest, newest_precision=precision)
        .exclude(newest_day=None)
        .order_by("-newest_day", "-newest_latest", "pk")
    )
    return Subquery(newest.values("newest_day")[:1]), Subquery(newest.values("newest_precision")[:1])


# The dated facts a case page shows, by kind of record: (public rows, start field, end field or None).
DATED = [
    (Incident.objects.public(), "start", "end"),
    (Contact.objects.public(), "date", None),
    (CustodyPeriod.objects.public(), "start", "end"),
    (Sentence.objects.all(), "date", None),  # all public, as are recognitions and lawyers
    (Recognition.objects.all(), "date", None),
    (Representation.objects.all(), "start", "end"),
]


def information_as_of(prisoners):
    """{prisoner pk: the date of their newest public fact, or None}: how old a case's information is, since counted
    figures run up to today. The dates a case page shows: incidents, contacts and custody (an end where there is one),
    sentences, recognitions, lawyers from and until, the detention and the death. Internal facts never date it. The
    case page and the list both ask here: one query, for a page of the list as for one case."""
    columns = {}
    for number, (rows, start, end) in enumerate(DATED):
        columns[f"day_{number}"], columns[f"precision_{number}"] = _newest(rows, start, end)
    found = {prisoner.pk: [prisoner.detained_approx, prisoner.died_approx] for prisoner in prisoners}
    dated = Prisoner.objects.filter(pk__in=found).annotate(**columns).values_list("pk", *columns)
    for pk, *values in dated:
        found[pk] += [ApproximateDate.of(day, precision) for day, precision in zip(values[::2], values[1::2]) if day]
    return {
        pk: max(
            (date for date in dates if date is not None), key=lambda date: (date.earliest, date.latest), default=None
        )
        for pk, dates in found.items()
    }


def with_information_as_of(prisoners):
    """`prisoners` (a page of a list), each with `information_as_of` set."""
    prisoners = list(prisoners)
    dates = information_as_of(prisoners)
    for prisoner in prisoners:
        prisoner.information_as_of = dates[prisoner.pk]
    return prisoners


@dataclass(frozen=True)
class TimelineEntry:
    """One dated fact on a public case page: an incident, a contact or a custody change."""

    kind: str  # "incident", "contact", "custody" or "sentence"
    record: object
    date: ApproximateDate | None  # the start; None when unknown
    when: str  # the date (range) as written
    title: str
    description: str = ""
    facility: Facility | None = None
    sources: list = field(default_factory=list)  # public sources only
    verification: str = ""
    name: str = ""  # the anchor, for a record without a public identifier of its own
    harm: str = ""  # what a reader must not miss ("punishment", "health" …: IncidentKind.harm), or ""
    lawyers: tuple = ()  # the lawyers an incident concerns (a disbarment), by name
    also: tuple = ()  # further records this entry tells, word for word the same but for the lawyer (`told_once`)

    # On the same day: a last contact before the denial that follows; a sentence before what followed it.
    KINDS = ("custody", "contact", "sentence", "incident")

    @property
    def anchor(self):
        return self.name or self.record.anchor

    @property
    def shown_description(self):
        """The description in the page's language where it has a translation, else the original, marked with its
        language (`casetracker.translated`); `description` stays the original, as the exports give it."""
        return getattr(self.record, "description_translated", self.description)

    @property
    def harm_label(self):
        return HARM_LABELS.get(self.harm, "")

    @property
    def end(self):
        """The end of a period or range (custody, an incident that lasted), when known."""
        return getattr(self.record, "end_approx", None) if self.kind in ("incident", "custody") else None

    @property
    def anchors(self):
        """Every record's anchor (links name each record, also when one entry tells several)."""
        return [self.anchor, *(record.anchor for record in self.also)]

    def told_once(self, other):
        """This entry telling `other` too: the same kind of fact on the same dates, in the same words, from the same
        sources, only about another lawyer (three lawyers disbarred by one decision are one entry, not three)."""
        same = ("kind", "when", "title", "description", "facility", "verification")
        if self.kind != "incident" or any(getattr(self, name) != getattr(other, name) for name in same):
            return None
        if not (self.lawyers and other.lawyers) or set(self.lawyers) & set(other.lawyers):
            return None  # two punishments in the same words are two facts; so is one lawyer's, recorded twice
        if [source.pk for source in self.sources] != [source.pk for source in other.sources]:
            return None
        return replace(self, lawyers=self.lawyers + other.lawyers, also=(*self.also, other.record, *other.also))

    @property
    def year(self):
        """The year it is listed under (of the day it sorts by), or None when undated."""
        placed = self.sort_key()
        return placed[1].year if placed[0] == 0 else None

    def sort_key(self):
        """When it happened, as honestly as its dates allow: by the latest day its start can mean (a period ending on
        the 28th began by then), then the earliest. So a vaguer date follows the precise ones it may include ("2023"
        after "May 2023", "early October" after "2 October"), a period whose start is unknown stands at its end,
        and facts with no date at all come last."""
        rank, end = self.KINDS.index(self.kind), self.end
        if self.date is not None:
            latest = min(self.date.latest, end.latest) if end is not None else self.date.latest
            return (0, latest, self.date.earliest, rank, self.record.pk)
        if end is not None:
            return (0, end.latest, datetime.date.min, rank, self.record.pk)
        return (1, datetime.date.max, datetime.date.max, rank, self.record.pk)

    @classmethod
    def of_incident(cls, incident):
        return cls(
            "incident",
            incident,
            incident.start_approx,
            incident.date_range,
            incident.get_kind_display(),
            incident.description,
            incident.facility,
            incident.public_sources,
            incident.get_verification_display(),
            harm=IncidentKind.harm(incident.kind),
            lawyers=(incident.lawyer.name,) if incident.lawyer_id else (),
        )

    @classmethod
    def of_contact(cls, contact):
        if contact.channel != "unspecified":
            channel = {"channel": contact.get_channel_display()}
            if contact.party == Party.LAWYER:
                title = _("Lawyer contact (%(channel)s)") % channel
            else:
                title = _("Family contact (%(channel)s)") % channel
        else:
            title = _("Lawyer contact") if contact.party == Party.LAWYER else _("Family contact")
        return cls(
            "contact",
            contact,
            contact.date_approx,
            str(contact.date_approx),
            title,
            contact.description,
            sources=contact.public_sources,
        )

    @classmethod
    def of_sentence(cls, sentence, number):
        """A sentence, dated, in the timeline by itself (`number`: its place among the case's sentences, all public,
        so the anchor betrays nothing)."""
        court = _("Sentenced by %(court)s.") % {"court": sentence.court} if sentence.court else ""
        regime = _("Regime: %(regime)s.") % {"regime": sentence.get_regime_display()} if sentence.regime else ""
        return cls(
            "sentence",
            sentence,
            sentence.date_approx,
            str(sentence.date_approx),
            _("Sentenced: %(term)s") % {"term": sentence.term},
            " ".join(part for part in (court, regime) if part),
            name=f"sentence-{number}",
        )

    @classmethod
    def of_custody(cls, period):
        # The custody note is not shown: it has no public/internal flag of its own.
        when, title = period.period, _("Held at %(facility)s") % {"facility": period.facility}
        return cls("custody", period, period.start_approx, when, title, facility=period.facility)


@dataclass(frozen=True)
class PublicLawyer:
    name: str
    start: ApproximateDate | None
    end: ApproximateDate | None
    reprisals: list  # public disbarment incidents


class CaseFile:
    """One published prisoner (from `public_prisoners()`) as the public case page shows them."""

    def __init__(self, prisoner):
        self.prisoner = prisoner

    @property
    def photo_url(self):
        return public_photo_url(self.prisoner)

    @property
    def recognitions(self):
        return self.prisoner.recognitions.all()

    @cached_property
    def record_sources(self):
        """The public sources of the record's own facts (who, status, charges …)."""
        sources = Source.objects.public().filter(prisoners=self.prisoner)
        return list(sources.select_related("publisher").prefetch_related("signatories"))

    @cached_property
    def incidents(self):
        """Public incidents, in date order, with their facility, lawyer and public sources."""
        incidents = Incident.objects.public().filter(prisoner=self.prisoner)
        return list(incidents.select_related("facility", "lawyer").with_public_sources())

    @cached_property
    def lapses(self):
        """The public lapse for each party, while in custody (it means nothing otherwise)."""
        if not self.prisoner.in_custody:
            return []
        return [public_lapse(self.prisoner, party) for party in Party.values]

    @cached_property
    def timeline(self):
        """Public incidents, public contacts and custody changes, in date order (`TimelineEntry.sort_key`)."""
        contacts = Contact.objects.public().filter(prisoner=self.prisoner).with_public_sources()
        custody = CustodyPeriod.objects.public().filter(prisoner=self.prisoner).select_related("facility")
        entries = [
            *(TimelineEntry.of_incident(incident) for incident in self.incidents),
            *(TimelineEntry.of_contact(contact) for contact in contacts),
            *(TimelineEntry.of_custody(period) for period in custody),
            *self._sentences(),
        ]
        return sorted(entries, key=TimelineEntry.sort_key)

    @cached_property
    def custody(self):
        """Where the prisoner was held, period by period, in date order: spans of their own, not timeline events."""
        return [entry for entry in self.timeline if entry.kind == "custody"]

    @cached_property
    def events(self):
        """The timeline but custody, by year, each entry with the numbers of its sources in the list at the end:
        [(year or None for undated, [(entry, [(number, source)])])], oldest first."""
        entries = []
        for entry in self.timeline:
            if entry.kind == "custody":
                continue
            same_dates = itertools.takewhile(
                lambda index: entries[index].when == entry.when, reversed(range(len(entries)))
            )
            for index in same_dates:
                if both := entries[index].told_once(entry):
                    entries[index] = both
                    break
            else:
                entries.append(entry)
        numbers = {source.pk: number for number, source in enumerate(self.sources, start=1)}
        years = []
        for entry in entries:
            if not years or years[-1][0] != entry.year:
                years.append((entry.year, []))
            years[-1][1].append((entry, [(numbers[source.pk], source) for source in entry.sources]))
        return years

    @cached_property
    def harms(self):
        """The harms the public incidents tell of, counted by kind, in the order of `HARMS`:
        [("punishment", [("punishment isolation cell (ShIZO)", 3), …]), …]."""
        counts = Counter(incident.kind for incident in self.incidents)
        counted = [
            (HARM_LABELS[harm], [(IncidentKind(kind).label, counts[kind]) for kind in kinds if counts[kind]])
            for harm, kinds in HARMS.items()
        ]
        return [(harm, kinds) for harm, kinds in counted if kinds]

    @cached_property
    def as_of(self):
        """The date of the newest public fact, or None (`information_as_of`)."""
        return information_as_of([self.prisoner])[self.prisoner.pk]

    def _sentences(self):
        """Dated sentences, unless a public sentencing incident of the same date already tells it (the older way
        of putting a sentence in the timeline)."""
        told = {incident.start_approx for incident in self.incidents if incident.kind == IncidentKind.SENTENCING}
        dated = [sentence for sentence in self.prisoner.sentences.all() if sentence.date_approx]
        return [
            TimelineEntry.of_sentence(sentence, number)
            for number, sentence in enumerate(dated, start=1)
            if sentence.date_approx not in told
        ]

    @cached_property
    def lawyers(self):
        """Lawyers who represent(ed) the prisoner, each with the public reprisals against them."""
        reprisals = {}
        for incident in self.incidents:
            if incident.kind == IncidentKind.DISBARMENT and incident.lawyer_id:
                reprisals.setdefault(incident.lawyer_id, []).append(incident)
        lawyers = [
            PublicLawyer(rep.lawyer.name, rep.start_approx, rep.end_approx, reprisals.pop(rep.lawyer_id, []))
            for rep in self.prisoner.representations.all()
        ]
        for incidents in reprisals.values():  # reprisals against a lawyer not (or no longer) on record
            lawyers.append(PublicLawyer(incidents[0].lawyer.name, None, None, incidents))
        return lawyers

    @property
    def verification_legend(self):
        return Verification.meanings()

    @cached_property
    def sources(self):
        """Every public source the record and its timeline cite, once, in order of first citation."""
        cited = [*self.record_sources, *(source for entry in self.timeline for source in entry.sources)]
        return list({source.pk: source for source in cited}.values())
