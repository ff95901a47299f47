"""Command families of the CLI; each module has `register(app)`."""

from drafter.commands import briefing, demo, letter, packs, rules, validate

COMMAND_MODULES = [validate, rules, letter, briefing, demo, packs]
