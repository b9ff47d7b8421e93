"""The sections of the plan, in order, each a list of flowables."""

from itertools import groupby
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from clinic.dimensions import Maturity, traffic_light

from .charts import _radar
from .styles import (
    CONTENT_WIDTH,
    MM,
    PALETTE,
    SWOT_COLOURS,
    _colour,
    _fmt_date,
    _fmt_datetime,
    _fmt_score,
    _font_command,
    _heading,
    _light,
    _markup,
    _none_recorded,
    _p,
    _style_commands,
    _table,
    _text,
)


def _story(doc, st):
    sections = (
        _cover,
        _executive_summary,
        _company_profile,
        _maturity_profile,
        _findings,
        _action_table,
        _session_log,
        _kpis_and_follow_up,
        _sign_off,
    )
    return [flowable for section in sections for flowable in section(doc, st)]


def _cover(doc, st):
    from reportlab.platypus import PageBreak, Spacer

    facts = [
        (_("Programme"), doc.programme),
        (_("Cohort"), doc.cohort),
        (_("Assessment date"), _fmt_date(doc.assessment_date)),
        (_("Plan version"), str(doc.version)),
        (_("Generated"), _fmt_datetime(doc.generated_at)),
        (_("Experts"), ", ".join(doc.expert_names)),
        (_("Status"), _("Signed off") if doc.signed_by else _("Awaiting sign-off")),
    ]
    flowables = [Spacer(1, 62 * MM), _p(doc.company_name, st["company"])]
    if doc.company_local_name:
        flowables.append(_p(doc.company_local_name, st["local_name"]))
    table = _label_table(facts, [45 * MM, 110 * MM], st)
    flowables += [Spacer(1, 12 * MM), table]
    return [*flowables, PageBreak()]


def _executive_summary(doc, st):
    flowables = [_heading(_("Executive summary"), st)]
    if doc.readiness_percent is not None:
        flowables += [
            _p(_("Overall IP readiness"), st["muted"]),
            _p(f"{doc.readiness_percent:.0f}%", st["readiness"]),
        ]
    for paragraph in (doc.executive_summary or "").split("\n\n"):
        if paragraph.strip():
            flowables.append(_p(paragraph.strip(), st["body"]))
    flowables += [_p(_("SWOT analysis"), st["h2"]), _swot(doc.swot, st)]
    return flowables


def _swot(swot, st):
    labels = {
        "strengths": _("Strengths"),
        "weaknesses": _("Weaknesses"),
        "opportunities": _("Opportunities"),
        "threats": _("Threats"),
    }
    cells = {key: _p(swot.get(key, ""), st["cell"]) for key in labels}
    rows = [
        [labels["strengths"], labels["weaknesses"]],
        [cells["strengths"], cells["weaknesses"]],
        [labels["opportunities"], labels["threats"]],
        [cells["opportunities"], cells["threats"]],
    ]
    heads = [
        *_style_commands(st["head"], (0, 0), (-1, 0)),
        *_style_commands(st["head"], (0, 2), (-1, 2)),
    ]
    positions = {
        "strengths": (0, 0),
        "weaknesses": (1, 0),
        "opportunities": (0, 2),
        "threats": (1, 2),
    }
    backgrounds = [
        ("BACKGROUND", position, position, _colour(SWOT_COLOURS[key]))
        for key, position in positions.items()
    ]
    box = ("BOX", (0, 0), (-1, -1), 0.6, _colour("rule"))
    widths = [CONTENT_WIDTH / 2] * 2
    extra = [*backgrounds, *heads, box]
    return _table(rows, widths, [st["cell"]] * 2, header=False, extra=extra)


def _company_profile(doc, st):
    pairs = [(_("Company"), doc.company_name)]
    if doc.company_local_name:
        pairs.append((_("Local name"), doc.company_local_name))
    pairs += doc.profile
    return [
        _heading(_("Company profile"), st),
        _label_table(pairs, [50 * MM, CONTENT_WIDTH - 50 * MM], st),
    ]


def _label_table(pairs, widths, st, extra=()):
    """Label / value rows without a header: muted labels, body text values."""
    rows = [[label, value] for label, value in pairs]
    return _table(rows, widths, [st["muted"], st["body"]], header=False, extra=extra)


def _maturity_profile(doc, st):
    from reportlab.platypus import PageBreak, Table

    flowables = [PageBreak(), _heading(_("Maturity profile"), st)]
    if not doc.dimensions:
        return flowables + _none_recorded(st)
    chart_width = 80 * MM
    side_by_side = Table(
        [[_radar(doc.dimensions, st["body"].fontName), _maturity_table(doc.dimensions, st)]],
        colWidths=[chart_width, CONTENT_WIDTH - chart_width],
        style=[
            _font_command(),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    scale = ", ".join(str(label) for label in Maturity.labels)
    legend = escape(
        _("Traffic lights: %(red)s 0–1, %(amber)s 2, %(green)s 3–4. Scale: %(scale)s.")
    ) % {
        "red": _light_only("red"),
        "amber": _light_only("amber"),
        "green": _light_only("green"),
        "scale": escape(scale),
    }
    return [*flowables, side_by_side, _markup(legend, st["muted"])]


def _light_only(colour):
    return f'<font color="{PALETTE[colour]}">●</font>'


def _maturity_table(dimensions, st):
    head = ["#", _("Dimension"), _("Audit"), _("Expert"), _("Target")]
    rows = [
        [
            str(finding.number),
            finding.name,
            _markup(_light(finding.audit_score, 1), st["cell"]),
            _markup(_light(finding.expert_score), st["cell"]),
            _fmt_score(finding.target),
        ]
        for finding in dimensions
    ]
    widths = [8 * MM, 43 * MM, 15 * MM, 15 * MM, 13 * MM]
    return _table([head, *rows], widths, [st["cell"]] * 5)


def _findings(doc, st):
    flowables = [_heading(_("Findings per dimension"), st)]
    return flowables + ([_finding(finding, st) for finding in doc.dimensions] or _none_recorded(st))


def _finding(finding, st):
    """One finding; kept on one page when it fits (a split would leave a bare stripe behind)."""
    from reportlab.platypus import KeepTogether, Table

    scores = escape(_("Audit %(audit)s | Expert %(expert)s | Target %(target)s")) % {
        "audit": _light(finding.audit_score, 1),
        "expert": _light(finding.expert_score),
        "target": _fmt_score(finding.target),
    }
    body = [
        _p(f"{finding.number}. {finding.name}", st["h2"]),
        _markup(scores, st["muted"]),
        _p(finding.rationale, st["body"]),
    ]
    stripe = _colour(traffic_light(finding.expert_score))
    table = Table(
        [[body]],
        colWidths=[CONTENT_WIDTH],
        style=[
            _font_command(),
            ("LINEBEFORE", (0, 0), (0, 0), 3, stripe),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ],
        spaceAfter=8,
        splitInRow=1,
    )
    return KeepTogether([table])


def _numbered_actions(actions):
    """Actions sorted by horizon (stable: the caller's priority order within one) and numbered."""
    ordered = sorted(actions, key=lambda action: action.horizon_order)
    return list(enumerate(ordered, start=1))


def _action_table(doc, st):
    from reportlab.platypus import PageBreak

    flowables = [PageBreak(), _heading(_("Prioritised action plan"), st)]
    numbered = _numbered_actions(doc.actions)
    if not numbered:
        return flowables + _none_recorded(st)
    labels = ["#", _("Action"), _("Owner"), _("Due date"), _("Cost"), _("Status")]
    widths = [8 * MM, 82 * MM, 22 * MM, 20 * MM, 21 * MM, 21 * MM]
    for (_order, horizon), group in groupby(
        numbered, key=lambda n: (n[1].horizon_order, n[1].horizon)
    ):
        rows = [_action_row(number, action, st) for number, action in group]
        table = _table([labels, *rows], widths, [st["cell"]] * len(widths))
        flowables += [_p(horizon, st["h2"]), table]
    return flowables


def _action_row(number, action, st):
    what = [
        _markup(f'<font color="{PALETTE["primary"]}">{_text(action.title)}</font>', st["cell"]),
        _p(action.description, st["cell"]),
        _p(f"{action.dimension} | {action.policy}", st["cell_muted"]),
    ]
    return [
        str(number),
        what,
        action.owner,
        _fmt_date(action.due_date),
        action.cost,
        action.status,
    ]


def _session_log(doc, st):
    flowables = [_heading(_("Mentoring sessions"), st)]
    if not doc.sessions:
        return flowables + _none_recorded(st)
    labels = ["#", _("Date"), _("Mode"), _("Topics"), _("Summary"), _("Recommendations")]
    rows = [
        [str(s.number), _fmt_date(s.held_on), s.mode, s.topics, s.summary, s.recommendations]
        for s in doc.sessions
    ]
    widths = [8 * MM, 20 * MM, 17 * MM, 31 * MM, 49 * MM, 49 * MM]
    return flowables + [_table([labels, *rows], widths, [st["cell"]] * len(widths))]


def _kpis_and_follow_up(doc, st):
    flowables = [_heading(_("KPIs and follow-up"), st)]
    rows = [
        [str(number), action.title, action.kpi, _fmt_date(action.due_date)]
        for number, action in _numbered_actions(doc.actions)
        if action.kpi
    ]
    if rows:
        head = ["#", _("Action"), _("KPI"), _("Due date")]
        widths = [8 * MM, 62 * MM, 79 * MM, 25 * MM]
        flowables.append(_table([head, *rows], widths, [st["cell"]] * 4))
    else:
        flowables += _none_recorded(st)
    flowables.append(_p(_("Follow-up reviews"), st["h2"]))
    reviews = [
        (_("Review %(number)d") % {"number": n}, _fmt_date(d))
        for n, d in enumerate(doc.follow_up_dates, start=1)
    ]
    return flowables + (
        [_label_table(reviews, [50 * MM, 50 * MM], st)] if reviews else _none_recorded(st)
    )


def _sign_off(doc, st):
    from reportlab.platypus import KeepTogether

    rows = [(_("Signed off by"), doc.signed_by), (_("Date"), _fmt_datetime(doc.signed_at))]
    lines = [
        ("LINEBELOW", (1, 0), (1, -1), 0.8, _colour("text")),
        ("TOPPADDING", (0, 0), (-1, -1), 14),
    ]
    table = _label_table(rows, [45 * MM, 80 * MM], st, extra=lines)
    return [KeepTogether([_heading(_("Sign-off"), st), table])]
