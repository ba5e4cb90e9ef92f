from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("<int:pk>/tables.xlsx", views.report_xlsx, name="report-xlsx"),
    path("<int:pk>/tables/<slug:key>.csv", views.report_csv, name="report-csv"),
    path("reference-costs/", views.reference_cost_list, name="reference-cost-list"),
]
