"""Celery tasks: thin wrappers over the public site's services."""

from celery import shared_task

from . import statistics


@shared_task
def record_cut_off():
    """Daily: the day's cut-off counts, for the statistics page's chart over time."""
    row = statistics.record_cut_off()
    return {"day": row.day.isoformat(), "lawyer": row.lawyer, "family": row.family}
