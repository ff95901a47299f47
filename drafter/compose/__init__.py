"""Composition: findings and judgements → Markdown with attribute spans, through Jinja2 templates."""
