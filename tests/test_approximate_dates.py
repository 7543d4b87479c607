import datetime

import pytest

from casetracker.dates import ApproximateDate, Precision
from events.models import Incident
from tests.factories import IncidentFactory

D = datetime.date


@pytest.mark.parametrize(
    "day, precision, earliest, latest, written",
    [
        (D(2023, 2, 7), Precision.DAY, D(2023, 2, 7), D(2023, 2, 7), "7 February 2023"),
        (D(2023, 2, 28), Precision.EARLY, D(2023, 2, 1), D(2023, 2, 10), "early February 2023"),
        (D(2023, 2, 1), Precision.MID, D(2023, 2, 11), D(2023, 2, 20), "mid-February 2023"),
        (D(2023, 3, 2), Precision.LATE, D(2023, 3, 21), D(2023, 3, 31), "late March 2023"),
        (D(2024, 2, 5), Precision.LATE, D(2024, 2, 21), D(2024, 2, 29), "late February 2024"),
        (D(2023, 5, 17), Precision.MONTH, D(2023, 5, 1), D(2023, 5, 31), "May 2023"),
        (D(2020, 9, 30), Precision.YEAR, D(2020, 1, 1), D(2020, 12, 31), "2020"),
    ],
)
def test_precision_gives_earliest_latest_and_written_form(day, precision, earliest, latest, written):
    value = ApproximateDate(day, precision)
    assert (value.earliest, value.latest, str(value)) == (earliest, latest, written)


def test_any_day_in_the_period_means_the_same_date():
    assert ApproximateDate(D(2023, 2, 15), Precision.MID) == ApproximateDate(D(2023, 2, 11), Precision.MID)


def test_sorted_by_earliest_day_then_latest():
    dates = [
        ApproximateDate(D(2023, 3, 1), Precision.LATE),
        ApproximateDate(D(2023, 3, 1), Precision.MONTH),
        ApproximateDate(D(2023, 3, 1), Precision.DAY),
        ApproximateDate(D(2023, 1, 1), Precision.YEAR),
    ]
    assert [str(d) for d in sorted(dates)] == ["2023", "1 March 2023", "March 2023", "late March 2023"]


def test_definitely_before_only_when_no_day_overlaps():
    march, late_march = ApproximateDate(D(2023, 3, 1), Precision.MONTH), ApproximateDate(D(2023, 3, 25))
    assert not late_march.is_definitely_before(march)
    assert not march.is_definitely_before(late_march)
    assert ApproximateDate(D(2023, 2, 28)).is_definitely_before(march)


def test_shifting_keeps_the_precision():
    detained = ApproximateDate(D(2020, 9, 1), Precision.MONTH)
    assert str(detained.plus(years=11)) == "September 2031"
    assert str(ApproximateDate(D(2020, 2, 29)).plus(years=1)) == "28 February 2021"
    assert str(ApproximateDate(D(2020, 11, 30)).plus(months=3)) == "28 February 2021"


@pytest.mark.django_db
def test_stored_as_earliest_day_with_latest_derived():
    incident = IncidentFactory(start=D(2023, 2, 17), start_precision=Precision.MID)
    incident.refresh_from_db()
    assert (incident.start, incident.start_latest) == (D(2023, 2, 11), D(2023, 2, 20))
    assert str(incident.start_approx) == "mid-February 2023"


@pytest.mark.django_db
def test_assigning_an_approximate_date_sets_all_its_columns():
    incident = IncidentFactory()
    incident.end_approx = ApproximateDate(D(2022, 12, 3), Precision.EARLY)
    incident.save()
    incident.refresh_from_db()
    assert (incident.end, incident.end_precision, incident.end_latest) == (D(2022, 12, 1), "early", D(2022, 12, 10))
    assert incident.date_range == "18 November – early December 2022"


@pytest.mark.django_db
def test_querysets_sort_by_earliest_day():
    IncidentFactory(start=D(2023, 3, 1), start_precision=Precision.LATE, description="late March")
    IncidentFactory(start=D(2023, 3, 5), description="5 March")
    IncidentFactory(start=D(2023, 3, 9), start_precision=Precision.MONTH, description="March")
    assert [i.description for i in Incident.objects.all()] == ["March", "5 March", "late March"]


def test_a_date_read_from_a_row_is_the_same_date_shared_and_still_checked():
    as_read = ApproximateDate.of(datetime.date(2023, 2, 14), "mid")
    assert as_read == ApproximateDate(datetime.date(2023, 2, 11), Precision.MID)
    assert as_read.precision is Precision.MID and str(as_read) == "mid-February 2023"
    assert ApproximateDate.of(datetime.date(2023, 2, 14), Precision.MID) is as_read  # "mid" and MID: one meaning
    with pytest.raises(ValueError):
        ApproximateDate.of(datetime.date(2023, 2, 14), "fortnight")
