"""The demo region's accreditation (``load_demo``): applications at every stage, training
sessions, and a pool of about forty accredited people across the LAs.

Everything goes through the services, as a coordinator, sponsor or applicant would do it;
loading twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accreditation import services
from accreditation.models import (
    Accreditation,
    ExpressionOfInterest,
    Role,
    Specialism,
    TrainingAttendance,
    TrainingSession,
)
from emslirp.demo import DemoDays
from emslirp.models import PostKind, Region, User
from emslirp.selectors import local_authorities_active, post_holder

POOL_SIZE = 40
POSITIONS = [
    "Service Manager, Safeguarding",
    "Head of Early Help",
    "Principal Social Worker",
    "Head of Performance and Intelligence",
    "Head of Commissioning",
    "Service Manager, Children in Care",
    "Head of Education Partnerships",
    "Youth Services Manager",
]
# Roles asked for, in turn; the sponsor declines the second of a pair now and then.
ROLE_PATTERNS = [
    [Role.PCTR_MEMBER],
    [Role.PCTR_MEMBER, Role.SAV_MEMBER],
    [Role.SAV_MEMBER],
    [Role.DATA_SPECIALIST],
    [Role.SAV_MEMBER, Role.SAV_LEAD_AD],
    [Role.PCTR_MEMBER, Role.DATA_SPECIALIST],
]


def _answers(name: str, position: str, la_name: str) -> dict:
    return {
        "current_position": position,
        "telephone": "01632 960000",
        "experience": (
            f"{name} has worked in children's services for over ten years and is now "
            f"{position} in {la_name}."
        ),
        "previous_roles": f"2021 to date: {position}, {la_name}.",
        "skill_teamwork": "Chaired a multi-agency practice review and its reflective session.",
        "skill_analysis": "Turned a year of contact data into three questions for leaders.",
        "skill_perspective": "Fed back to a neighbouring council after an audit exchange.",
        "skill_challenge": "Pressed a partnership board on the pace of its improvement plan.",
        "skill_coaching": "Coached two new team managers through their first year.",
        "skill_culture": "Set up practice weeks in which managers shadow front-line staff.",
        "signed_name": name,
    }


@transaction.atomic
def load_accreditation_demo(
    *, region: Region, today: datetime.date, password: str, names
) -> dict[str, int]:
    created = {"applications": 0, "accreditations": 0, "training sessions": 0}
    coordinator = User.objects.get(email="coordinator@example.org")
    las = list(local_authorities_active(region=region, on=today))
    specialisms = list(Specialism.objects.exclude(code="other"))
    days = DemoDays(today)

    def person(email):
        name = next(names)
        user, _ = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "region": region, "password": password}
        )
        return user

    def application(user, la, roles, picks, *, send, decide_on=None, decline_second=False):
        if ExpressionOfInterest.objects.filter(applicant=user).exists():
            return None
        draft = ExpressionOfInterest(
            applicant=user,
            local_authority=la,
            **_answers(user.full_name, POSITIONS[user.pk % len(POSITIONS)], la.name),
        )
        codes = [s.code for s in picks]
        services.eoi_save(application=draft, roles=roles, specialism_codes=codes)
        created["applications"] += 1
        if not send:
            return draft
        services.eoi_submit(application=draft, roles=roles, specialism_codes=codes, notify=False)
        if decide_on is None:
            return draft
        # Sent a fortnight before the sponsor decided, as it would have been.
        sent = decide_on - datetime.timedelta(days=14)
        ExpressionOfInterest.objects.filter(pk=draft.pk).update(
            signed_on=sent,
            submitted_at=timezone.make_aware(datetime.datetime.combine(sent, datetime.time(10))),
        )
        sponsor = post_holder(kind=PostKind.DCS, local_authority=la, on=decide_on)
        decisions = dict.fromkeys(roles, (True, ""))
        if decline_second and len(roles) > 1:
            decisions[roles[1]] = (False, "Another year in post first, then apply again.")
        services.eoi_decide(
            application=draft, by=sponsor, decisions=decisions, on=decide_on, notify=False
        )
        return draft

    def session(kind, held_on, venue, mandatory=False):
        obj, made = TrainingSession.objects.get_or_create(
            region=region,
            kind=kind,
            held_on=held_on,
            defaults={"venue": venue, "mandatory": mandatory},
        )
        created["training sessions"] += made
        return obj

    def attend(place_session, user, attended=True):
        place, _ = TrainingAttendance.objects.get_or_create(session=place_session, person=user)
        if place.attended is None and place_session.held_on <= today:
            made = services.training_attendance_record(
                place=place, attended=attended, by=coordinator
            )
            created["accreditations"] += len(made)

    # Lead and QA directors: every DCS at the workshop; the ADs of the first five LAs.
    workshop = session(TrainingSession.Kind.DIRECTOR_WORKSHOP, days.workshop, "Nottingham")
    for i, la in enumerate(las):
        attend(workshop, post_holder(kind=PostKind.DCS, local_authority=la, on=days.workshop))
        if i < 5:
            attend(
                workshop,
                post_holder(kind=PostKind.SAFEGUARDING_LEAD, local_authority=la, on=days.workshop),
            )

    # The pool: forty people sponsored last September and trained in October.
    team_day = session(TrainingSession.Kind.TEAM_DAY, days.team_day, "Leicester")
    pool = []
    for i in range(POOL_SIZE):
        user, la = person(f"reviewer.{i + 1:02}@example.org"), las[i % len(las)]
        picks = [specialisms[(i * 3 + k) % len(specialisms)] for k in range(1 + i % 3)]
        application(
            user,
            la,
            ROLE_PATTERNS[i % len(ROLE_PATTERNS)],
            picks,
            send=True,
            decide_on=days.sponsored_on,
            decline_second=i % 5 == 4,
        )
        attend(team_day, user)
        pool.append((user, la))

    # Every LA's data specialist is accredited: a review's data specialist comes from its
    # lead's LA (R14, R15), so each LA must have one for the reviews it leads.
    for i, la in enumerate(las):
        analyst = post_holder(kind=PostKind.DATA_SPECIALIST, local_authority=la, on=today)
        if analyst is None:
            continue
        application(
            analyst,
            la,
            [Role.DATA_SPECIALIST],
            [specialisms[(i * 5) % len(specialisms)]],
            send=True,
            decide_on=days.sponsored_on,
        )
        attend(team_day, analyst)

    # Keeping accreditation (R8): a mandatory day that two people missed; one suspended,
    # one lapsed by the coordinator, with their reasons.
    mandatory = session(TrainingSession.Kind.TEAM_DAY, days.mandatory_day, "Derby", mandatory=True)
    for i, (user, _) in enumerate(pool[:8]):
        attend(mandatory, user, attended=i not in (2, 5))
    for user, status, reason in [
        (pool[10][0], Accreditation.Status.SUSPENDED, "Reflections of two reviews outstanding."),
        (pool[11][0], Accreditation.Status.LAPSED, "Left children's services in the region."),
    ]:
        for accreditation in Accreditation.objects.filter(
            person=user, status=Accreditation.Status.CURRENT
        ):
            services.accreditation_status_set(
                accreditation=accreditation, status=status, reason=reason, by=coordinator
            )

    # Conflicts: every fourth person declares the LA next to theirs.
    for i, (user, la) in enumerate(pool):
        if i % 4 == 0:
            neighbour = las[(las.index(la) + 1) % len(las)]
            services.conflict_declare(
                person=user, local_authority=neighbour, note="Worked there until 2022."
            )

    # Applications at every stage, for the demo's applicants.
    by_name = {la.name: la for la in las}
    draft_user = person("applicant.draft@example.org")
    application(draft_user, by_name["Derbyshire"], [Role.PCTR_MEMBER], specialisms[:2], send=False)
    sent_user = person("applicant.sent@example.org")  # Rutland's DCS has it waiting
    application(
        sent_user,
        by_name["Rutland"],
        [Role.SAV_MEMBER, Role.DATA_SPECIALIST],
        specialisms[3:5],
        send=True,
    )
    decided_user = person("applicant.decided@example.org")
    application(
        decided_user,
        by_name["Leicester City"],
        [Role.PCTR_MEMBER, Role.SAV_LEAD_AD],
        specialisms[5:7],
        send=True,
        decide_on=today,
        decline_second=True,
    )
    upcoming = session(
        TrainingSession.Kind.TEAM_DAY, today + datetime.timedelta(days=28), "Lincoln"
    )
    services.training_invite(session=upcoming, people=[decided_user])

    return created
