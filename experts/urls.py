from django.urls import path

from experts import views

app_name = "experts"

urlpatterns = [
    path("", views.expert_list, name="expert-list"),
    path("new/", views.expert_edit, name="expert-create"),
    path("serves/", views.expert_serves_search, name="expert-serves-search"),
    path("<int:pk>/", views.expert_detail, name="expert-detail"),
    path("<int:pk>/edit/", views.expert_edit, name="expert-update"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/new/", views.consultation_edit, name="consultation-create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation-update"),
    path("consultations/totals/", views.consultation_totals, name="consultation-totals"),
    # the consultation form's pickers
    path(
        "consultations/requests/",
        views.consultation_search,
        {"field": "placement_request"},
        name="consultation-request-search",
    ),
    path(
        "consultations/children/",
        views.consultation_search,
        {"field": "child"},
        name="consultation-child-search",
    ),
    path(
        "consultations/workers/",
        views.consultation_search,
        {"field": "municipal_worker"},
        name="consultation-worker-search",
    ),
    path(
        "consultations/experts/",
        views.consultation_search,
        {"field": "experts"},
        name="consultation-expert-search",
    ),
]
