"""Settings for every environment; production differs only by environment values."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from fostercare.env import env_bool, env_int, env_list, env_str, load_dotenv
from fostercare.exports import EXPORT_FORMATS as SAFE_EXPORT_FORMATS

BASE_DIR = Path(__file__).resolve().parent.parent
# .env.local is made by scripts/prepare.sh on development machines only.
load_dotenv(BASE_DIR / ".env.local")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The project's apps come first: for a string translated in several catalogues, the
# first installed app's translation wins, and ours must win over the admin's.
INSTALLED_APPS = [
    "fostercare",
    "families",
    "training",
    "placements",
    "experts",
    "contracts",
    "reports",
    # The admin site demands a verified second factor like every page (fostercare.admin_site).
    "fostercare.apps.FostercareAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "guardian",
    "import_export",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "pgtrigger",
    # Who changed what in contracts' figures, recorded by database triggers whatever the
    # door (contracts.models: pghistory.track); the user comes from HistoryMiddleware.
    "pghistory",
]

# Only requests that write need the history's context (a GET writes nothing tracked).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# History rows are never edited: the database refuses UPDATE and DELETE on them.
PGHISTORY_APPEND_ONLY = True
# The parties' many-to-many table is Django's own, outside the migrations, so its history
# triggers are installed after every migrate (the others come with their migrations).
PGTRIGGER_INSTALL_ON_MIGRATE = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: writes of a request carry its user into the history.
    "pghistory.middleware.HistoryMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: the idle logout leaves a message for the login page.
    "fostercare.middleware.SessionTimeoutMiddleware",
    "fostercare.middleware.MFARequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "fostercare.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the login page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fostercare.urls"
WSGI_APPLICATION = "fostercare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fostercare.context_processors.navigation",
                "fostercare.context_processors.session_timeout",
                "fostercare.context_processors.unit_contact",
            ],
        },
    },
]

FORM_RENDERER = "fostercare.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://fostercare:fostercare@127.0.0.1:5432/fostercare"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
# Short OLTP queries with correlated subqueries (a family's room) cross PostgreSQL's JIT
# cost threshold and then spend longer compiling than running: JIT off for the app's
# connections. Every other PostgreSQL setting is left at its default on purpose: the
# national-scale benchmark (`make bench`, README "National scale") is measured with them.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "fostercare.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "fostercare.backends.CachedModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The absolute limit of a login, however active; SESSION_IDLE_TIMEOUT ends an idle one
# sooner (fostercare.middleware.SessionTimeoutMiddleware), with a warning shown
# SESSION_IDLE_WARNING seconds before.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_IDLE_WARNING = env_int("SESSION_IDLE_WARNING", 2 * 60, minimum=0)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Trust X-Forwarded-Proto only when a proxy that overwrites it stands in front.
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): no inline script or style anywhere; scripts and
# styles come from our own static files. A template that really needs an inline block
# marks it with nonce="{{ request.csp_nonce }}".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}

# Second factor (django-otp): TOTP plus single-use recovery codes, for every user. On by
# default except in development; tests/settings.py turns it off for the tests that log in
# with force_login, and the MFA tests turn it back on.
MFA_REQUIRED = env_bool("MFA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Sijaishuolto")
MFA_RECOVERY_CODES = 10

# Login throttling (django-axes): failures are counted per username and per (username,
# address), never per address alone, so a municipality's office behind one NAT address is
# not locked out by one person's typos. After AXES_FAILURE_LIMIT failures the username is
# refused for AXES_COOLOFF_TIME; an administrator can unlock it sooner in the admin
# (Axes → Access attempts → delete), which the admin's own history records.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fostercare.views.login_locked_out"
# Behind the one proxy, the right-most X-Forwarded-For address is the one the proxy saw;
# the left-most ones are whatever the client sent.
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_HTTPS_PROXY", False) else None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_bool("BEHIND_HTTPS_PROXY", False)
    else ["REMOTE_ADDR"]
)

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Finland's formats in Finnish and in Finland-Swedish: 1.12.2026, 17.30.
FORMAT_MODULE_PATH = ["fostercare.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "fostercare@localhost")
UNIT_EMAIL = env_str("UNIT_EMAIL", "sijaishuolto@localhost")
# The unit's contact details, shown on the public pages (inquiry form, accessibility
# statement, privacy notice). The unit is the controller of the register of families.
UNIT_NAME = env_str("UNIT_NAME", "Alueellinen sijaishuoltoyksikkö")
UNIT_ORGANISATION = env_str("UNIT_ORGANISATION", "Tornion kaupunki")
UNIT_ADDRESS = env_str("UNIT_ADDRESS", "Suensaarenkatu 4, 95400 Tornio")
UNIT_PHONE = env_str("UNIT_PHONE", "016 432 111")
UNIT_DATA_PROTECTION_OFFICER = env_str("UNIT_DATA_PROTECTION_OFFICER", "tietosuoja@localhost")
# The day the accessibility statement was drawn up and last reviewed (ISO dates).
ACCESSIBILITY_STATEMENT_DATE = env_str("ACCESSIBILITY_STATEMENT_DATE", "2026-12-01")
ACCESSIBILITY_STATEMENT_REVIEWED = env_str("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-12-01")
# The accessibility supervisor (Act 306/2019; Traficom since 1.1.2025, before it the
# Regional State Administrative Agency for Southern Finland).
ACCESSIBILITY_SUPERVISOR_URL = env_str(
    "ACCESSIBILITY_SUPERVISOR_URL", "https://www.saavutettavuusvaatimukset.fi"
)
ACCESSIBILITY_SUPERVISOR_EMAIL = env_str(
    "ACCESSIBILITY_SUPERVISOR_EMAIL", "saavutettavuus@traficom.fi"
)
ACCESSIBILITY_SUPERVISOR_PHONE = env_str("ACCESSIBILITY_SUPERVISOR_PHONE", "029 534 5000")

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# One cache shared by every web process (rate limits count across gunicorn workers).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "fostercare"),
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict = {
    # contracts: draft invoices of the quarter that just ended, on the first day of the
    # next one (CELERY_TIMEZONE, i.e. Europe/Helsinki).
    # fostercare: delete access-log rows older than ACCESS_LOG_RETENTION_DAYS.
    "fostercare-access-log-retention": {
        "task": "fostercare.tasks.access_log_prune",
        "schedule": crontab(minute=30, hour=2),
    },
    # fostercare: uploaded import files past IMPORT_FILE_MAX_AGE_HOURS.
    "fostercare-import-files-prune": {
        "task": "fostercare.tasks.import_files_prune",
        "schedule": crontab(minute=15),
    },
    "contracts-quarterly-invoicing": {
        "task": "contracts.tasks.invoicing_run_previous_quarter",
        "schedule": crontab(minute=0, hour=3, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # families: the day's occupancy by kind of family and provider (the reports' history).
    "families-occupancy-record": {
        "task": "families.tasks.occupancy_record",
        "schedule": crontab(minute=50, hour=23),
    },
    # reports: the steering group's report of the quarter that ended (and after the year,
    # each member's annual report), once the quarter's invoice drafts are made.
    "reports-quarterly-reports": {
        "task": "reports.tasks.reports_previous_quarter",
        "schedule": crontab(minute=0, hour=5, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# Family Care Act (263/2015) 7 §: persons in care at once in a family home.
FAMILY_CARE_MAX_PERSONS = env_int("FAMILY_CARE_MAX_PERSONS", 4, minimum=1)
FAMILY_CARE_MAX_PERSONS_TWO_CARERS = env_int("FAMILY_CARE_MAX_PERSONS_TWO_CARERS", 6, minimum=1)
# The matching page shows this many fitting families at a time ("show more" adds as many).
MATCHING_SHOWN = env_int("MATCHING_SHOWN", 25, minimum=1)
# An invoicing run with no progress for this many minutes is shown as stalled (its worker
# died) and may be run again.
INVOICING_RUN_STALE_AFTER = env_int("INVOICING_RUN_STALE_AFTER", 30, minimum=1)
# Family Care Act 7 §: a professional family home cares for at most seven.
PROFESSIONAL_FAMILY_HOME_MAX_PERSONS = env_int("PROFESSIONAL_FAMILY_HOME_MAX_PERSONS", 7, minimum=1)
# Child Welfare Act 75 §: aftercare lasts until this age; planning starts this many
# months before the young person turns 18.
AFTERCARE_MAX_AGE = env_int("AFTERCARE_MAX_AGE", 23, minimum=18)
AFTERCARE_PLANNING_MONTHS = env_int("AFTERCARE_PLANNING_MONTHS", 6, minimum=0)

# Client Data Act 703/2023: a client may ask who processed their data, normally over the
# past two years. The log is kept that long plus a year's margin, so a request made late,
# or one under appeal, still finds its full two years; then the retention task deletes it.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 3 * 365 + 1, minimum=2 * 365)
ACCESS_REPORT_DEFAULT_DAYS = 2 * 365

FILTERS_EMPTY_CHOICE_LABEL = _("All")

IMPORT_EXPORT_USE_TRANSACTIONS = True
# A previewed file waits in the media storage (django-import-export/), not in /tmp; the
# confirmation deletes it, import_files_prune deletes the ones never confirmed.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# A file of more rows than this is imported by a Celery worker (fostercare.imports), with
# its progress and result on a page of its own; smaller ones are previewed in the request.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 300, minimum=0)
# Uploaded import files, and imports that never ended, are removed after this many hours.
IMPORT_FILE_MAX_AGE_HOURS = env_int("IMPORT_FILE_MAX_AGE_HOURS", 6, minimum=1)
# Import needs the model's add permission and export its view permission (without these,
# django-import-export lets any staff user import and export every model).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# A cell that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return)
# is written with a leading apostrophe (fostercare.exports);
# django-import-export's own setting strips a leading "=" only, so it is on as well.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
EXPORT_FORMATS = SAFE_EXPORT_FORMATS

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO; keep the worker's log readable.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- The daily desk: work-queue thresholds and the morning digest (fostercare.worklist) ---
# Checks fall due this many months after they were last done, and show on the queue this
# many days before. Health check: at least every other year for full-time family carers;
# the others are the unit's own review periods.
WORKLIST_CHECK_WARNING_DAYS = env_int("WORKLIST_CHECK_WARNING_DAYS", 60, minimum=0)
WORKLIST_HEALTH_CHECK_VALID_MONTHS = env_int("WORKLIST_HEALTH_CHECK_VALID_MONTHS", 24, minimum=1)
WORKLIST_CRIMINAL_RECORD_VALID_MONTHS = env_int(
    "WORKLIST_CRIMINAL_RECORD_VALID_MONTHS", 60, minimum=1
)
WORKLIST_HOME_STUDY_VALID_MONTHS = env_int("WORKLIST_HOME_STUDY_VALID_MONTHS", 60, minimum=1)
# A provider's licence does not expire; 0 (the default) leaves licences off the queue,
# a number of months asks for a review that long after the licence was granted.
WORKLIST_PROVIDER_LICENCE_VALID_MONTHS = env_int(
    "WORKLIST_PROVIDER_LICENCE_VALID_MONTHS", 0, minimum=0
)
# An emergency placement is urgent this many days before its 30 run out.
WORKLIST_EMERGENCY_WARNING_DAYS = env_int("WORKLIST_EMERGENCY_WARNING_DAYS", 7, minimum=0)
# An approved family without a child this long is flagged.
WORKLIST_IDLE_FAMILY_DAYS = env_int("WORKLIST_IDLE_FAMILY_DAYS", 180, minimum=1)
# A new inquiry not contacted this many days after it came in is flagged.
WORKLIST_INQUIRY_CONTACT_DAYS = env_int("WORKLIST_INQUIRY_CONTACT_DAYS", 14, minimum=1)
# The address the digest's links start with (the mail is sent outside any request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# fostercare: each unit and municipal worker's digest of what became due, every morning.
CELERY_BEAT_SCHEDULE["fostercare-daily-reminders"] = {
    "task": "fostercare.tasks.reminders_send",
    "schedule": crontab(minute=0, hour=7),
}
# --- end of the daily desk ---
