"""Issue 22, security: a real uvicorn on loopback facing hostile clients. Batches are bounded and
parsed off the event loop, work stops when its client leaves, stalled connections are closed,
an empty token is refused, and /docs carries the page's security headers."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live import BIN, Server

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = ("Rabat, le 5 septembre 2024 – La Direction générale de la sûreté nationale a interpellé "
           "hier à Tanger un suspect recherché par Interpol pour trafic de stupéfiants. ") * 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("limits"), "--read-timeout", "1", "--max-documents", "500",
                  env={"ENTITYX_TOKEN": TOKEN})
    yield live
    live.stop()


@pytest.fixture(scope="module")
def roomy(tmp_path_factory):
    """The same limits but the default 30 s to send a request: three 10 MiB bodies at once must
    arrive whole even on a busy machine, so that only the document count can refuse them."""
    live = Server(tmp_path_factory.mktemp("roomy"), "--max-documents", "500", env={"ENTITYX_TOKEN": TOKEN})
    yield live
    live.stop()


def raw(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def test_too_many_documents_is_413_at_once_and_the_server_stays_responsive(roomy):
    body = json.dumps({"documents": [{"text": ""}] * 740_000}).encode()  # about 10 MiB
    assert 9 * 2**20 < len(body) < 10 * 2**20

    def post():
        return httpx.post(roomy.url + "/v1/extract/batch", content=body, timeout=120,
                          headers={**AUTH, "Content-Type": "application/json"})

    with ThreadPoolExecutor(3) as pool:
        answers = [pool.submit(post) for _ in range(3)]
        health = []
        while not all(a.done() for a in answers):
            started = time.monotonic()
            assert httpx.get(roomy.url + "/health", timeout=30).status_code == 200
            health.append(time.monotonic() - started)
            time.sleep(0.05)
    for answer in answers:
        response = answer.result()
        assert response.status_code == 413 and "at most 500 documents" in response.json()["error"]
    assert max(health, default=0) < 2  # parsed off the event loop: /health never stalls


def test_a_batch_at_the_limit_is_served(server):
    docs = [{"id": n, "text": "La DGSN à Rabat."} for n in range(500)]
    response = httpx.post(server.url + "/v1/extract/batch", json={"documents": docs}, headers=AUTH, timeout=300)
    assert response.status_code == 200 and len(response.json()["documents"]) == 500


def test_work_stops_when_its_client_leaves(server):
    docs = [{"id": n, "text": ARTICLE * 20} for n in range(500)]  # 9.6 MB, a minute or more of work
    payload = json.dumps({"documents": docs}, ensure_ascii=False).encode()
    client = raw(server)
    client.sendall(b"POST /v1/extract/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
                   + payload)
    time.sleep(2)  # the batch has started
    client.close()
    started = time.monotonic()
    response = httpx.post(server.url + "/v1/extract", json={"text": "La DGSN à Rabat."}, headers=AUTH, timeout=300)
    assert response.status_code == 200
    # The one extraction thread was freed at the next document, not after the 500.
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("sent", [
    b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Ty",  # headers cut short
    b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Length: 100\r\n\r\n{\"text\": ",  # a body cut short
    b"",  # nothing at all
], ids=["headers", "body", "nothing"])
def test_stalled_connections_are_closed(server, sent):
    clients = [raw(server) for _ in range(50)]
    for client in clients:
        client.sendall(sent)
    for client in clients:
        received = b""
        while chunk := client.recv(4096):  # the server closes it: recv ends, no timeout
            received += chunk
        assert received == b"" or received.startswith(b"HTTP/1.1 408")
        client.close()
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200


def test_a_slow_but_steady_client_is_cut_at_the_deadline(server):
    client = raw(server)
    started = time.monotonic()
    for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
        try:
            client.sendall(bytes([byte]))
        except OSError:
            break
        time.sleep(0.05)
    assert time.monotonic() - started < 6  # cut after about a second, not after 7 s of trickle
    client.close()


@pytest.mark.parametrize("env", [{"ENTITYX_TOKEN": ""}, {"ENTITYX_TOKEN": "  "}, None])
def test_an_empty_token_is_a_usage_error(env):
    args = [str(BIN / "entityx"), "serve", "--port", "0"] + ([] if env is not None else ["--token", ""])
    done = subprocess.run(args, env={"PATH": str(BIN), **(env or {})}, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2 and "token is empty" in done.stderr


def test_docs_carry_the_security_headers_and_load_only_local_assets(server):
    docs = httpx.get(server.url + "/docs")
    policy = docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "<script>" not in docs.text and "https://" not in docs.text  # no inline script, no CDN
    for path in ("/static/docs.js", "/static-offline-docs/swagger-ui-bundle.js", "/openapi.json"):
        assert httpx.get(server.url + path).status_code == 200
    assert httpx.get(server.url + "/health").headers["x-frame-options"] == "DENY"


def test_dates_out_of_the_calendar_are_null_not_500(server):
    docs = [{"id": "ok", "text": "La DGSN à Rabat."},
            {"id": "edge", "text": "hier et demain", "meta": {"published": "0001-01-01"}}]
    response = httpx.post(server.url + "/v1/extract/batch", json={"documents": docs}, headers=AUTH, timeout=60)
    assert response.status_code == 200
    edge = response.json()["documents"][1]
    assert [(m["text"], m["norm"]) for m in edge["entities"]] == [("hier", None), ("demain", "0001-01-02")]
