"""factory_boy factories for every model."""

import datetime

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accreditation.models import (
    Accreditation,
    AccreditationStatusChange,
    ConflictDeclaration,
    ExpressionOfInterest,
    Role,
    RoleRequest,
    Specialism,
    TrainingAttendance,
    TrainingSession,
)
from emslirp.models import (
    LocalAuthority,
    LocalAuthorityAlias,
    MemorandumOfUnderstanding,
    MouSignature,
    Post,
    PostKind,
    Region,
    User,
)

TEST_PASSWORD = "a-long-test-password-42"
# Hashed once for the whole run: hashing is slow on purpose.
_TEST_PASSWORD_HASH = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")


def days_ago(days: int) -> factory.LazyFunction:
    """A date ``days`` before today, as the test's clock has it when the row is made."""
    return factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=days))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test Region {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Testshire {n}")
    active_from = datetime.date(1974, 4, 1)
    active_to = None


class LocalAuthorityAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityAlias

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Testalias {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    password = _TEST_PASSWORD_HASH


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    holder = factory.SubFactory(UserFactory)
    kind = PostKind.DCS
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    region = None
    started_on = datetime.date(2020, 1, 1)
    ended_on = None

    class Params:
        coordinator = factory.Trait(
            kind=PostKind.COORDINATOR,
            local_authority=None,
            region=factory.SubFactory(RegionFactory),
        )


class MemorandumOfUnderstandingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemorandumOfUnderstanding

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    commenced_on = days_ago(240)
    review_on = factory.LazyAttribute(lambda o: o.commenced_on + datetime.timedelta(days=365))


class MouSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MouSignature

    memorandum = factory.SubFactory(MemorandumOfUnderstandingFactory)
    signatory_post = PostKind.DCS
    signed_by = factory.SubFactory(UserFactory)
    signed_on = days_ago(240)


class ExpressionOfInterestFactory(factory.django.DjangoModelFactory):
    """A complete application; ``submitted=True`` makes it sent, as ``eoi_submit`` would."""

    class Meta:
        model = ExpressionOfInterest
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    current_position = "Head of Service"
    experience = "Twelve years in children's social care."
    previous_roles = "2021 to date: Head of Service."
    telephone = "01234 567890"
    skill_teamwork = "An example of teamwork."
    skill_analysis = "An example of analysis."
    skill_perspective = "An example of perspective."
    skill_challenge = "An example of challenge."
    skill_coaching = "An example of coaching."
    skill_culture = "An example of culture."
    signed_name = factory.LazyAttribute(lambda o: o.applicant.full_name)

    class Params:
        submitted = factory.Trait(
            state=ExpressionOfInterest.State.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            signed_on=factory.LazyFunction(timezone.localdate),
        )

    @factory.post_generation
    def specialisms(self, create, codes, **kwargs):
        if create:
            self.specialisms.set(Specialism.objects.filter(code__in=codes or ["safeguarding"]))

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        if create:
            for role in roles or [Role.PCTR_MEMBER]:
                RoleRequest.objects.create(application=self, role=role)


class RoleRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleRequest

    application = factory.SubFactory(ExpressionOfInterestFactory, roles=[Role.SAV_MEMBER])
    role = Role.DATA_SPECIALIST


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    region = factory.SubFactory(RegionFactory)
    kind = TrainingSession.Kind.TEAM_DAY
    held_on = days_ago(44)
    venue = "Regional training centre"


class TrainingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(UserFactory)


class AccreditationFactory(factory.django.DjangoModelFactory):
    """A current accreditation from ``accredited_on``, with its first status row."""

    class Meta:
        model = Accreditation
        skip_postgeneration_save = True

    person = factory.SubFactory(UserFactory)
    role = Role.PCTR_MEMBER
    accredited_on = days_ago(545)
    status_changed_on = factory.SelfAttribute("accredited_on")

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            AccreditationStatusChange.objects.create(
                accreditation=self,
                status=Accreditation.Status.CURRENT,
                effective_on=self.accredited_on,
                reason="Attended training.",
            )


class AccreditationStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditationStatusChange

    accreditation = factory.SubFactory(AccreditationFactory)
    status = Accreditation.Status.FLAGGED
    effective_on = days_ago(330)
    reason = "Reflection not completed."


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    person = factory.SubFactory(UserFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    declared_on = days_ago(330)
