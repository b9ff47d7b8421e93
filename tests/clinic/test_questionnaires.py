"""Questionnaire versions: the bundled default, import (checked file), copy, edit, publish,
discard, and which version an audit uses."""

import pytest
import yaml
from django.utils import translation

from clinic import roles
from clinic.models import AuditLog, QuestionnaireVersion
from clinic.models.ipaudit import PublishedVersionError
from clinic.questionnaire_files import QuestionnaireFileError
from clinic.services import ipaudit, ipaudit_answers, questionnaires
from tests.factories import (
    audit_with_representative,
    company_with_representative,
    make_user,
    published_version,
    small_questionnaire,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


class NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def as_file(data):
    return yaml.dump(data, Dumper=NoAliasDumper, allow_unicode=True, sort_keys=False).encode()


def test_ensure_default_version_publishes_bundled_questionnaire_once():
    first = ipaudit.ensure_default_version()
    second = ipaudit.ensure_default_version()
    assert first.pk == second.pk
    assert first.status == QuestionnaireVersion.Status.PUBLISHED
    assert len(first.sections) == 11
    assert QuestionnaireVersion.objects.count() == 1


def test_import_questionnaire_good_file_makes_draft():
    officer = make_user(roles.OFFICER)
    version = questionnaires.import_questionnaire(
        officer, as_file(small_questionnaire("2027.1")), "q.yaml"
    )
    assert version.status == QuestionnaireVersion.Status.DRAFT
    assert version.version == "2027.1"
    assert version.question_count == 44
    assert AuditLog.objects.for_object(version).get().action == "questionnaire_imported"


def test_import_questionnaire_bad_file_reports_problems_and_saves_nothing():
    officer = make_user(roles.OFFICER)
    data = small_questionnaire("2027.1")
    data["sections"] = data["sections"][1:]
    data["sections"][0]["questions"][0]["type"] = "essay"
    with pytest.raises(QuestionnaireFileError) as caught:
        questionnaires.import_questionnaire(officer, as_file(data), "q.yaml")
    assert caught.value.problems == [
        "sections[0].questions[0].type must be one of yes_no, maturity, number, text",
        "sections[0].questions: a section needs at least one maturity question",
        "sections: dimension 1 is missing",
    ]
    assert QuestionnaireVersion.objects.count() == 0


def test_import_questionnaire_existing_version_number_is_refused():
    officer = make_user(roles.OFFICER)
    published_version("2027.1")
    with pytest.raises(QuestionnaireFileError) as caught:
        questionnaires.import_questionnaire(
            officer, as_file(small_questionnaire("2027.1")), "q.json"
        )
    assert len(caught.value.problems) == 1
    assert QuestionnaireVersion.objects.count() == 1


def test_import_questionnaire_by_sme_is_not_allowed():
    _company, representative = company_with_representative()
    with refused("not_permitted"):
        questionnaires.import_questionnaire(
            representative, as_file(small_questionnaire()), "q.yaml"
        )


def test_published_version_cannot_be_saved_or_deleted():
    version = published_version()
    version.content = {}
    with pytest.raises(PublishedVersionError):
        version.save()
    with pytest.raises(PublishedVersionError):
        version.delete()


def test_update_draft_of_published_version_is_refused():
    officer = make_user(roles.OFFICER)
    version = published_version()
    with refused("wrong_state"):
        questionnaires.update_draft(officer, version, as_file(small_questionnaire("x")), "q.yaml")


def test_copy_edit_publish_makes_new_current_version_and_keeps_old_audits():
    officer = make_user(roles.OFFICER)
    old = published_version("2026.1")
    audit, representative = audit_with_representative(old)
    ipaudit.save_answer(representative, audit, "q1_level", "2")

    draft = questionnaires.copy_version(officer, old, "2027.1")
    edited = small_questionnaire("2027.1")
    edited["sections"][0]["questions"][0]["text"]["en"] = "A reworded question"
    questionnaires.update_draft(officer, draft, as_file(edited), "q.yaml")
    questionnaires.publish_version(officer, draft)

    draft.refresh_from_db()
    old.refresh_from_db()
    audit.refresh_from_db()
    assert ipaudit.current_version() == draft
    assert draft.based_on == old
    assert draft.sections[0]["questions"][0]["text"]["en"] == "A reworded question"
    assert old.sections[0]["questions"][0]["text"]["en"] == "How mature is area 1?"
    assert audit.version == old
    assert ipaudit_answers.answer_values(audit) == {"q1_level": "2"}


def test_questionnaire_yaml_round_trips_through_the_file_parser():
    officer = make_user(roles.OFFICER)
    version = ipaudit.ensure_default_version()
    draft = questionnaires.copy_version(officer, version, "2027.1")
    questionnaires.update_draft(officer, draft, questionnaires.questionnaire_yaml(draft), "q.yaml")
    draft.refresh_from_db()
    assert draft.content["sections"] == version.content["sections"]


def test_discard_draft_removes_unused_draft():
    officer = make_user(roles.OFFICER)
    draft = questionnaires.copy_version(officer, published_version(), "draft-1")
    questionnaires.discard_draft(officer, draft)
    assert QuestionnaireVersion.objects.filter(version="draft-1").count() == 0


def test_published_version_cannot_be_bulk_updated_or_deleted():
    published_version()
    with pytest.raises(PublishedVersionError):
        QuestionnaireVersion.objects.update(content={})
    with pytest.raises(PublishedVersionError):
        QuestionnaireVersion.objects.all().delete()


def test_questionnaire_for_uses_the_given_published_version_else_current_version():
    older = published_version("2025.1")
    current = published_version("2026.1")
    assert ipaudit.questionnaire_for(None) == current
    assert ipaudit.questionnaire_for(older) == older  # a cohort naming its version
