"""Hostile XML is refused before any entity is resolved, quickly, and without reading a local file or
contacting a network address. Proof of "no file read": the external entities point at a named pipe
(FIFO) without a writer — opening it would block, so a parser that tried would hang past the time
limit. Proof of "no network": they point at a TCP server of the test that counts connections."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from panreflex.communication import cap
from panreflex.communication.models import Alert
from panreflex.communication.services import alert_import

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
BODY = ('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier><sender>s</sender>'
        '<sent>2026-07-01T12:00:00+02:00</sent><status>Test</status><msgType>Alert</msgType><scope>Public</scope>'
        '<note>{note}</note></alert>')


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "secret-pipe"
    os.mkfifo(path)
    return path


@pytest.fixture
def listener():
    """A TCP server that counts the connections it accepts."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)
    hits = []
    stop = threading.Event()

    def run():
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join(2)
    server.close()


def _refused_quickly(data: bytes, limit: float = 2.0) -> str:
    """Parse in a thread; fail if it takes longer than `limit` seconds (a FIFO opened would block)."""
    result: dict = {}

    def run():
        try:
            cap.read(data)
            result["error"] = None
        except cap.CapError as exc:
            result["error"] = str(exc)

    start = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), "the parser blocked: it tried to read the local file"
    assert time.monotonic() - start < limit
    assert result["error"], "hostile XML was accepted"
    return result["error"]


BILLION_LAUGHS = HEAD + """<!DOCTYPE alert [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
""" + BODY.format(note="&lol9;")


def test_billion_laughs_is_refused_at_once():
    start = time.monotonic()
    message = _refused_quickly(BILLION_LAUGHS.encode(), limit=1.0)
    assert time.monotonic() - start < 1.0
    assert "DTD" in message


def test_quadratic_blowup_without_nesting_is_refused():
    data = HEAD + '<!DOCTYPE alert [<!ENTITY a "' + "x" * 50_000 + '">]>' + BODY.format(note="&a;" * 50_000)
    _refused_quickly(data.encode())


def test_external_entity_to_a_local_file_is_not_read(fifo):
    data = HEAD + f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{fifo}">]>' + BODY.format(note="&xxe;")
    _refused_quickly(data.encode())


def test_external_parameter_entity_and_external_dtd_are_not_loaded(fifo, listener):
    url, hits = listener
    for data in (
        HEAD + f'<!DOCTYPE alert [<!ENTITY % p SYSTEM "file://{fifo}"> %p;]>' + BODY.format(note="x"),
        HEAD + f'<!DOCTYPE alert SYSTEM "file://{fifo}">' + BODY.format(note="x"),
        HEAD + f'<!DOCTYPE alert [<!ENTITY % p SYSTEM "{url}/evil.dtd"> %p;]>' + BODY.format(note="x"),
        HEAD + f'<!DOCTYPE alert SYSTEM "{url}/evil.dtd">' + BODY.format(note="x"),
        HEAD + f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "{url}/secret">]>' + BODY.format(note="&xxe;"),
    ):
        _refused_quickly(data.encode())
    time.sleep(0.3)
    assert hits == [], "the parser contacted a network address"


def test_a_doctype_hidden_in_utf16_is_refused(fifo):
    data = ('<?xml version="1.0" encoding="UTF-16"?>\n'
            f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{fifo}">]>' + BODY.format(note="&xxe;")).encode("utf-16")
    assert "DTD" in _refused_quickly(data)


def test_even_the_parser_alone_resolves_nothing(fifo, listener):
    """Defence in depth: without the up-front DOCTYPE check, the configured lxml parser still neither
    expands nor fetches entities."""
    from lxml import etree

    url, hits = listener
    data = (HEAD + f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{fifo}"><!ENTITY net SYSTEM "{url}/x">]>'
            + BODY.format(note="&xxe;&net;")).encode()
    result = {}

    def run():
        root = etree.fromstring(data, parser=cap.hardened_parser())
        result["note"] = "".join(root.itertext())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(2)
    assert not thread.is_alive()
    assert hits == []


def test_xinclude_is_not_processed(fifo):
    data = ('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2" xmlns:xi="http://www.w3.org/2001/XInclude">'
            f'<identifier><xi:include href="file://{fifo}" parse="text"/></identifier></alert>').encode()
    _refused_quickly(data)


@pytest.mark.django_db
def test_nothing_is_stored_for_hostile_xml(fifo):
    for data in (BILLION_LAUGHS.encode(),
                 (HEAD + f'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{fifo}">]>' + BODY.format(note="&xxe;")).encode()):
        with pytest.raises(cap.CapError):
            alert_import(data=data)
    assert Alert.objects.count() == 0


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(cap.CapError):
        cap.parse_document(b" " * (cap.MAX_BYTES + 1))
