"""The default course types and their completion rules. The data migration and the demo
load them; after that they are data, edited in the admin."""

# code, category, fi, sv, en, group meetings, make-ups, individual meetings, assessment,
# counts as continuing education
DEFAULT_COURSE_TYPES = [
    (
        "pride",
        "pre_service",
        "PRIDE-ennakkovalmennus",
        "PRIDE-förberedande utbildning",
        "PRIDE pre-service training",
        9,
        2,
        3,
        True,
        False,
    ),
    (
        "kinship-pre-service",
        "kinship_pre_service",
        "Läheisverkoston ennakkovalmennus",
        "Förberedande utbildning för närstående",
        "Kinship carers' pre-service training",
        5,
        1,
        2,
        True,
        False,
    ),
    (
        "continuing-education",
        "continuing_education",
        "Jatkokoulutus",
        "Fortbildning",
        "Continuing education",
        1,
        0,
        0,
        False,
        True,
    ),
    (
        "peer-group",
        "peer_group",
        "Vertaisryhmä",
        "Kamratgrupp",
        "Peer group",
        0,
        0,
        0,
        False,
        False,
    ),
    (
        "group-supervision",
        "group_supervision",
        "Ryhmätyönohjaus",
        "Grupphandledning",
        "Group supervision",
        0,
        0,
        0,
        False,
        True,
    ),
    (
        "individual-supervision",
        "individual_supervision",
        "Yksilötyönohjaus",
        "Individuell handledning",
        "Individual supervision",
        0,
        0,
        0,
        False,
        True,
    ),
    (
        "info-evening",
        "info_evening",
        "Infoilta",
        "Infokväll",
        "Info evening",
        1,
        0,
        0,
        False,
        False,
    ),
]

FIELDS = [
    "code",
    "category",
    "name_fi",
    "name_sv",
    "name_en",
    "required_group_meetings",
    "make_ups_allowed",
    "required_individual_meetings",
    "assessment_required",
    "counts_as_continuing_education",
]


def load(course_type_model) -> None:
    for values in DEFAULT_COURSE_TYPES:
        row = dict(zip(FIELDS, values, strict=True))
        course_type_model.objects.get_or_create(code=row.pop("code"), defaults=row)
