"""The realtime layer of PanReflex: live rooms over Django Channels, shared by every app with a live
view (the workshops first; tabletop exercises, joint self-assessments and coding sessions next).

- `events`: the event envelope, per-room sequence numbers and broadcasting after commit, with the
  changed fragment rendered once per event and language (`emit`, `notify`, `capture`);
- `consumers.RoomConsumer`: the WebSocket consumer base (authorise, join the room's group, hello,
  intents with acknowledgement, state, presence);
- `presence`: who has a room open (one row per connection, shared by all server processes);
- `db`: the one database thread per process that the rooms' writes run in;
- `static/realtime/client.js`: the browser side (reconnect, ordering by sequence number, fetching
  the state once after a gap or a reconnect, out-of-band swaps of the fragments).

See docs/realtime.md.
"""
