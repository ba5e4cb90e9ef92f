"""The national-scale data set: children, placement requests, placements (a share of them
active) and the access log of a few years. Run through ``manage.py seed_scale``."""

import random
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from families.models import Carer, Family, Provider
from fostercare.models import MemberOrganisation, User
from fostercare.scale import BATCH, USERNAME_PREFIX, Size
from placements.models import Child, Placement, PlacementRequest, PlacementType

FIRST_NAMES = ["Aada", "Eino", "Helmi", "Leo", "Linnea", "Onni", "Sofia", "Väinö", "Ella", "Niilo"]
LAST_NAMES = ["Aho", "Heikkinen", "Kallio", "Lahtinen", "Mäkelä", "Niemi", "Rantanen", "Salo"]
OPEN_STATUSES = [
    PlacementRequest.Status.SUBMITTED,
    PlacementRequest.Status.IN_SEARCH,
    PlacementRequest.Status.PROPOSED,
]
CLOSED_STATUSES = [
    PlacementRequest.Status.PLACED,
    PlacementRequest.Status.WITHDRAWN,
    PlacementRequest.Status.NO_PLACE,
]


def _places(size: Size, rng: random.Random) -> list[dict]:
    """Where the active placements are: active families within the places they offer,
    one in five with a provider."""
    places = []
    families = Family.objects.filter(status=Family.Status.ACTIVE).order_by("?")
    for family in families.only("pk", "places").iterator():
        places.extend({"family_id": family.pk} for _ in range(family.places))
        if len(places) >= size.active_placements * 0.8:
            break
    for provider in Provider.objects.order_by("?").only("pk", "places").iterator():
        places.extend({"provider_id": provider.pk} for _ in range(provider.places // 2))
        if len(places) >= size.active_placements:
            break
    rng.shuffle(places)
    return places[: size.active_placements]


def _access_log(size: Size) -> None:
    """The access log of about three years, in one INSERT … SELECT over generate_series:
    views of carers, children and families by the unit's and the municipalities' workers."""
    types = {model: ContentType.objects.get_for_model(model).pk for model in (Carer, Child, Family)}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO fostercare_accesslogentry
                (at, user_id, organisation_id, action, content_type_id, object_id,
                 object_repr, purpose)
            SELECT now() - i * interval '94 seconds',
                   u.ids[1 + i %% cardinality(u.ids)],
                   u.orgs[1 + i %% cardinality(u.ids)],
                   (ARRAY['view', 'view', 'view', 'view', 'update', 'export'])[1 + i %% 6],
                   CASE i %% 3 WHEN 0 THEN %(carer)s WHEN 1 THEN %(child)s ELSE %(family)s END,
                   CASE i %% 3
                       WHEN 0 THEN k.ids[1 + (i * 7919) %% cardinality(k.ids)]::text
                       WHEN 1 THEN c.ids[1 + (i * 7919) %% cardinality(c.ids)]::text
                       ELSE f.ids[1 + (i * 7919) %% cardinality(f.ids)]::text
                   END,
                   CASE i %% 3
                       WHEN 0 THEN k.names[1 + (i * 7919) %% cardinality(k.ids)]
                       WHEN 1 THEN c.names[1 + (i * 7919) %% cardinality(c.ids)]
                       ELSE f.names[1 + (i * 7919) %% cardinality(f.ids)]
                   END,
                   ''
            FROM generate_series(1, %(rows)s::bigint) AS i,
                 (SELECT array_agg(id ORDER BY id) AS ids,
                         array_agg(organisation_id ORDER BY id) AS orgs
                    FROM fostercare_user) AS u,
                 (SELECT array_agg(id ORDER BY id) AS ids,
                         array_agg(first_name || ' ' || last_name ORDER BY id) AS names
                    FROM families_carer) AS k,
                 (SELECT array_agg(id ORDER BY id) AS ids,
                         array_agg(first_name || ' ' || last_name ORDER BY id) AS names
                    FROM placements_child) AS c,
                 (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names
                    FROM families_family) AS f
            """,
            {
                "rows": size.access_log,
                "carer": types[Carer],
                "child": types[Child],
                "family": types[Family],
            },
        )
        cursor.execute("ANALYZE fostercare_accesslogentry")


def seed(size: Size, stdout) -> None:
    rng = random.Random(13)
    today = date.today()
    now = timezone.now()
    unit = User.objects.get(username="unit")
    organisations = list(MemberOrganisation.objects.order_by("pk"))
    workers = {
        user.organisation_id: user
        for user in User.objects.filter(username__startswith=USERNAME_PREFIX)
    }
    for username in ("kemi", "tornio"):
        user = User.objects.get(username=username)
        workers[user.organisation_id] = user

    children = Child.objects.bulk_create(
        (
            Child(
                municipality=organisations[n % len(organisations)],
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}-{n + 1}",
                date_of_birth=today - timedelta(days=rng.randint(100, 17 * 365)),
                languages=["fi"],
            )
            for n in range(size.children)
        ),
        batch_size=BATCH,
    )

    # the active placements first, then each remaining child's earlier, ended one
    places = _places(size, rng)
    families = list(Family.objects.values_list("pk", flat=True)[:5000])
    placements = []
    for n, child in enumerate(children):
        if n < len(places):
            started = today - timedelta(days=rng.randint(1, 1500))
            placements.append(
                Placement(
                    child=child,
                    placement_type=PlacementType.SUBSTITUTE_CARE,
                    started_on=started,
                    decision_on=started,
                    **places[n],
                )
            )
        else:
            started = today - timedelta(days=rng.randint(400, 4000))
            placements.append(
                Placement(
                    child=child,
                    family_id=families[n % len(families)],
                    placement_type=rng.choice(PlacementType.values),
                    started_on=started,
                    ended_on=started + timedelta(days=rng.randint(3, 365)),
                    end_reason=Placement.EndReason.RETURNED_HOME,
                    decision_on=started,
                )
            )
    Placement.objects.bulk_create(placements, batch_size=BATCH)
    Family.objects.filter(pk__in=[p["family_id"] for p in places if "family_id" in p]).update(
        status=Family.Status.ACTIVE
    )

    # requests for children not placed now: one to three siblings each
    waiting = children[len(places) :]
    requests, members = [], []
    cursor = 0
    for n in range(size.requests):
        group = waiting[cursor : cursor + rng.choice([1, 1, 1, 2, 3])] or waiting[:1]
        cursor = (cursor + len(group)) % max(1, len(waiting) - 3)
        status = rng.choice(OPEN_STATUSES if n % 4 == 0 else CLOSED_STATUSES)
        request = PlacementRequest(
            municipality=group[0].municipality,
            placement_type=PlacementType.SUBSTITUTE_CARE,
            urgency=rng.choice(PlacementRequest.Urgency.values),
            wished_start_on=today + timedelta(days=rng.randint(-700, 60)),
            status=status,
            created_by=workers.get(group[0].municipality_id, unit),
            unit_worker=unit if status != PlacementRequest.Status.SUBMITTED else None,
            submitted_at=now - timedelta(days=rng.randint(1, 700)),
        )
        requests.append(request)
        members.append(group)
    PlacementRequest.objects.bulk_create(requests, batch_size=BATCH)
    PlacementRequest.children.through.objects.bulk_create(
        (
            PlacementRequest.children.through(placementrequest_id=request.pk, child_id=child.pk)
            for request, group in zip(requests, members, strict=True)
            for child in group
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    _access_log(size)
    stdout.write(
        f"Placements: {len(children)} children, {len(placements)} placements "
        f"({len(places)} active), {len(requests)} requests, {size.access_log} access-log rows."
    )
