"""Validated models → computed figures and rule violations (the check stage: rules.py, funding.py)."""
