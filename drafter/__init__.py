"""drafter: Ofsted-style drafting and checking for children's social care, from evidence."""

__version__ = "0.1.0"
