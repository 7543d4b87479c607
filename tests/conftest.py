import datetime
import os

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from casetracker.roles import ALERT_STAFF, EDITOR, RESEARCHER

TODAY = datetime.date(2024, 6, 1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skipped test is a failure: a missing service must never pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is not allowed: {report.longrepr}"


@pytest.fixture
def today():
    """Freeze the clock at noon UTC on TODAY; returns TODAY."""
    with time_machine.travel(datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.timezone.utc), tick=False):
        yield TODAY


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", is_staff=True, email=f"{username}@example.org", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def researcher(db):
    return make_user("rita", RESEARCHER)


@pytest.fixture
def editor(db):
    return make_user("edna", EDITOR)


@pytest.fixture
def alert_staff(db):
    return make_user("alex", ALERT_STAFF)


@pytest.fixture
def demo(today):
    """The demo case (the joint statement on Maria Kalesnikava), with the clock frozen at TODAY."""
    from casetracker.demo import load_demo

    load_demo()


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
