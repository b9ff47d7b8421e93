"""The action plan PDF, read back with pypdf."""

import re
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

from pypdf import PdfReader

from clinic.dimensions import Dimension
from mentoring.pdf import (
    ActionLine,
    DimensionFinding,
    PlanDocument,
    SessionLine,
    cjk_font_name,
    render_plan_pdf,
)

HORIZONS = [("Now (within 1 month)", 1), ("3 months", 3), ("6 months", 6), ("12 months", 12)]


def _action(number, title, horizon=HORIZONS[0]):
    return ActionLine(
        dimension="Patents and utility models",
        policy="Acquire",
        title=title,
        description=f"Steps for action {number}: draft, review with the mentor, approve.",
        horizon=horizon[0],
        horizon_order=horizon[1],
        owner="Li Wei",
        due_date=date(2026, 7, number),
        cost="CNY 8,000",
        kpi=f"KPI {number} reached",
        status="Open",
    )


def _plan(**changes):
    plan = PlanDocument(
        language="en",
        programme="China Greentech IP Management Clinic",
        cohort="Beijing 2026",
        company_name="Hydrocell Energy Technology Co., Ltd.",
        company_local_name="",
        profile=[("Technology area", "Energy storage and hydrogen"), ("Employees", "38")],
        version=3,
        generated_at=datetime(2026, 6, 20, 10, 30),
        assessment_date=date(2026, 6, 15),
        executive_summary="Strong technical base, informal IP.\n\nSecure ownership first.",
        swot={
            "strengths": "Two utility models",
            "weaknesses": "No IP policy",
            "opportunities": "Green loans",
            "threats": "Competitors filing around",
        },
        readiness_percent=41.0,
        dimensions=[
            DimensionFinding(
                number=dimension.value,
                name=str(dimension.label),
                audit_score=dimension.value % 5 * 0.8,
                expert_score=dimension.value % 5,
                target=4,
                rationale="Decisions on filing are taken ad hoc by the founder.",
            )
            for dimension in Dimension
        ],
        actions=[_action(n, f"Action item number {n}", HORIZONS[n % 4]) for n in range(1, 16)],
        sessions=[
            SessionLine(
                number=n,
                held_on=date(2026, 5, n),
                mode="Online",
                topics="Patents and utility models",
                summary="Walked through the asset register.",
                recommendations="Prepare the invention disclosure.",
            )
            for n in range(1, 5)
        ],
        follow_up_dates=[date(2026, 12, 15), date(2027, 6, 15)],
        expert_names=["Anna Keller"],
    )
    return replace(plan, **changes)


def _chinese_plan():
    return _plan(
        language="zh-hans",
        company_name="氢芯能源科技有限公司",
        actions=[
            _action(1, "建立知识产权台账并指定负责人"),
            _action(2, "申请“绿氢芯”商标（第1、7、40类）"),
        ],
    )


def _reader(plan):
    return PdfReader(BytesIO(render_plan_pdf(plan)))


def _compact_text(reader):
    """All pages' text without whitespace, so text wrapped across lines still matches."""
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _compact(value):
    return "".join(value.split())


def _base_fonts(reader):
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_render_plan_pdf_contains_company_name():
    assert (_compact(_plan().company_name) in _compact_text(_reader(_plan()))) is True


def test_render_plan_pdf_contains_every_dimension_name():
    text = _compact_text(_reader(_plan()))
    missing = [d.name for d in _plan().dimensions if _compact(d.name) not in text]
    assert missing == []


def test_render_plan_pdf_contains_every_action_title():
    text = _compact_text(_reader(_plan()))
    missing = [a.title for a in _plan().actions if _compact(a.title) not in text]
    assert missing == []


def test_render_plan_pdf_chinese_plan_extracts_chinese_text():
    plan = _chinese_plan()
    text = _compact_text(_reader(plan))
    expected = [plan.company_name] + [action.title for action in plan.actions]
    assert [value for value in expected if _compact(value) not in text] == []


def test_render_plan_pdf_groups_actions_by_horizon_order():
    actions = [_action(1, "Late", HORIZONS[3]), _action(2, "Soon", HORIZONS[0])]
    text = _compact_text(_reader(_plan(actions=actions)))
    positions = [text.index(_compact(label)) for label, _order in (HORIZONS[0], HORIZONS[3])]
    assert positions == sorted(positions)


def test_render_plan_pdf_unsigned_leaves_signer_out():
    text = _compact_text(_reader(_plan()))
    assert ("MariaLead" in text) is False


def test_render_plan_pdf_signed_shows_signer_and_date():
    plan = _plan(signed_by="Maria Lead", signed_at=datetime(2026, 7, 1, 9, 15))
    text = _compact_text(_reader(plan))
    assert ("MariaLead" in text, "2026-07-0109:15" in text) == (True, True)


def test_render_plan_pdf_typical_plan_has_plausible_page_count():
    assert 4 <= len(_reader(_plan()).pages) <= 15


def test_render_plan_pdf_numbers_every_page():
    reader = _reader(_plan())
    total = len(reader.pages)
    numbers = [
        re.search(r"Page (\d+) of (\d+)", page.extract_text()).groups() for page in reader.pages
    ]
    assert numbers == [(str(n), str(total)) for n in range(1, total + 1)]


def test_render_plan_pdf_sets_metadata():
    metadata = _reader(_plan()).metadata
    assert (metadata.title, metadata.author, metadata.subject) == (
        "IP action plan: Hydrocell Energy Technology Co., Ltd.",
        "China Greentech IP Management Clinic",
        "Beijing 2026, version 3",
    )


def test_render_plan_pdf_embeds_only_the_wenquanyi_subset():
    fonts = _base_fonts(_reader(_chinese_plan()))
    assert {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts} == {"WenQuanYiMicroHei-0"}
    assert [name for name in fonts if not re.match(r"^/[A-Z]{6}\+", name)] == []


def test_render_plan_pdf_escapes_markup_in_user_text():
    actions = [_action(1, "R&D <b>contracts</b> & NDAs")]
    text = _compact_text(_reader(_plan(actions=actions)))
    assert ("R&D<b>contracts</b>&NDAs" in text) is True


def test_render_plan_pdf_empty_plan_renders_none_recorded():
    plan = _plan(dimensions=[], actions=[], sessions=[], follow_up_dates=[], readiness_percent=None)
    text = _compact_text(_reader(plan))
    assert text.count("Nonerecorded.") == 6


def test_cjk_font_name_missing_font_file_falls_back_to_stsong(settings, tmp_path):
    settings.CJK_FONT_PATH = str(tmp_path / "missing.ttc")
    assert cjk_font_name() == "STSong-Light"


def test_render_plan_pdf_missing_font_file_uses_stsong(settings, tmp_path):
    settings.CJK_FONT_PATH = str(tmp_path / "missing.ttc")
    assert _base_fonts(_reader(_chinese_plan())) == {"/STSong-Light"}


def test_cjk_font_name_font_file_present_returns_wenquanyi():
    assert cjk_font_name() == "WenQuanYi"


def test_render_plan_pdf_long_texts_split_across_pages():
    long_text = "Map every invention to its inventors and contracts. " * 200 + "END-OF-TEXT"
    findings = [replace(_plan().dimensions[0], rationale=long_text)]
    actions = [replace(_action(1, "Long action"), description=long_text)]
    sessions = [replace(_plan().sessions[0], summary=long_text)]
    reader = _reader(_plan(dimensions=findings, actions=actions, sessions=sessions))
    assert _compact_text(reader).count("END-OF-TEXT") == 3


def test_chinese_text_in_an_english_plan_starts_no_line_with_punctuation():
    description = "采用诊所提供的示范条款，与两家外包开发方签订补充协议。"
    action = replace(
        _action(1, "在所有研发及外包合同中加入知识产权归属条款"), description=description
    )
    pdf = PdfReader(BytesIO(render_plan_pdf(_plan(language="en", actions=[action]))))
    lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]
    assert [line for line in lines if line[:1] in "。，、；：）"] == []
    assert any(line.startswith("采用诊所") for line in lines)


def test_plan_paragraphs_break_their_lines_once_per_width():
    """Tables measure a cell and wrap it again to draw it: the second wrap at the same width
    reuses the lines; another width breaks them anew."""
    from mentoring.pdf.styles import _p, _styles

    paragraph = _p(
        "Sign IP assignment clauses with all R&D staff. " * 6,
        _styles(cjk_font_name(), "en")["cell"],
    )
    wide = paragraph.wrap(400, 1000)
    lines = paragraph.blPara
    assert paragraph.wrap(400, 50) == wide
    assert paragraph.blPara is lines
    narrow = paragraph.wrap(120, 1000)
    assert narrow[1] > wide[1]
    assert paragraph.blPara is not lines
