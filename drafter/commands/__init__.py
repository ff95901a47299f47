"""Command families of the CLI; each module has `register(app)`."""

from drafter.commands import demo, validate

COMMAND_MODULES = [validate, demo]
