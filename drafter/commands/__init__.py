"""Command families of the CLI; each module has `register(app)`."""

from drafter.commands import demo, rules, validate

COMMAND_MODULES = [validate, rules, demo]
