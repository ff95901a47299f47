"""Annex A: a council's own child-level lists, read into aggregate indicators for an evidence pack."""
