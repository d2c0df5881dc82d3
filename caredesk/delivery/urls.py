from django.urls import path

from caredesk.delivery import views

app_name = "delivery"

urlpatterns = [
    path("delivery/", views.schedule, name="schedule"),
    path("delivery/runs/new/", views.run_new, name="run_new"),
    path("delivery/runs/<int:run_id>/", views.run_page, name="run"),
    path("delivery/runs/<int:run_id>/suggest/", views.run_suggest, name="run_suggest"),
    path("delivery/runs/<int:run_id>/sequence/", views.run_sequence, name="run_sequence"),
    path("delivery/runs/<int:run_id>/stops/", views.stop_add, name="stop_add"),
    path("delivery/runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("delivery/stops/add/", views.order_add, name="order_add"),
    path("delivery/stops/<int:stop_id>/remove/", views.stop_remove, name="stop_remove"),
    path("delivery/stops/<int:stop_id>/events/", views.stop_event, name="stop_event"),
    path("delivery/map/", views.map_schedule, name="map"),
    path("delivery/exceptions/", views.exceptions, name="exceptions"),
    path("delivery/exceptions/set-date/", views.set_date, name="set_date"),
    path("delivery/my/", views.my_runs, name="my_runs"),
    path("runs/<int:run_id>/route-sheet", views.route_sheet, name="route_sheet"),
    path("runs/<int:run_id>/route-sheet.pdf", views.route_sheet_pdf_view, name="route_sheet_pdf"),
]
