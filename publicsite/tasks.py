"""Celery tasks: thin wrappers over the public site's services."""

from celery import shared_task

from . import export_rows, statistics


@shared_task
def record_cut_off():
    """Daily: the day's cut-off counts, for the statistics page's chart over time."""
    row = statistics.record_cut_off()
    return {"day": row.day.isoformat(), "lawyer": row.lawyer, "family": row.family}


@shared_task
def refresh_export_rows(everything=False):
    """Every few minutes: store the export rows out of date since the last run (exports are right without them,
    only slower); nightly, every row (`everything`), so no write that sent no signal outlives a day."""
    stored, dropped = export_rows.refresh(everything=everything)
    return {"stored": stored, "dropped": dropped}


@shared_task
def count_statistics():
    """Every minute: the statistics page's counts, again if a public change or midnight has retired them, or they
    are half as old as readers may see them, so that no reader waits for them."""
    statistics.counted(within=statistics.KEPT_SECONDS // 2)
