"""The public page cache's version, kept in the database so that no lost message can leave a stale page.

Every cached public page is stored under the current `PageVersion`. A transaction that changes case
data records a `PendingChange` in the same transaction (an insert: it contends with nobody), and once it
has committed, bumps the version and deletes its pending change. If the bump never happens (the process
died, the database went away between the commit and the bump), the committed pending change stays
visible, and the cache is bypassed until someone bumps: a lost invalidation costs misses, never a stale
page. Uncommitted changes are invisible to readers, whose old page is still right until the commit.
"""

import secrets

from django.db import connection, models, transaction


class SingleNumber(models.Model):
    """A single row holding a number that is replaced, never counted up: a database restored from a backup must not
    reuse numbers of other data."""

    number = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    ROW = 1

    @classmethod
    def renew(cls):
        number = secrets.randbits(62) or 1
        if not cls.objects.filter(pk=cls.ROW).update(number=number):
            cls.objects.update_or_create(pk=cls.ROW, defaults={"number": number})


class PageVersion(SingleNumber):
    """A single row: the number under which public pages are cached now."""

    class Meta:
        db_table = "publicsite_page_version"

    @classmethod
    def read(cls):
        """(number, settled) in one query; not settled while a committed change awaits its bump (or when
        the row is missing: the next bump creates it). Every public request asks, so the query is written out:
        the ORM took three times as long to build it as the database to answer it."""
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "number", EXISTS (SELECT 1 FROM "{PendingChange._meta.db_table}") '
                f'FROM "{cls._meta.db_table}" WHERE "id" = %s',
                [cls.ROW],
            )
            row = cursor.fetchone()
        return (row[0], not row[1]) if row else (0, False)

    @classmethod
    def bump(cls):
        """Retire every cached page, then clear the pending changes this bump covers: those committed
        before it (one committed while it runs keeps its row, for its own bump or the next)."""
        with transaction.atomic():
            covered = list(PendingChange.objects.values_list("pk", flat=True))
            cls.renew()  # never a number pages of other data were cached under
            PendingChange.objects.filter(pk__in=covered).delete()


class PendingChange(models.Model):
    """A committed change to case data whose page-version bump has not happened yet (normally for
    milliseconds)."""

    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "publicsite_pending_change"


class CutOffCount(models.Model):
    """How many published prisoners were cut off from a lawyer and from family on a day (past their threshold,
    counted from public records): kept once a day (publicsite.statistics.record_cut_off), since a past day's lapses
    cannot be recounted later. Derived, so not historied."""

    day = models.DateField(unique=True)
    lawyer = models.PositiveIntegerField()
    family = models.PositiveIntegerField()
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.lawyer} cut off from a lawyer, {self.family} from family"


class StatisticsCount(models.Model):
    """The statistics page's counts over the whole register (people held month by month, detentions, charges,
    facilities), as counted under one page version on one day: the page shows them while both still hold, and counts
    again otherwise, and after statistics.KEPT_SECONDS in any case (publicsite.statistics.counted). A single row;
    derived, so not historied."""

    ROW = 1

    version = models.BigIntegerField()  # PageVersion's number when counted: any public change since retires them
    day = models.DateField()  # the charts run to this day
    format = models.CharField(max_length=40)  # the code's that counted them (statistics.KEPT_FORMAT)
    counted_at = models.DateTimeField()
    charts = models.JSONField()  # {slug: the chart's fields}

    class Meta:
        db_table = "publicsite_statistics_count"

    def __str__(self):
        return f"statistics counted at {self.counted_at:%Y-%m-%d %H:%M}"


class SharedRecords(SingleNumber):
    """A single row: a number that changes whenever a record shared by many cases changes (a facility, a case group,
    an organisation). Those edits move no case's `public_changed`, yet every export row naming one is out of date:
    a stored row is used only while it carries the current number."""

    class Meta:
        db_table = "publicsite_shared_records"

    @classmethod
    def read(cls):
        return cls.objects.filter(pk=cls.ROW).values_list("number", flat=True).first() or 0

    @classmethod
    def changed(cls, created=False, **kwargs):
        """A shared record saved or deleted (a signal handler). A new one is in no stored row yet. Renewed once the
        change has committed: inside the transaction the row's lock would hold every other shared edit until then
        (an import's whole file). A renewal lost between the commit and here leaves rows stale until the next
        migrate or nightly rebuild (`refresh_export_rows --all`, beat)."""
        if not created:
            transaction.on_commit(cls.renew)


class ExportRow(models.Model):
    """A published prisoner's row of /prisoners.csv and .json, encoded once (publicsite.opendata.ExportRows): every
    column but those that move with the calendar or the settings (`Column.moves`), which each export adds.

    Derived and internal (never a page of its own), so not historied. Used only while `version` equals the
    prisoner's `public_changed`, `shared` the current `SharedRecords` number and `format` the code's
    (`export_rows.ROW_FORMAT`); otherwise the export builds the row from the records, as it would without any stored
    row."""

    prisoner = models.OneToOneField(
        "prisoners.Prisoner", on_delete=models.CASCADE, primary_key=True, related_name="export_row"
    )
    version = models.DateTimeField()  # the prisoner's public_changed when built
    shared = models.BigIntegerField()  # SharedRecords.number when built
    format = models.CharField(max_length=40)  # the columns and encoding it was built with
    csv = models.TextField()  # the CSV cells between the moving ones, the parts joined by opendata.PART
    json = models.TextField()  # the same for a JSON object

    class Meta:
        db_table = "publicsite_export_row"

    def __str__(self):
        return f"export row of prisoner {self.prisoner_id}"
