from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from clinic import roles
from clinic.models import Company, GreenArea, User
from cohorts.models import Cohort, Programme

PASSWORD = "s3cure-Passw0rd!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "en"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            roles.ensure_roles()
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


def make_user(*role_names, **kwargs):
    return UserFactory(roles=list(role_names), **kwargs)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Green Company {n} Ltd.")
    local_name = factory.Sequence(lambda n: f"绿色公司{n}")
    registration_number = factory.Sequence(lambda n: f"REG{n:06d}")
    country = "CN"
    region = "Beijing"
    city = "Beijing"
    green_area = GreenArea.WATER
    founding_year = 2015
    employees = 12
    annual_turnover = Decimal("5000000")
    turnover_currency = "CNY"

    @factory.post_generation
    def representatives(self, create, extracted, **kwargs):
        if create and extracted:
            self.representatives.set(extracted)


def company_with_representative(**kwargs):
    representative = make_user(roles.SME)
    company = CompanyFactory(representatives=[representative], **kwargs)
    return company, representative


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Clinic programme {n}")
    organiser = "National IP office"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=40))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=160))


# --- IP audit ------------------------------------------------------------------------------


def small_questionnaire(version="test-1"):
    """A valid questionnaire file's data. Per dimension d: maturity q{d}_level and yes/no
    q{d}_yes (required), number q{d}_count and text q{d}_text (optional)."""
    from clinic.dimensions import Dimension

    def texts(en, zh):
        return {"en": en, "zh-hans": zh}

    levels = [texts(f"Level {n}", f"级别{n}") for n in range(5)]
    return {
        "version": version,
        "title": texts("Test audit", "测试审计"),
        "sections": [
            {
                "dimension": dimension,
                "questions": [
                    {
                        "key": f"q{dimension}_level",
                        "type": "maturity",
                        "required": True,
                        "text": texts(
                            f"How mature is area {dimension}?", f"领域{dimension}成熟度？"
                        ),
                        "levels": levels,
                    },
                    {
                        "key": f"q{dimension}_yes",
                        "type": "yes_no",
                        "required": True,
                        "text": texts(
                            f"Is area {dimension} covered?", f"领域{dimension}是否覆盖？"
                        ),
                    },
                    {
                        "key": f"q{dimension}_count",
                        "type": "number",
                        "required": False,
                        "text": texts("How many?", "多少？"),
                    },
                    {
                        "key": f"q{dimension}_text",
                        "type": "text",
                        "required": False,
                        "text": texts("Describe it.", "请描述。"),
                    },
                ],
            }
            for dimension in Dimension.values
        ],
    }


def published_version(version="test-1", data=None):
    import json

    from clinic.models import QuestionnaireVersion
    from clinic.questionnaire_files import parse_questionnaire

    data = parse_questionnaire(json.dumps(data or small_questionnaire(version)), "q.json")
    return QuestionnaireVersion.objects.create(
        version=version,
        title=data["title"],
        content=data,
        source=QuestionnaireVersion.Source.IMPORT,
        status=QuestionnaireVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def audit_with_representative(version=None, **company_kwargs):
    """A company, its representative and an open audit on ``version`` (a small one by default)."""
    from clinic.services import ipaudit

    company, representative = company_with_representative(**company_kwargs)
    audit = ipaudit.start_audit(company, version or published_version(f"v-{company.pk}"))
    return audit, representative


def answer_required(audit, actor, level="3", yes="yes"):
    """Answer every required question of a small-questionnaire audit."""
    from clinic.services import ipaudit

    for question in audit.version.questions():
        if question["type"] == "maturity":
            ipaudit.save_answer(actor, audit, question["key"], level)
        elif question["type"] == "yes_no":
            ipaudit.save_answer(actor, audit, question["key"], yes)


# --- Applications and reviews (issue 3) ---------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="deck.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete application (every field filled), in draft unless ``state`` says otherwise."""

    class Meta:
        model = "cohorts.Application"

    cohort = factory.SubFactory(CohortFactory)
    company = factory.SubFactory(CompanyFactory)
    tech_title = factory.Sequence(lambda n: f"Membrane bioreactor {n}")
    tech_description = "Decentralised wastewater treatment with low energy use."
    tech_area = GreenArea.WATER
    development_stage = "pilot"
    green_impact = "Cuts energy use of treatment by 40 %."
    sdg_goals = factory.LazyFunction(lambda: [6, 9])
    patents_granted = 1
    patents_pending = 2
    utility_models = 0
    trademarks = 1
    designs = 0
    software_copyrights = 0
    trade_secrets = True
    ip_challenges = "Competitors copy our membranes."
    motivation = "We need an IP strategy before export."
    commitment = True
    pitch_deck = factory.LazyFunction(pdf_file)


def submitted_application(**kwargs):
    """An application submitted through the service (eligibility stored, flow started)."""
    from cohorts.services import applications

    representative = kwargs.pop("representative", None)
    if representative is None:
        company, representative = company_with_representative(**kwargs.pop("company_kwargs", {}))
    else:
        company = kwargs.pop("company")
    application = ApplicationFactory(company=company, **kwargs)
    return applications.submit(representative, application), representative


def eligible_application(officer=None, **kwargs):
    from cohorts.services import screening

    application, representative = submitted_application(**kwargs)
    officer = officer or make_user(roles.OFFICER)
    return screening.confirm_eligible(officer, application), representative


def application_with_reviewers(min_reviews, reviewers):
    """An eligible application of a new cohort needing ``min_reviews``, with ``reviewers`` new
    reviewers assigned: (cohort, officer, application, representative, people, reviews)."""
    from cohorts.services import reviews

    cohort = CohortFactory(min_reviews=min_reviews)
    officer = make_user(roles.OFFICER)
    application, representative = eligible_application(officer, cohort=cohort)
    people = [make_user(roles.REVIEWER) for _n in range(reviewers)]
    assigned = [reviews.assign_reviewer(officer, application, person) for person in people]
    return cohort, officer, application, representative, people, assigned


def scored_application(cohort, scores_by_reviewer, *, submitted_at=None, **kwargs):
    """An under-review application with submitted reviews made directly from
    ``scores_by_reviewer``: a list of dicts criterion key -> score (None: abstention)."""
    from cohorts.models import Application, Review, Score
    from cohorts.services.rubric import ensure_rubric

    criteria = {c.key: c for c in ensure_rubric(cohort)}
    application = ApplicationFactory(
        cohort=cohort,
        state=Application.State.UNDER_REVIEW,
        submitted_at=submitted_at or timezone.now(),
        size_class="small",
        **kwargs,
    )
    for values in scores_by_reviewer:
        review = Review.objects.create(
            application=application,
            reviewer=make_user(roles.REVIEWER),
            state=Review.State.SUBMITTED,
            abstained=values is None,
            submitted_at=timezone.now(),
        )
        if values is not None:
            Score.objects.bulk_create(
                Score(review=review, criterion=criteria[key], value=value)
                for key, value in values.items()
            )
    return application


def uniform_scores(value, **overrides):
    keys = ["innovation", "green_impact", "ip_relevance", "market", "team", "clinic_fit"]
    return {key: overrides.get(key, value) for key in keys}
