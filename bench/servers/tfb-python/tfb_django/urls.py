from django.urls import path

from . import views

urlpatterns = [
    path('plaintext', views.plaintext),
    path('json', views.json),
    path('db', views.single_query),
    path('queries', views.queries),
    path('fortunes', views.fortunes),
    path('updates', views.updates),
    path('cached-queries', views.cached_queries),
]
