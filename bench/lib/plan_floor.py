"""The plan's content rendered with plain reportlab: the floor our generator is measured against.

Same pages and sections as ``mentoring.pdf`` (cover, summary and SWOT, profile, radar chart
beside the maturity table, findings, actions per horizon, sessions, KPIs, follow-up, sign-off),
the same embedded font subset, the same chart and the same table cells, but nothing beyond what
reportlab needs: one sample style sheet, Paragraph only for text that wraps, one grid style, the
page number drawn as each page ends (no "of M"). A Chinese plan wraps with CJK line breaking in
both.
"""

from io import BytesIO


def render_floor(plan, font):
    from reportlab.graphics.charts.spider import SpiderChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    wrap = "CJK" if plan.language.startswith("zh") else None  # Chinese line breaking (kinsoku)
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=14, spaceAfter=4, wordWrap=wrap)
    cell = ParagraphStyle("c", parent=body, fontSize=8.5, leading=11.5, spaceAfter=0)
    h1 = ParagraphStyle("h1", parent=body, fontSize=16, leading=21, spaceBefore=14)
    h2 = ParagraphStyle("h2", parent=body, fontSize=11.5, leading=15, spaceBefore=8)
    big = ParagraphStyle("big", parent=body, fontSize=24, leading=30)
    grid = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.lightgrey),
    ]
    header = [*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]

    def table(rows, widths, style=header):
        return Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, style=style)

    def para(text, style=cell):
        return Paragraph(text.replace("\n", "<br/>"), style)

    story = [Spacer(1, 62 * mm), Paragraph(plan.company_name, big)]
    story.append(Paragraph(plan.company_local_name, h2))
    facts = [
        ["Programme", plan.programme],
        ["Cohort", plan.cohort],
        ["Assessment date", plan.assessment_date.isoformat()],
        ["Plan version", str(plan.version)],
        ["Generated", plan.generated_at.strftime("%Y-%m-%d %H:%M")],
        ["Experts", ", ".join(plan.expert_names)],
        ["Status", "Awaiting sign-off"],
    ]
    story += [Spacer(1, 12 * mm), table(facts, [45, 110], grid), PageBreak()]
    story += [Paragraph("Executive summary", h1), Paragraph(f"{plan.readiness_percent:.0f}%", big)]
    story += [Paragraph(p, body) for p in plan.executive_summary.split("\n\n")]
    swot = plan.swot
    story += [
        Paragraph("SWOT analysis", h2),
        table(
            [
                ["Strengths", "Weaknesses"],
                [para(swot["strengths"]), para(swot["weaknesses"])],
                ["Opportunities", "Threats"],
                [para(swot["opportunities"]), para(swot["threats"])],
            ],
            [87, 87],
        ),
        Paragraph("Company profile", h1),
        table(
            [["Company", plan.company_name], ["Local name", plan.company_local_name]]
            + [list(pair) for pair in plan.profile],
            [50, 124],
            grid,
        ),
        PageBreak(),
        Paragraph("Maturity profile", h1),
    ]
    drawing = Drawing(78 * mm, 90 * mm)
    chart = SpiderChart()
    chart.x, chart.y, chart.width, chart.height = 6 * mm, 16 * mm, 66 * mm, 66 * mm
    chart.data = [
        [d.audit_score or 0 for d in plan.dimensions],
        [d.expert_score or 0 for d in plan.dimensions],
    ]
    chart.labels = [str(d.number) for d in plan.dimensions]
    chart.spokeLabels.fontName = font
    drawing.add(chart)
    maturity = [["#", "Dimension", "Audit", "Expert", "Target"]] + [
        [
            str(d.number),
            para(d.name),
            f"{d.audit_score or 0:.1f}",
            str(d.expert_score),
            str(d.target),
        ]
        for d in plan.dimensions
    ]
    story += [
        Table([[drawing, table(maturity, [8, 43, 15, 15, 13])]], colWidths=[80 * mm, 94 * mm]),
        Paragraph("Traffic lights: red 0–1, amber 2, green 3–4.", cell),
        Paragraph("Findings per dimension", h1),
    ]
    for d in plan.dimensions:
        story += [
            Paragraph(f"{d.number}. {d.name}", h2),
            Paragraph(f"Audit {d.audit_score} | Expert {d.expert_score} | Target {d.target}", cell),
            Paragraph(d.rationale, body),
        ]
    story += [PageBreak(), Paragraph("Prioritised action plan", h1)]
    actions = sorted(plan.actions, key=lambda a: a.horizon_order)
    heads = ["#", "Action", "Owner", "Due date", "Cost", "Status"]
    for horizon in dict.fromkeys(a.horizon for a in actions):
        rows = [heads] + [
            [
                str(n),
                para(f"{a.title}<br/>{a.description}<br/>{a.dimension} | {a.policy}"),
                para(a.owner),
                a.due_date.isoformat(),
                a.cost,
                a.status,
            ]
            for n, a in enumerate(actions, start=1)
            if a.horizon == horizon
        ]
        story += [Paragraph(horizon, h2), table(rows, [8, 82, 22, 20, 21, 21])]
    sessions = [["#", "Date", "Mode", "Topics", "Summary", "Recommendations"]] + [
        [
            str(s.number),
            s.held_on.isoformat(),
            s.mode,
            para(s.topics),
            para(s.summary),
            para(s.recommendations),
        ]
        for s in plan.sessions
    ]
    kpis = [["#", "Action", "KPI", "Due date"]] + [
        [str(n), para(a.title), para(a.kpi), a.due_date.isoformat()]
        for n, a in enumerate(actions, start=1)
    ]
    reviews = [[f"Review {n}", d.isoformat()] for n, d in enumerate(plan.follow_up_dates, 1)]
    story += [
        Paragraph("Mentoring sessions", h1),
        table(sessions, [8, 20, 17, 31, 49, 49]),
        Paragraph("KPIs and follow-up", h1),
        table(kpis, [8, 62, 79, 25]),
        Paragraph("Follow-up reviews", h2),
        table(reviews, [50, 50], grid),
        Paragraph("Sign-off", h1),
        table([["Signed off by", ""], ["Date", ""]], [45, 80], grid),
    ]

    def number(canvas, document):
        canvas.setFont(font, 8)
        canvas.drawRightString(192 * mm, 9 * mm, str(document.page))

    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title="IP action plan",
        author=plan.programme,
    ).build(story, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue()
