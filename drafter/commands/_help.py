"""Plain, fast `--help`: typer's own click formatter, with neither rich nor pydantic imported.

The app sets `rich_markup_mode=None` (rich alone costs about 150 ms at start-up) and uses
`QuickGroup` as the class of every command group. What QuickGroup keeps from the rich layout:
each command's whole first paragraph in a group's command list (click would cut it at about 45
characters), and each `Example:` paragraph on one line, so it can be copied as it stands.
"""

from __future__ import annotations

import inspect

import typer
import typer.core

EXAMPLE = "Example:"


class HelpFormatter(typer.Context.formatter_class):
    """Click's help formatter, leaving `Example:` paragraphs unwrapped (a narrow terminal folds them)."""

    def write_text(self, text: str) -> None:
        """Write help text, its paragraphs rewrapped except examples."""
        paragraphs = text.split("\n\n")
        super().write_text("\n\n".join("\b\n" + p if p.lstrip().startswith(EXAMPLE) else p for p in paragraphs))


class HelpContext(typer.Context):
    """A context that formats help with HelpFormatter."""

    formatter_class = HelpFormatter


class QuickGroup(typer.core.TyperGroup):
    """A command group (`cls=` of every typer.Typer in drafter) whose help is plain and cheap.

    Its --help flag reads False when not given: typer coerces a parameter's value through a
    pydantic TypeAdapter unless it is already a bool, and a group's --help reads None when absent,
    so `drafter letter --help` would import pydantic (about 45 ms) only to learn that the group's
    own --help was not asked for. Its commands' contexts format help with HelpFormatter.
    """

    context_class = HelpContext

    def get_help_option(self, ctx: typer.Context):
        """Return the group's help option, defaulting to False."""
        option = super().get_help_option(ctx)
        if option is not None and option.default is None:
            option.default = False
        return option

    def get_command(self, ctx: typer.Context, cmd_name: str):
        """Return the command named, set to format its help with HelpFormatter."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = HelpContext
        return command

    def format_commands(self, ctx: typer.Context, formatter) -> None:
        """Write the command list: each command's short help, else the first paragraph of its help."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            text = command.short_help or inspect.cleandoc(command.help or "").split("\n\n")[0]
            rows.append((name, " ".join(text.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
