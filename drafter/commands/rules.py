"""`drafter explain` and `drafter rules list|test`: what the rules conclude from a pack, and why."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.commands._help import QuickGroup
from drafter.errors import DrafterError, Problem

rules_app = typer.Typer(
    help="List the rules and run their own examples.\n\nExample: drafter rules test CL001",
    no_args_is_help=True,
    cls=QuickGroup,  # help without pydantic (see QuickGroup)
)


def register(app: typer.Typer) -> None:
    app.command(
        "explain",
        help=(
            "Show what every rule concludes from a pack: its outcome (verdict, quiet, or not evaluable "
            "with what is missing), its sentence, and the values and thresholds that decided; then the "
            "ILACS judgements and, for a monitoring visit, progress in each area covered.\n\n"
            "Example: drafter explain seeds/2022-03-third-monitoring-visit.yaml"
        ),
    )(user_errors(explain))
    rules_app.command(
        "list",
        help="List every rule: id, name, topic, verdict and what it reads.\n\nExample: drafter rules list --json",
    )(user_errors(list_rules))
    rules_app.command(
        "test",
        help="Run every rule's examples (or those of the rules named; `judgements` names the examples in "
        "rules/judgements.yaml) and exit 1 on any failure.\n\nExample: drafter rules test CL001 CL002",
    )(user_errors(test_rules))
    rules_app.command("lint", help="Read every phrase of every rule back with the checker, against the rule's firing "
                      "example, and exit 1 where a phrase's claim disagrees with its rule's topic or verdict or the "
                      "checker finds an error in it.\n\nExample: drafter rules lint PM001")(user_errors(lint_rules))
    app.add_typer(rules_app, name="rules")


STATUS_WORDS = {"fires": "FIRES", "quiet": "quiet", "not_evaluable": "NOT EVALUABLE", "error": "ERROR"}


def explain(
    pack: Path = typer.Argument(..., help="The evidence pack to explain."),
    as_json: bool = typer.Option(False, "--json", help="Print the drafter-explain/1 JSON record."),
    only: str = typer.Option("", "--only", help="Show only outcomes with these statuses (comma-separated): fires, "
                             "quiet, not_evaluable, error."),
) -> None:
    statuses = only_statuses(only)
    from drafter.pipeline import assess_pack

    assessment = assess_pack(pack)
    if as_json:
        import json  # loaded only for --json, not at start-up

        record = {
            "schema": "drafter-explain/1",
            "file": str(pack),
            "authority": assessment.evidence.pack.authority,
            "as_of": assessment.evidence.pack.as_of.isoformat(),
            "outcomes": [o.to_record() for o in assessment.outcomes if not statuses or o.status in statuses],
            "judgements": assessment.judgements.to_record(),
        }
        typer.echo(json.dumps(record, indent=2, ensure_ascii=False))
        return
    from drafter.errors import safe_text

    typer.echo(safe_text(render_explanation(assessment, only=statuses or None)))


def only_statuses(only: str) -> tuple[str, ...]:
    """Return the statuses named by --only ('fires,quiet'); raise DrafterError listing the valid ones for any other."""
    given = [w.strip() for w in only.split(",") if w.strip()]
    wanted = tuple(w.lower().replace("-", "_").replace(" ", "_") for w in given)
    unknown = [g for g, w in zip(given, wanted, strict=True) if w not in STATUS_WORDS]
    if unknown or (only.strip() and not wanted):
        raise DrafterError(Problem(f"unknown --only value {', '.join(unknown) or only!r}", found=only,
                                   expected=", ".join(STATUS_WORDS),
                                   hint="e.g. --only fires, or --only not_evaluable,error"))
    return wanted


def render_explanation(assessment, only: str | tuple[str, ...] | None = None) -> str:
    """Return the plain-text explanation: one block per outcome (with an `only` status), then the judgements."""
    lines = []
    pack = assessment.evidence.pack
    wanted = (only,) if isinstance(only, str) else only
    lines.append(f"{pack.authority}, evidence as of {pack.as_of.isoformat()} ({assessment.evidence.path})")
    lines.append("")
    for o in assessment.outcomes:
        if wanted and o.status not in wanted:
            continue
        who = f" [{o.team}]" if o.team else f" [{o.subject}]" if o.subject else ""
        verdict = f" {o.finding.verdict}" if o.finding else ""
        lines.append(f"{o.rule_id} {o.rule_name}{who}: {STATUS_WORDS[o.status]}{verdict}")
        if o.finding:
            lines.append(f"    sentence: {o.finding.sentence}")
        if o.status == "not_evaluable":
            lines.append(f"    missing:  {'; '.join(o.why_missing) or ', '.join(o.missing)}")
        if o.status == "error":
            lines.append(f"    error:    {o.error}")
        for used in o.used:
            lines.append(f"    used:     {used.describe()}")
    judgements = assessment.judgements
    lines.append("")
    if judgements.framework:
        lines.append(f"Framework: {judgements.framework.describe()}")
    if judgements.areas:
        lines.append("ILACS judgements (what the findings would support):")
        for area in (*judgements.areas, *([judgements.overall] if judgements.overall else [])):
            lines.append(f"  {area.title}: {area.label} [status {area.status}]")
            lines.append(f"      {area.why} ({area.counts.describe()})")
        if judgements.framework and judgements.framework.version.overall is None:
            lines.append("  (this framework makes no overall effectiveness judgement)")
    else:
        lines.append("ILACS judgements: none (this kind of visit states progress and makes no graded judgements)")
    if judgements.progress:
        lines.append("")
        lines.append("Progress in the areas covered by the visit:")
        for p in judgements.progress:
            lines.append(f"  {p.topic}: {p.label} [status {p.status}] ({p.counts.describe()})")
            for key in p.rules:
                lines.append(f"      {key}")
    if judgements.topics:
        lines.append("")
        lines.append("Status of each topic with evidence (the briefing's status table):")
        for p in judgements.topics:
            lines.append(f"  {p.topic}: {p.status} ({p.label}; {p.counts.describe()})")
    notes = _drafter_notes(assessment)
    if notes:
        lines.append("")
        lines.append(notes[0])
        lines += [f"  - {n}" for n in notes[1:]]
    charts = _briefing_notes(assessment)
    if charts:
        lines.append("")
        lines.append(charts[0])
        lines += [f"  - {n}" for n in charts[1:]]
    totals = {}
    for o in assessment.outcomes:
        totals[o.status] = totals.get(o.status, 0) + 1
    lines.append("")
    lines.append("Outcomes: " + ", ".join(f"{n} {STATUS_WORDS[s].lower()}" for s, n in sorted(totals.items())))
    return "\n".join(lines)


def _drafter_notes(assessment) -> list[str]:
    """Return the letter's notes for the drafter (heading first): what the letter leaves out, and why."""
    from drafter.compose.letter import feature_notes
    from drafter.compose.phrases import load_phrases
    from drafter.compose.planning import plan_letter

    phrases = load_phrases()
    notes = plan_letter(assessment).notes + feature_notes(assessment, phrases)
    return [phrases.drafter_notes.heading, *notes] if notes else []


def _briefing_notes(assessment) -> list[str]:
    """Return the board briefing's notes for the drafter (heading first): the charts it leaves out, and why."""
    from drafter.charts import chart_gaps  # the chart book only: nothing is drawn, matplotlib is not loaded
    from drafter.compose.briefing import load_briefing_config

    gaps = chart_gaps(assessment.evidence)
    return [load_briefing_config().notes_heading, *gaps] if gaps else []


def list_rules(as_json: bool = typer.Option(False, "--json", help="Print the drafter-rules/1 JSON record.")) -> None:
    from drafter.rules.loader import load_rules

    rules = load_rules()
    if as_json:
        import json

        typer.echo(
            json.dumps(
                {
                    "schema": "drafter-rules/1",
                    "rules": [
                        {
                            "id": r.id,
                            "name": r.rule.name,
                            "topic": r.topic,
                            "kind": r.rule.kind,
                            "verdict": r.rule.verdict,
                            "description": r.rule.description,
                            "why": r.rule.why,
                            "source": r.rule.source,
                            "reads": list(r.reads),
                            "samples": list(r.features),
                            "params": r.rule.params,
                            "phrases": list(r.rule.phrases),
                            "examples": len(r.rule.examples),
                            "path": r.path,
                            "line": r.line,
                        }
                        for r in rules
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for r in rules:
        reads = ", ".join(r.reads + r.features) or r.rule.kind
        typer.echo(f"{r.id}  {r.rule.name:<45} {r.topic:<22} {r.rule.verdict:<17} {reads}")
    typer.echo(f"{len(rules)} rules over {len({r.topic for r in rules})} topics")


def test_rules(ids: list[str] = typer.Argument(None, help="Rule ids or names to test (default: all).")) -> None:
    from drafter.rules.judgement_examples import EXAMPLES_ID, run_judgement_examples
    from drafter.rules.loader import load_rules

    rules = load_rules()
    if ids:
        known = {r.id for r in rules} | {r.rule.name for r in rules} | {EXAMPLES_ID}
        unknown = [i for i in ids if i not in known]
        if unknown:
            typer.echo(f"unknown rule {', '.join(unknown)}; see `drafter rules list` (or `{EXAMPLES_ID}` for "
                       "the examples in rules/judgements.yaml)", err=True)
            raise typer.Exit(2)
    from drafter.rules.examples import run_examples

    rule_ids = [i for i in ids or [] if i != EXAMPLES_ID]
    results = run_examples(rules, rule_ids) if rule_ids or not ids else []
    if not ids or EXAMPLES_ID in ids:
        results += run_judgement_examples()
    failed = [r for r in results if not r.ok]
    for r in results:
        typer.echo(r.line())
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


def lint_rules(
    ids: list[str] = typer.Argument(None, help="Rule ids or names to lint (default: all)."),
    show_all: bool = typer.Option(False, "--all", help="Print passing phrases too."),
) -> None:
    from drafter.rules.loader import load_rules
    from drafter.selftest import lint_rule  # joins drafting and checking: load only when asked

    rules = load_rules()
    wanted = set(ids or [])
    unknown = sorted(wanted - {r.id for r in rules} - {r.rule.name for r in rules})
    if unknown:
        typer.echo(f"unknown rule {', '.join(unknown)}; see `drafter rules list`", err=True)
        raise typer.Exit(2)
    results = [r for item in rules if not wanted or item.id in wanted or item.rule.name in wanted
               for r in lint_rule(item)]
    failed = [r for r in results if not r.ok]
    for r in results:
        if show_all or not r.ok:
            typer.echo(r.line())
            if not r.ok and r.text:
                typer.echo(f"    {r.text}")
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)
