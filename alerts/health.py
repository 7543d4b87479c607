"""What /healthz asks of the alert machinery (registered in AlertsConfig.ready): does a worker run
what beat queues, has a scan succeeded within two intervals, is alert mail getting out, are staff's
channels taking notices. Each failure names what it last saw, for the log and the admin index
(channels by label and owner, never by address)."""

import datetime

from django.conf import settings
from django.utils import timezone

from casetracker.health import Unhealthy

from . import services
from .models import Channel, Delivery, Heartbeat, ScanRun

# With nothing recorded yet (a fresh deployment), the waiting counts from this process's start.
STARTED = timezone.now()


def _quiet_for(last, limit, what):
    now = timezone.now()
    if now - (last or STARTED) > limit:
        raise Unhealthy(f"{what} since {last or 'never (this process started ' + STARTED.isoformat() + ')'}")


def check_worker():
    """Beat and a worker: a heartbeat within three heartbeat intervals."""
    limit = datetime.timedelta(seconds=3 * settings.ALERT_HEARTBEAT_SECONDS)
    _quiet_for(Heartbeat.last(), limit, "no heartbeat from a worker")


def check_scans():
    """A successful contact scan within two scan intervals."""
    limit = datetime.timedelta(minutes=2 * settings.ALERT_SCAN_MINUTES)
    _quiet_for(ScanRun.objects.last_success(), limit, "no successful contact scan")


def check_mail():
    """No alert mail refused for longer than ALERT_MAIL_FAILING_MINUTES."""
    failing = Delivery.objects.by_mail().failing_since(services.failing_since()).count()
    if failing:
        raise Unhealthy(f"{failing} alert mail(s) refused for over {settings.ALERT_MAIL_FAILING_MINUTES} minutes")


def failing_channels():
    """Channels with a notice refused for longer than ALERT_MAIL_FAILING_MINUTES."""
    failing = Delivery.objects.by_channel().failing_since(services.failing_since()).values("channel")
    return Channel.objects.filter(pk__in=failing).select_related("user")


def check_channels():
    """Every channel takes its notices (one failing holds up no other, but staff must hear of it)."""
    failing = [f"{channel.label} of {channel.user.get_username()}" for channel in failing_channels()]
    if failing:
        raise Unhealthy(
            f"notices refused for over {settings.ALERT_MAIL_FAILING_MINUTES} minutes by: {', '.join(failing)}"
        )


def any_channel():
    return Channel.objects.enabled().exists()


CHECKS = {"worker": check_worker, "scans": check_scans, "mail": check_mail, "channels": check_channels}
CONFIGURED = {"channels": any_channel}  # "not configured" until someone adds a channel


def problems():
    """What is failing, said for staff (the admin index shows it)."""
    found = []
    for check in CHECKS.values():
        try:
            check()
        except Unhealthy as problem:
            found.append(str(problem))
    return found
