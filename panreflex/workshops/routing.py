"""WebSocket routes of the workshops (included by config/routing.py)."""

from django.urls import path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/reflexionsraeume/<int:pk>/", RoomConsumer.as_asgi()),
]
