"""What /healthz asks of the alert machinery (registered in AlertsConfig.ready): does a worker run
what beat queues, has a scan succeeded within two intervals, is alert mail getting out, are staff's
channels taking notices. Each failure names what it last saw, for the log and the admin index
(channels by label and owner, never by address)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casetracker.health import Unhealthy

from . import services
from .models import Channel, Delivery, Heartbeat, ScanRun

# With nothing recorded yet (a fresh deployment), the waiting counts from this process's start.
STARTED = timezone.now()


def _quiet_for(last, limit, what):
    """`what`: the failure in words, with %(since)s for when it was last seen."""
    now = timezone.now()
    if now - (last or STARTED) > limit:
        since = last or _("never (this process started %(started)s)") % {"started": STARTED.isoformat()}
        raise Unhealthy(what % {"since": since})


def check_worker():
    """Beat and a worker: a heartbeat within three heartbeat intervals."""
    limit = datetime.timedelta(seconds=3 * settings.ALERT_HEARTBEAT_SECONDS)
    _quiet_for(Heartbeat.last(), limit, _("no heartbeat from a worker since %(since)s"))


def check_scans():
    """A successful contact scan within two scan intervals."""
    limit = datetime.timedelta(minutes=2 * settings.ALERT_SCAN_MINUTES)
    _quiet_for(ScanRun.objects.last_success(), limit, _("no successful contact scan since %(since)s"))


def check_mail():
    """No alert mail refused for longer than ALERT_MAIL_FAILING_MINUTES."""
    failing = Delivery.objects.by_mail().failing_since(services.failing_since()).count()
    if failing:
        said = ngettext(
            "%(count)d alert mail(s) refused for over %(minutes)d minutes",
            "%(count)d alert mail(s) refused for over %(minutes)d minutes",
            failing,
        )
        raise Unhealthy(said % {"count": failing, "minutes": settings.ALERT_MAIL_FAILING_MINUTES})


def failing_channels():
    """Channels with a notice refused for longer than ALERT_MAIL_FAILING_MINUTES."""
    failing = Delivery.objects.by_channel().failing_since(services.failing_since()).values("channel")
    return Channel.objects.filter(pk__in=failing).select_related("user")


def check_channels():
    """Every channel takes its notices (one failing holds up no other, but staff must hear of it)."""
    failing = [
        _("%(channel)s of %(user)s") % {"channel": channel.label, "user": channel.user.get_username()}
        for channel in failing_channels()
    ]
    if failing:
        said = _("notices refused for over %(minutes)d minutes by: %(channels)s")
        raise Unhealthy(said % {"minutes": settings.ALERT_MAIL_FAILING_MINUTES, "channels": ", ".join(failing)})


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
