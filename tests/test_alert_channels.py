"""Notices reach staff where they read them (Apprise: Matrix, Telegram, Signal, webhooks, …) through the same
outbox as mail: recorded first, retried with back-off, delivered once, one failing channel holding up no other;
a channel's address is a secret, never shown back, logged or put in an error."""

import datetime
import json
import logging
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alerts import services
from alerts.models import Channel, Delivery, masked
from casetracker.roles import ALERT_STAFF
from tests.admin_forms import admin_form_data
from tests.conftest import make_user
from tests.test_alert_concurrency import run_together
from tests.test_health import get_health

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
SECRET = "s3cr3t-t0ken-4f9a"


@pytest.fixture
def alex(db):
    return make_user("alex", ALERT_STAFF)


def reaches_the_log(record):
    """pytest captures loggers that propagate nothing; LOGGING's handlers would never see those."""
    return logging.getLogger(record.name.split(".")[0]).propagate


def add_channel(user, url, label="Team chat"):
    channel = Channel(user=user, label=label, url=url)
    channel.full_clean()
    channel.save()
    return channel


def test_a_channel_that_fails_then_succeeds_gets_the_notice_exactly_once(demo, clock, alex, webhook, settings):
    settings.ALERT_MAIL_RETRY_SECONDS = 60
    channel = add_channel(alex, webhook.url(f"hook/{SECRET}"))
    webhook.refuse_next = 1
    digest = services.scan().digest
    assert sorted(digest.deliveries.values_list("email", "channel")) == [("", channel.pk), ("alex@example.org", None)]

    assert services.send_pending() == (1, 1)  # the mail went; the chat service refused
    pending = Delivery.objects.pending().get()
    assert pending.channel == channel and pending.attempts == 1
    assert "error=500" in pending.last_error and SECRET not in pending.last_error
    assert services.send_pending() == (0, 0)  # waiting out its back-off

    clock.shift(MINUTE)
    assert services.send_pending() == (1, 0)
    assert services.send_pending() == (0, 0)
    assert len(webhook.refused) == 1 and len(webhook.received) == 1 and len(mail.outbox) == 1
    path, notice = webhook.received[0]
    assert path == f"/hook/{SECRET}"
    assert notice["title"] == digest.subject == mail.outbox[0].subject
    assert "Maria Kalesnikava: no lawyer contact since 7 February 2023" in notice["message"]
    assert "Held at: Penal colony No. 4" in notice["message"]


def test_one_failing_channel_holds_up_no_other_and_staff_are_told(
    demo, clock, alex, webhook, settings, caplog, as_user
):
    settings.ALERT_MAIL_FAILING_MINUTES = 30
    add_channel(alex, webhook.url(f"broken/{SECRET}"), label="Old Matrix room")
    add_channel(alex, webhook.url("working"), label="Signal")
    webhook.refuse_paths = {f"/broken/{SECRET}"}
    services.scan()
    client = as_user(alex)
    with caplog.at_level(logging.DEBUG):
        assert services.send_pending() == (2, 1)  # the mail and Signal went
        assert [path for path, _ in webhook.received] == ["/working"] and len(mail.outbox) == 1
        assert get_health(client)[1]["channels"] == "ok"  # delayed, not failing yet

        clock.shift(31 * MINUTE)
        assert services.send_pending() == (0, 1)

    status, report = get_health(client)
    assert status == 503 and (report["channels"], report["mail"]) == ("failing", "ok")
    index = client.get("/admin/").content.decode()
    assert "notices refused for over 30 minutes by: Old Matrix room of alex" in index
    channels = client.get("/admin/alerts/channel/").content.decode()
    assert "1 notice(s) refused, retrying" in channels and "json://127.0.0.1" in channels
    deliveries = client.get("/admin/alerts/delivery/").content.decode()
    assert "Old Matrix room" in deliveries
    logged = "\n".join(record.getMessage() for record in caplog.records if reaches_the_log(record))
    for shown in (logged, index, channels, deliveries, json.dumps(report)):
        assert SECRET not in shown
    assert re.search(r"Alert digest \d+ to channel \d+ \(json://127\.0\.0\.1:\d+/…\) failed", logged)  # masked


def test_an_address_apprise_cannot_use_is_refused_when_saved(alex, as_user):
    with pytest.raises(ValidationError, match="not a channel address Apprise can use"):
        add_channel(alex, "nonsense://whatever")
    response = as_user(alex).post(
        "/admin/alerts/channel/add/", {"label": "Chat", "url": f"https://{SECRET}@", "enabled": "on"}
    )
    assert response.status_code == 200 and "not a channel address Apprise can use" in response.content.decode()
    assert SECRET not in response.content.decode()  # the address typed is not echoed back either
    assert not Channel.objects.exists()


def test_the_address_is_never_shown_back_and_kept_when_left_empty(alex, webhook, as_user):
    client = as_user(alex)
    response = client.post(
        "/admin/alerts/channel/add/", {"label": "Chat", "url": webhook.url(f"hook/{SECRET}"), "enabled": "on"}
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.user, channel.url) == (alex, webhook.url(f"hook/{SECRET}"))
    assert channel.masked_url == f"json://127.0.0.1:{webhook.port}/…"
    page = client.get(f"/admin/alerts/channel/{channel.pk}/change/")
    assert SECRET not in page.content.decode() and channel.masked_url in page.content.decode()

    data = {**admin_form_data(page), "url": ""}  # what the browser sends: the field is rendered empty
    client.post(f"/admin/alerts/channel/{channel.pk}/change/", {**data, "label": "Team chat"})
    channel.refresh_from_db()
    assert (channel.label, channel.url) == ("Team chat", webhook.url(f"hook/{SECRET}"))


def test_masking_keeps_the_service_and_hides_tokens_and_numbers():
    assert masked("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/987654321") == "tgram://1...w/…"
    assert masked("matrixs://user:hunter22@matrix.example.org/#room") == "matrixs://user:****@matrix.example.org/…"
    assert masked("signal://localhost:8080/+12345678901/+12345678902") == "signal://localhost:8080/…"


def test_staff_see_and_change_only_their_own_channels(alex, webhook, as_user, django_user_model):
    bea = make_user("bea", ALERT_STAFF)
    mine, hers = add_channel(alex, webhook.url("alex")), add_channel(bea, webhook.url("bea"))
    client = as_user(alex)
    listed = client.get("/admin/alerts/channel/").context["cl"].result_list
    assert list(listed) == [mine]
    assert client.get(f"/admin/alerts/channel/{hers.pk}/change/").status_code == 302  # "not found", back to list
    root = django_user_model.objects.create_superuser("root", "root@example.org", "correct horse battery")
    assert len(as_user(root).get("/admin/alerts/channel/").context["cl"].result_list) == 2


def test_alert_staff_with_only_a_channel_get_notices(demo, clock, webhook):
    user = make_user("cora", ALERT_STAFF)
    user.email = ""
    user.save()
    add_channel(user, webhook.url("cora"))
    assert services.unreachable_staff().count() == 0
    services.scan()
    assert services.send_pending() == (1, 0)
    assert [path for path, _ in webhook.received] == ["/cora"]


@pytest.mark.django_db(transaction=True)
def test_parallel_senders_deliver_a_channel_notice_once(webhook, committed_demo):
    add_channel(make_user("alex", ALERT_STAFF), webhook.url("team"))
    services.scan()

    results = run_together(services.send_pending)

    assert sum(sent for sent, _ in results) == 2 and sum(failed for _, failed in results) == 0
    assert [path for path, _ in webhook.received] == ["/team"]
