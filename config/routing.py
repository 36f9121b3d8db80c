"""WebSocket routes of every app that has realtime features (each app keeps its own routing.py)."""

from panreflex.workshops.routing import websocket_urlpatterns as workshop_ws

websocket_urlpatterns = [*workshop_ws]
