"""Issue 14, item 9: the lead signs off from a page that shows the version's pages as images
(rendered on the server) and links the PDF in a new tab, or returns the plan to the expert with
comments (the plan goes back to the expert's draft, the expert is told)."""

import pytest
from django.urls import reverse

from clinic.models import OutboxMessage
from mentoring.models import Assessment, Participation, PlanVersion
from mentoring.services import plan_versions
from tests.mentoring.plan_helpers import lead, submitted

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def ready(django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        version = plan_versions.request_version(expert, participation)
    version.refresh_from_db()
    assert version.state == PlanVersion.State.READY
    return participation, expert, version


def test_sign_off_page_shows_every_page_as_an_image_and_the_pdf_link(client, ready):
    participation, _expert, version = ready
    client.force_login(lead())
    page = client.get(reverse("mentoring:version_sign_off", args=[version.pk]))
    assert page.status_code == 200
    count = len(page.context["pages"])
    assert count >= 2
    first = reverse("mentoring:version_page", args=[version.pk, 1])
    assert f'src="{first}"' in page.text
    assert 'target="_blank"' in page.text
    image = client.get(first)
    assert (image.status_code, image["Content-Type"], image.content[:8]) == (200, "image/png", PNG)
    beyond = reverse("mentoring:version_page", args=[version.pk, count + 1])
    assert client.get(beyond).status_code == 404
    assert PlanVersion.objects.get(pk=version.pk).signed_at is None  # looking signs nothing


def test_lead_signs_off_from_the_page(client, ready):
    participation, _expert, version = ready
    signer = lead()
    client.force_login(signer)
    url = reverse("mentoring:version_sign_off", args=[version.pk])
    first, second = client.post(url), client.post(url)
    plan = reverse("mentoring:plan", args=[participation.pk])
    assert (first.url, second.url) == (plan, plan)
    assert PlanVersion.objects.get(pk=version.pk).signed_by == signer


def test_lead_returns_the_plan_to_the_expert_with_comments(client, ready):
    participation, expert, version = ready
    client.force_login(lead())
    url = reverse("mentoring:version_return", args=[version.pk])
    comment = "The trademark actions need costs and owners."
    first, second = client.post(url, {"comment": comment}), client.post(url, {"comment": comment})
    plan = reverse("mentoring:plan", args=[participation.pk])
    assert first.url == plan
    assert second.status_code == 302
    assessment = Assessment.objects.get(participation=participation)
    assert (assessment.state, assessment.return_comment) == (Assessment.State.RETURNED, comment)
    assert Participation.objects.get(pk=participation.pk).state == Participation.State.ASSESSMENT
    told = OutboxMessage.objects.filter(recipient=expert, kind="assessment_returned")
    assert told.count() == 1
    assert PlanVersion.objects.get(pk=version.pk).signed_at is None


def test_return_without_comments_is_refused_at_the_field(client, ready):
    participation, _expert, version = ready
    client.force_login(lead())
    response = client.post(reverse("mentoring:version_return", args=[version.pk]), {"comment": ""})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["comment"]
    assessment = Assessment.objects.get(participation=participation)
    assert assessment.state == Assessment.State.SUBMITTED


def test_expert_gets_no_sign_off_page_but_sees_the_page_images(client, ready):
    _participation, expert, version = ready
    client.force_login(expert)
    assert client.get(reverse("mentoring:version_sign_off", args=[version.pk])).status_code == 404
    assert client.post(reverse("mentoring:version_return", args=[version.pk])).status_code == 404
    image = client.get(reverse("mentoring:version_page", args=[version.pk, 1]))
    assert image.status_code == 200


def test_the_company_never_sees_unsigned_page_images(client, ready):
    participation, _expert, version = ready
    client.force_login(participation.company.representatives.first())
    assert client.get(reverse("mentoring:version_page", args=[version.pk, 1])).status_code == 404


def test_plan_page_links_the_review_instead_of_signing_in_one_click(client, ready):
    participation, _expert, version = ready
    client.force_login(lead())
    page = client.get(reverse("mentoring:plan", args=[participation.pk]))
    review = reverse("mentoring:version_sign_off", args=[version.pk])
    assert f'href="{review}"' in page.text
    assert f'action="{review}"' not in page.text


PARALLEL_RENDERS = """
import io, sys, threading
from reportlab.pdfgen import canvas
from mentoring.pdf import page_images

buffer = io.BytesIO()
pdf = canvas.Canvas(buffer)
for number in range(4):
    pdf.drawString(100, 700, f"Page {number} " * 10)
    pdf.rect(50, 50, 400, 400, fill=1)
    pdf.showPage()
pdf.save()
content = buffer.getvalue()
images = []

def render():
    for number in range(60):
        images.append(page_images.page_png(content, number % 4, 0.25))
        page_images.page_count(content)

threads = [threading.Thread(target=render) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(images), len(set(images)))
"""


def test_page_images_render_from_parallel_threads():
    """The sign-off page's images load in parallel on a threaded server. PDFium is not
    thread-safe: without the module's lock this script crashes (a segfault) most runs."""
    import subprocess
    import sys

    from django.conf import settings

    done = subprocess.run(
        [sys.executable, "-c", PARALLEL_RENDERS],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout.split()) == (0, ["480", "4"]), done.stderr[-500:]
