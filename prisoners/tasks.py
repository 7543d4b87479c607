"""Celery tasks: thin wrappers over the derived-data checks."""

import logging

from celery import shared_task

from . import clocks, facility_names

log = logging.getLogger(__name__)


@shared_task
def check_derived_data():
    """Nightly: every stored lapse and facility flag recomputed from the records; drift is logged and repaired."""
    lapses, facilities = clocks.check(), facility_names.check()
    log.info("Derived data checked: %s; %s facilities repaired.", lapses, len(facilities))
    return {"lapses_wrong": len(lapses.missing) + len(lapses.drifted), "facilities_wrong": len(facilities)}
