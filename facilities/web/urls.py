from django.urls import path

from facilities.web import views

app_name = "facilities"

urlpatterns = [
    path("", views.facilities_table, name="list"),
    path("communes/<int:code>/headquarters/", views.headquarters_add, name="headquarters_add"),
    path("communes/<int:code>/equipment/", views.equipment_add, name="equipment_add"),
    path("norms/", views.norm_list, name="norms"),
    path("norms/set/", views.norm_set, name="norm_set"),
    path("norms/items/add/", views.item_add, name="item_add"),
    path("import/", views.import_facilities, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
]
