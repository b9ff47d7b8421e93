"""IP audit questionnaire versions: draft -> published; published versions never change.

A new draft comes from a file (``import_questionnaire``) or from a copy (``copy_version``), is
edited as a file (``update_draft``) and published (``publish_version``). Audits keep the version
they were started on.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import QuestionnaireVersion
from ..questionnaire_files import QuestionnaireFileError, load_default_questionnaire
from ..questionnaire_files import parse_questionnaire as parse_questionnaire_file
from ..transitions import Refused
from . import audit


def current_version():
    """The most recently published questionnaire version, or None."""
    return (
        QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def questionnaire_for(version=None):
    """The published version an audit uses: ``version`` (a stage's setting, such as a cohort's
    questionnaire version) when it is published, else the current published version."""
    if version is not None and version.is_published:
        return version
    return current_version() or ensure_default_version()


def ensure_default_version():
    """Publish the bundled default questionnaire if no version exists yet; returns a version.

    Side-effects (first call only): one published version; audit record (system actor).
    """
    existing = current_version()
    if existing is not None:
        return existing
    data = load_default_questionnaire()
    version = QuestionnaireVersion.objects.filter(version=data["version"]).first()
    if version is None:
        version = QuestionnaireVersion.objects.create(
            version=data["version"],
            title=data["title"],
            content=data,
            source=QuestionnaireVersion.Source.DEFAULT,
        )
        audit.record(version, "questionnaire_imported", to_state="draft")
    return _publish(version, actor=None)


def _check_manager(actor):
    if not permissions.can_manage_questionnaires(actor):
        raise Refused("not_permitted")


def _check_unique_version(label, exclude_pk=None):
    clash = QuestionnaireVersion.objects.filter(version=label).exclude(pk=exclude_pk)
    if clash.exists():
        message = _("version: %(version)s already exists; give the new version another number")
        raise QuestionnaireFileError([message % {"version": label}])


@transaction.atomic
def import_questionnaire(actor, content, filename):
    """An officer imports a questionnaire file as a new draft version.

    Raises QuestionnaireFileError with every problem (nothing is saved then).
    Side-effects: one draft QuestionnaireVersion; audit record.
    """
    _check_manager(actor)
    data = parse_questionnaire_file(content, filename)
    _check_unique_version(data["version"])
    version = QuestionnaireVersion.objects.create(
        version=data["version"],
        title=data["title"],
        content=data,
        source=QuestionnaireVersion.Source.IMPORT,
        created_by=actor,
    )
    audit.record(version, "questionnaire_imported", actor=actor, to_state="draft", reason=filename)
    return version


@transaction.atomic
def copy_version(actor, source, new_label):
    """An officer copies a version into a new draft with the version number ``new_label``.

    Side-effects: one draft QuestionnaireVersion (content copied); audit record.
    """
    _check_manager(actor)
    new_label = (new_label or "").strip()
    if not new_label or len(new_label) > 20:
        raise QuestionnaireFileError(
            [_("version must be a non-empty string of at most 20 characters")]
        )
    _check_unique_version(new_label)
    content = {**source.content, "version": new_label}
    version = QuestionnaireVersion.objects.create(
        version=new_label,
        title=source.title,
        content=content,
        source=QuestionnaireVersion.Source.COPY,
        based_on=source,
        created_by=actor,
    )
    audit.record(
        version,
        "questionnaire_copied",
        actor=actor,
        to_state="draft",
        reason=_("copy of %(version)s") % {"version": source.version},
    )
    return version


@transaction.atomic
def update_draft(actor, version, content, filename="questionnaire.yaml"):
    """An officer replaces a draft version's questionnaire with an edited file.

    Raises QuestionnaireFileError listing the problems, Refused for a published version.
    Side-effects: the draft's content, title and version number change; audit record.
    """
    _check_manager(actor)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise Refused(
            "wrong_state", _("A published version never changes: copy it to make a new version.")
        )
    data = parse_questionnaire_file(content, filename)
    _check_unique_version(data["version"], exclude_pk=version.pk)
    version.version = data["version"]
    version.title = data["title"]
    version.content = data
    version.save()
    audit.record(version, "questionnaire_edited", actor=actor, from_state="draft", to_state="draft")
    return version


def _publish(version, actor):
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.save()
    audit.record(
        version, "questionnaire_published", actor=actor, from_state="draft", to_state="published"
    )
    return version


@transaction.atomic
def publish_version(actor, version):
    """An officer publishes a draft version; it becomes the current one and never changes again.

    Side-effects: status published with time and publisher; audit record.
    """
    _check_manager(actor)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise Refused("wrong_state", _("This version is already published."))
    parse_questionnaire_file(questionnaire_yaml(version), "questionnaire.yaml")  # still valid
    return _publish(version, actor)


@transaction.atomic
def discard_draft(actor, version):
    """An officer deletes a draft version nobody answered.

    Side-effects: row deleted; audit record.
    """
    _check_manager(actor)
    if version.is_published or version.audits.exists():
        raise Refused("wrong_state", _("Only an unused draft can be discarded."))
    audit.record(version, "questionnaire_discarded", actor=actor, from_state="draft")
    version.delete()


def questionnaire_yaml(version):
    """The version as a questionnaire file (YAML), ready to edit and import again."""
    import yaml

    data = {
        "version": version.version,
        "title": version.title,
        "sections": [
            {
                "dimension": section["dimension"],
                "questions": [_question_for_file(question) for question in section["questions"]],
            }
            for section in version.sections
        ],
    }

    class NoAliasDumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True  # the file format forbids aliases

    return yaml.dump(data, Dumper=NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)


def _question_for_file(question):
    item = {"key": question["key"], "type": question["type"], "required": question["required"]}
    item["text"] = question["text"]
    if any(question.get("help", {}).values()):
        item["help"] = question["help"]
    if question["type"] == "maturity":
        item["levels"] = question["levels"]
    return item
