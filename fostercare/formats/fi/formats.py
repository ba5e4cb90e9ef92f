"""Finnish formats as Finland writes them: 1.12.2026, 17.30 and 0.52 (a period between hours
and minutes, no leading zero). Django's own Finnish module agrees except for the long forms;
this one is here so that Finnish and Finland-Swedish read alike and tests pin both."""

from django.conf.locale.fi.formats import *  # noqa: F403

DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = "j.n.Y G.i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
