"""The checker's diagnostic families, one module per code: each returns Diagnostics for located sentences."""

from drafter.check.checks.named_child import check_named_child, load_privacy

__all__ = ["check_named_child", "load_privacy"]
