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
