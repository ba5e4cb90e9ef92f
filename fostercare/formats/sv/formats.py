"""Finland-Swedish formats: 1.12.2026 and 17.30 / 0.52, as Finland writes them in Swedish too
(Django's "sv" module gives Sweden's 2026-12-01 and 00:52)."""

from django.conf.locale.sv.formats import *  # noqa: F403

DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = "j.n.Y G.i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
MONTH_DAY_FORMAT = "j.n."
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '20.3.2014'
    "%d.%m.%y",  # '20.3.14'
    "%Y-%m-%d",  # '2014-03-20'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
TIME_INPUT_FORMATS = ["%H.%M.%S", "%H.%M", "%H:%M:%S", "%H:%M"]
