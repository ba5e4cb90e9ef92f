from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.family_list, name="family-list"),
    path("new/", views.family_create, name="family-create"),
    path("<int:pk>/", views.family_detail, name="family-detail"),
    path("<int:pk>/edit/", views.family_update, name="family-update"),
    path("<int:pk>/status/", views.family_change_status, name="family-status"),
    path("<int:family_pk>/carers/new/", views.carer_edit, name="carer-create"),
    path("<int:family_pk>/carers/<int:pk>/edit/", views.carer_edit, name="carer-update"),
    path("<int:family_pk>/household/", views.household_member_add, name="household-member-add"),
    path(
        "<int:family_pk>/carers/<int:pk>/move-out/",
        views.carer_move_out,
        name="carer-move-out",
    ),
    path(
        "<int:family_pk>/household/<int:pk>/move-out/",
        views.household_member_move_out,
        name="household-member-move-out",
    ),
    path(
        "<int:family_pk>/household/<int:pk>/remove/",
        views.household_member_remove,
        name="household-member-remove",
    ),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/new/", views.provider_edit, name="provider-create"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider-update"),
    path(
        "providers/<int:provider_pk>/units/new/",
        views.provider_unit_edit,
        name="provider-unit-create",
    ),
    path(
        "providers/<int:provider_pk>/units/<int:pk>/edit/",
        views.provider_unit_edit,
        name="provider-unit-update",
    ),
    path(
        "providers/<int:provider_pk>/visits/",
        views.supervision_visit_add,
        name="supervision-visit-add",
    ),
    path(
        "providers/<int:provider_pk>/visits/<int:pk>/edit/",
        views.supervision_visit_update,
        name="supervision-visit-update",
    ),
    path(
        "providers/<int:provider_pk>/visits/<int:pk>/done/",
        views.supervision_follow_up_done,
        name="supervision-follow-up-done",
    ),
]
