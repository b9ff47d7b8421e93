"""A cohort's impact report PDF: asked for by an officer in a language, rendered by the Celery
task (eagerly here), downloadable by officers and the lead only; a double click makes one."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clinic import roles
from mentoring.insight import impact_pdf
from mentoring.models import ImpactReport
from tests.clinic.test_chinese_text import require_compiled
from tests.factories import make_user
from tests.refusals import refused

from .test_follow_up import signed  # noqa: F401 - the fixture
from .test_impact import measured  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def text_of(report):
    report.file.open("rb")
    reader = PdfReader(io.BytesIO(report.file.read()))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Impactreport:", "ChangeinIPmaturity", "Companies")),
        ("zh-hans", ("成效报告", "企业")),
    ],
)
def test_officer_asks_for_the_pdf_in_a_language_and_downloads_it(
    client,
    measured,  # noqa: F811
    django_capture_on_commit_callbacks,
    language,
    words,  # noqa: F811
):
    participation, _rep, _expert, officer = measured
    client.force_login(officer)
    url = reverse("mentoring:impact_pdf", args=[participation.cohort_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"language": language})
    assert response.status_code == 302
    report = ImpactReport.objects.get()
    assert (report.state, report.language) == ("ready", language)
    text = text_of(report)
    assert participation.company.legal_name.replace(" ", "") in text
    if language != "en":
        require_compiled("Impact report: %(cohort)s")
    assert all(word in text for word in words), text[:300]
    download = client.get(reverse("mentoring:impact_report", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_a_double_click_while_queued_makes_one_report(measured):  # noqa: F811
    participation, _rep, _expert, officer = measured
    first = impact_pdf.request_report(officer, participation.cohort, "en")
    second = impact_pdf.request_report(officer, participation.cohort, "en")
    assert first.pk == second.pk and ImpactReport.objects.count() == 1
    assert impact_pdf.requeue_impact_reports() == 0  # not old enough to count as lost


def test_only_officers_ask_for_or_download_the_report(client, measured):  # noqa: F811
    participation, representative, expert, officer = measured
    with refused("not_permitted"):
        impact_pdf.request_report(expert, participation.cohort, "en")
    report = impact_pdf.request_report(officer, participation.cohort, "en")
    impact_pdf.render(report.pk)
    for user in (representative, expert, make_user(roles.REVIEWER)):
        client.force_login(user)
        assert client.get(reverse("mentoring:impact_report", args=[report.pk])).status_code == 404
        url = reverse("mentoring:impact_pdf", args=[participation.cohort_id])
        assert client.post(url, {"language": "en"}).status_code == 404


def test_each_language_has_its_own_labels_and_the_companies_both_names(measured):  # noqa: F811
    participation, _rep, _expert, officer = measured
    company = participation.company
    company.local_name = "绿源科技有限公司"
    company.save()
    texts = {}
    for language in ("en", "zh-hans"):
        report = impact_pdf.request_report(officer, participation.cohort, language)
        texts[language] = text_of(impact_pdf.render(report.pk))
    require_compiled("Change in IP maturity per dimension")
    for text in texts.values():  # the companies by both names, whatever the language
        assert company.legal_name.replace(" ", "") in text and "绿源科技有限公司" in text
    assert "ChangeinIPmaturity" in texts["en"] and "ChangeinIPmaturity" not in texts["zh-hans"]
    assert "各维度知识产权成熟度的变化" in texts["zh-hans"]
    assert "各维度知识产权成熟度的变化" not in texts["en"]
