from django.urls import path

from placements import provider_views, support_views, views

app_name = "placements"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("new/", views.request_create, name="request-create"),
    path("<int:pk>/", views.request_detail, name="request-detail"),
    path("<int:pk>/edit/", views.request_update, name="request-update"),
    path("<int:pk>/submit/", views.request_step, {"step": "submit"}, name="request-submit"),
    path("<int:pk>/take/", views.request_step, {"step": "take"}, name="request-take"),
    path("<int:pk>/withdraw/", views.request_step, {"step": "withdraw"}, name="request-withdraw"),
    path("<int:pk>/no-place/", views.request_step, {"step": "no_place"}, name="request-no-place"),
    path("<int:pk>/decline/", views.request_step, {"step": "decline"}, name="request-decline"),
    path("<int:pk>/decision/", views.request_step, {"step": "decide"}, name="request-decide"),
    path("<int:pk>/place/", views.request_step, {"step": "place"}, name="request-place"),
    path("<int:pk>/matching/", views.request_matching, name="request-matching"),
    path("<int:pk>/matching/more/", views.request_matching_more, name="request-matching-more"),
    path(
        "<int:pk>/matching/excluded/",
        views.request_matching_excluded,
        name="request-matching-excluded",
    ),
    path("<int:pk>/propose/", views.request_propose, name="request-propose"),
    path("<int:pk>/share/", views.request_share, name="request-share"),
    path("<int:pk>/unshare/", views.request_unshare, name="request-unshare"),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/accept/",
        views.proposal_accept,
        name="proposal-accept",
    ),
    path("new/children/", views.request_children_search, name="request-children-search"),
    path("<int:pk>/share/workers/", views.request_share_search, name="request-share-search"),
    path("children/siblings/", views.child_sibling_search, name="child-sibling-search-new"),
    path("children/<int:pk>/siblings/", views.child_sibling_search, name="child-sibling-search"),
    path("children/", views.child_list, name="child-list"),
    path("children/new/", views.child_edit, name="child-create"),
    path("children/<int:pk>/", views.child_detail, name="child-detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child-update"),
    path("families/<int:pk>/", views.proposed_family, name="proposed-family"),
    path("placements/", views.placement_list, name="placement-list"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement-end"),
    path("placements/<int:pk>/correct/", views.placement_correct, name="placement-correct"),
    path("placements/<int:pk>/extend/", views.placement_extend, name="placement-extend"),
    path("children/<int:pk>/aftercare/", views.aftercare_plan_edit, name="aftercare-plan-create"),
    path(
        "children/<int:pk>/aftercare/<int:plan_pk>/",
        views.aftercare_plan_edit,
        name="aftercare-plan-update",
    ),
    path("vacancies/", views.vacancy_board, name="vacancy-board"),
]

urlpatterns += [
    path(
        "<int:pk>/propose-providers/",
        provider_views.request_propose_providers,
        name="request-propose-providers",
    ),
    path("<int:pk>/arrange/", support_views.arrangement_create, name="arrangement-create"),
    path("support/", support_views.arrangement_list, name="arrangement-list"),
    path("support/<int:pk>/", support_views.arrangement_detail, name="arrangement-detail"),
    path("support/<int:pk>/generate/", support_views.stays_generate, name="stays-generate"),
    path("support/<int:pk>/stays/", support_views.stay_add, name="stay-add"),
    path("support/<int:pk>/stays/<int:stay_pk>/move/", support_views.stay_move, name="stay-move"),
    path(
        "support/<int:pk>/stays/<int:stay_pk>/cancel/",
        support_views.stay_cancel,
        name="stay-cancel",
    ),
]
