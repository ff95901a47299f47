"""Command families of the CLI; each module has `register(app)`."""

from drafter.commands import annex_a, batch, briefing, check, data, demo, letter, packs, rules, validate

COMMAND_MODULES = [validate, rules, letter, briefing, check, batch, demo, packs, annex_a, data]
