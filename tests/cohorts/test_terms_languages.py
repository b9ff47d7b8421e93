"""Issue 14, item 13: the programme terms SMEs accept are written in both languages (one version
covers both), shown in the reader's language with the other at hand, and both are recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.forms import CohortForm
from cohorts.models import Application
from cohorts.services import confirmation
from tests.factories import ApplicationFactory, CohortFactory, company_with_representative

pytestmark = pytest.mark.django_db
EN, ZH = "Attend every session.", "参加每一次会议。"


def test_terms_follow_the_language_and_fall_back_on_the_other():
    both = CohortFactory.build(terms_text=EN, terms_text_zh=ZH)
    only_english = CohortFactory.build(terms_text=EN, terms_text_zh="")
    only_chinese = CohortFactory.build(terms_text="", terms_text_zh=ZH)
    assert (both.localized_terms("en"), both.localized_terms("zh-hans")) == (EN, ZH)
    assert only_english.localized_terms("zh-hans") == EN
    assert only_chinese.localized_terms("en") == ZH


def selected():
    company, representative = company_with_representative()
    cohort = CohortFactory(terms_text=EN, terms_text_zh=ZH, terms_version="2.1")
    application = ApplicationFactory(
        company=company,
        cohort=cohort,
        state=Application.State.SELECTED,
        confirm_due_at=timezone.now() + timedelta(days=5),
    )
    return application, representative


def test_acceptance_records_both_texts_of_the_version():
    application, representative = selected()
    confirmation.confirm_place(representative, application, "2.1")
    acceptance = application.terms_acceptances.get()
    assert (acceptance.terms_version, acceptance.terms_text, acceptance.terms_text_zh) == (
        "2.1",
        EN,
        ZH,
    )


@pytest.mark.parametrize(("language", "shown", "other"), [("en", EN, ZH), ("zh-hans", ZH, EN)])
def test_place_page_shows_the_readers_language_first(client, language, shown, other):
    application, representative = selected()
    representative.preferred_language = language
    representative.save()
    client.force_login(representative)
    page = client.get(reverse("cohorts:place", args=[application.pk])).text
    assert page.index(shown) < page.index(other)


def test_cohort_form_edits_both_texts():
    with translation.override("en"):
        assert {"terms_text", "terms_text_zh"} <= set(CohortForm().fields)
