from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract-list"),
    path("new/", views.contract_create, name="contract-create"),
    path("members/", views.contract_member_search, name="contract-member-search"),
    path("<int:pk>/", views.contract_detail, name="contract-detail"),
    path("<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("<int:pk>/history/", views.contract_history, name="contract-history"),
    path("<int:pk>/periods/new/", views.period_create, name="period-create"),
    path("<int:pk>/periods/<int:period_pk>/edit/", views.period_edit, name="period-edit"),
    path(
        "<int:pk>/periods/<int:period_pk>/what-if/", views.contract_whatif, name="contract-whatif"
    ),
    path(
        "<int:pk>/periods/<int:period_pk>/actual-cost/",
        views.actual_cost_add,
        name="actual-cost-add",
    ),
    path(
        "<int:pk>/periods/<int:period_pk>/actual-cost/<int:cost_pk>/correct/",
        views.actual_cost_correct,
        name="actual-cost-correct",
    ),
    path(
        "<int:pk>/periods/<int:period_pk>/agreed-shares/",
        views.agreed_share_set,
        name="agreed-share-set",
    ),
    path(
        "<int:pk>/periods/<int:period_pk>/usage-figures/",
        views.usage_figure_set,
        name="usage-figure-set",
    ),
    path(
        "<int:pk>/periods/<int:period_pk>/producer-invoices/",
        views.producer_invoice_add,
        name="producer-invoice-add",
    ),
    path(
        "<int:pk>/producer-invoices/<int:invoice_pk>/pdf/",
        views.producer_invoice_pdf,
        name="producer-invoice-pdf",
    ),
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices/issue/", views.invoices_issue_quarter, name="invoices-issue-quarter"),
    path("invoices/issue/<int:pk>/", views.issuing_detail, name="issuing-detail"),
    path("invoices/issue/review/", views.invoices_issue_review, name="invoices-issue-review"),
    path("invoices/zip/", views.invoices_zip, name="invoices-zip"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<int:pk>/issue/", views.invoice_issue, name="invoice-issue"),
    path("invoices/<int:pk>/status/", views.invoice_change_status, name="invoice-status"),
    path("invoices/<int:pk>/credit/", views.invoice_credit, name="invoice-credit"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("invoices/<int:pk>/finvoice/", views.invoice_finvoice, name="invoice-finvoice"),
    path("runs/", views.invoicing_run_list, name="run-list"),
    path("runs/<int:pk>/", views.invoicing_run_detail, name="run-detail"),
]
