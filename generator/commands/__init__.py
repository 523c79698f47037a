"""A command → the stages run for it (pipeline.py: one case, one meeting, a check; build.py: everything)."""
