from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fostercare import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("mfa/verify/", views.mfa_verify_view, name="mfa-verify"),
    path("session/keepalive/", views.session_keepalive, name="session-keepalive"),
    path("access-report/", views.access_report, name="access-report"),
    path(
        "access-report/<str:kind>/<int:pk>/",
        views.access_report_person,
        name="access-report-person",
    ),
    path(
        "access-report/<str:kind>/<int:pk>/pdf/",
        views.access_report_pdf,
        name="access-report-pdf",
    ),
    # Public: the accessibility statement (Act 306/2019), its feedback form, the privacy notice.
    path("accessibility/", views.accessibility_statement, name="accessibility-statement"),
    path("accessibility/feedback/", views.accessibility_feedback, name="accessibility-feedback"),
    path(
        "accessibility/feedback/thanks/",
        views.accessibility_feedback_thanks,
        name="accessibility-feedback-thanks",
    ),
    path("privacy/", views.privacy_notice, name="privacy-notice"),
    # The language can be switched before logging in, on the login page.
    path("i18n/setlang/", views.language_switch, name="set_language"),
    path("families/", include("families.urls")),
    path("training/", include("training.urls")),
    path("placements/", include("placements.urls")),
    path("experts/", include("experts.urls")),
    path("contracts/", include("contracts.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
