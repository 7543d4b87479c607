"""The benchmark: a register of any size on PostgreSQL, and the app measured against issue 10's targets.

`make bench` (`python -m bench --prisoners 10000`); see README, "Benchmark". Not part of the app:
nothing in the app imports it.
"""
