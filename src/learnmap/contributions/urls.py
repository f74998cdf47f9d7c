"""Contribution pages: propose, my proposals, review, history and its Atom feed."""

from django.urls import path

from learnmap.contributions import feeds, views

app_name = "contributions"

urlpatterns = [
    path("propose/<uuid:key>/", views.propose_add, name="propose"),
    path("propose/<uuid:key>/intro/", views.propose_intro, name="propose-intro"),
    path("propose/resource/<uuid:key>/edit/", views.propose_edit, name="propose-edit"),
    path("propose/resource/<uuid:key>/remove/", views.propose_remove, name="propose-remove"),
    path("me/proposals/", views.my_proposals, name="mine"),
    path("me/proposals/<int:pk>/", views.my_proposal, name="mine-detail"),
    path("me/proposals/<int:pk>/revise/", views.my_proposal_revise, name="revise"),
    path("r/<slug:slug>/review/", views.review_queue, name="queue"),
    path("review/<int:pk>/", views.review_detail, name="review"),
    path("review/<int:pk>/accept/", views.review_accept, name="accept"),
    path("review/<int:pk>/decline/", views.review_decline, name="decline"),
    path("review/<int:pk>/request-changes/", views.review_request_changes, name="request-changes"),
    path("r/<slug:slug>/history/", views.history, name="history"),
    path("r/<slug:slug>/history.atom", feeds.RoadmapHistoryFeed(), name="feed"),
    path("r/<slug:slug>/history/<int:pk>/", views.change_detail, name="change"),
    path("r/<slug:slug>/history/<int:pk>/revert/", views.change_revert, name="revert"),
]
