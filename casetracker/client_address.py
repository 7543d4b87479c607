"""The client address that failed admin logins are counted against (AXES_CLIENT_IP_CALLABLE)."""

import ipaddress
import logging

from django.conf import settings

log = logging.getLogger(__name__)


def client_address(request):
    """The address the client connected from, as the outermost of PROXY_COUNT proxies saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    client's is PROXY_COUNT places from the right; anything further left came from the client
    and is not believed. Without proxies, or when the header lacks that entry (a request that
    bypassed the proxy, a misconfigured one), the connection's own address counts: never none,
    which would count every such client's failures as one.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if not count:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) >= count:
        try:
            return str(ipaddress.ip_address(hops[-count]))
        except ValueError:
            pass
    # Addresses stay out of the log, as axes masks them in its own.
    log.warning(
        "No client address %d places from the right in X-Forwarded-For (%d entries, PROXY_COUNT=%d): "
        "counting the login against the connection's address",
        count,
        len(hops) if forwarded else 0,
        count,
    )
    return remote
