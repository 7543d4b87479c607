"""Signals of the prisoners app beyond Django's own."""

from django.dispatch import Signal

# Sent when a check or rebuild wrote derived data in bulk (no model signals fire for those writes):
# which facilities may be named, the name index. Pages showing it must not be served as they were.
derived_data_changed = Signal()
