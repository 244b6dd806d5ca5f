"""Checks independent of the solver: a dataset's summary (`validate`), every hard rule, and `verify`."""
