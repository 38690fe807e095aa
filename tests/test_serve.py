"""`entityx serve`: the API in-process (TestClient) and on a real uvicorn, and client mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import ROOT
from live import BIN, Server, free_port
from typer.testing import CliRunner

import entityx
from entityx.cli import app as cli

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note on httpx versions
    from fastapi.testclient import TestClient

from entityx.serve.app import create_app
from entityx.serve.settings import Settings

SAMPLE = ROOT / "samples" / "000_1aa1127573d74705.txt"
ARTICLE = SAMPLE.read_text(encoding="utf-8")
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SHORT = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect recherché par Interpol."


def cli_json(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(cli, ["extract", *args, "-f", "json"], input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def client(nlp):
    with TestClient(create_app(Settings(token=TOKEN, max_bytes=64_000))) as test_client:
        yield test_client


def test_health_needs_no_token(client):
    assert client.get("/health").json() == {"status": "ok", "version": entityx.__version__, "token": True}


def test_extract_equals_the_cli_json_on_the_reference_article(client):
    response = client.post("/v1/extract", json={"text": ARTICLE}, headers=AUTH)
    assert response.status_code == 200
    assert response.json() == cli_json("-", stdin=ARTICLE)
    names = {(e["text"], e["label"]) for e in response.json()["entities"]}
    assert ("Abdellatif Hammouchi", "PER") in names


def test_published_and_labels_are_the_cli_options(client):
    body = {"text": SHORT, "published": "2023-01-10", "labels": ["DATE"]}
    data = client.post("/v1/extract", json=body, headers=AUTH).json()
    assert data == cli_json("-", "--published", "2023-01-10", "--labels", "DATE", stdin=SHORT)
    assert {e["label"] for e in data["entities"]} == {"DATE"} and data["published"] == "2023-01-10"


def test_batch_keeps_input_order_ids_and_meta_published(client):
    docs = [{"id": "b", "text": "Le FBI et Europol coopèrent."},
            {"id": 7, "text": "La DGSN a arrêté hier un suspect.", "meta": {"published": "2024-09-05"}},
            {"text": SHORT}]
    data = client.post("/v1/extract/batch", json={"documents": docs}, headers=AUTH).json()
    assert [d["source"] for d in data["documents"]] == ["b", "7", "3"]
    single = client.post("/v1/extract", json={"text": docs[1]["text"], "published": "2024-09-05"},
                         headers=AUTH).json()
    assert data["documents"][1] == {**single, "source": "7", "published_from": "meta",
                                    "meta": {"published": "2024-09-05"}}
    assert [e["norm"] for e in single["entities"] if e["label"] == "DATE"] == ["2024-09-04"]


def test_csv_endpoint_is_the_cli_csv(client):
    response = client.post("/v1/extract/csv", json={"text": ARTICLE}, headers=AUTH)
    expected = CliRunner().invoke(cli, ["extract", "-", "-f", "csv"], input=ARTICLE).stdout_bytes.decode()
    assert response.status_code == 200 and response.text == expected
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_api_without_the_token_is_401(client, headers):
    for path in ("/v1/extract", "/v1/extract/batch", "/v1/extract/csv"):
        response = client.post(path, json={"text": "x"}, headers=headers)
        assert response.status_code == 401 and "token" in response.json()["error"]
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("body", "field"), [
    ({"txt": SHORT}, "txt"),
    ({}, "text"),
    ({"text": 12}, "text"),
    ({"text": SHORT, "published": "2024-13-01"}, "published"),
    ({"text": SHORT, "labels": ["PERSON"]}, "labels.0"),
    ({"text": SHORT, "labels": []}, "labels"),
    ({"text": SHORT, "date_style": "iso"}, "date_style"),
])
def test_a_wrong_field_is_422_naming_it(client, body, field):
    response = client.post("/v1/extract", json=body, headers=AUTH)
    assert response.status_code == 422
    assert field in [p["field"] for p in response.json()["fields"]]
    assert response.json()["error"].startswith(field) or f"; {field}:" in response.json()["error"]


def test_batch_field_errors_name_the_document(client):
    body = {"documents": [{"text": "a"}, {"id": "x", "text": "b", "meta": {"published": "hier"}}]}
    response = client.post("/v1/extract/batch", json=body, headers=AUTH)
    assert response.status_code == 422 and response.json()["fields"][0]["field"] == "documents.1.meta"


def test_malformed_json_is_422(client):
    response = client.post("/v1/extract", content=b'{"text": "a",', headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422 and "not valid JSON" in response.json()["error"]


def test_a_text_the_pipeline_rejects_is_400_without_traceback(client):
    # A lone surrogate is valid JSON but not text: the tokenizer cannot encode it.
    response = client.post("/v1/extract", content=b'{"text": "La DGSN \\ud800 Rabat"}',
                           headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "text rejected" in response.json()["error"] and "Traceback" not in response.text


def test_date_style_is_validated_and_passed_on(client):
    default = client.post("/v1/extract", json={"text": SHORT, "date_style": "entityx"}, headers=AUTH)
    assert default.status_code == 200 and default.json() == cli_json("-", stdin=SHORT)
    timeml = client.post("/v1/extract", json={"text": SHORT, "date_style": "timeml"}, headers=AUTH)
    assert timeml.status_code == 200
    assert timeml.json() == cli_json("-", "--date-style", "timeml", stdin=SHORT) != default.json()
    wrong = client.post("/v1/extract", json={"text": SHORT, "date_style": "iso"}, headers=AUTH)
    assert wrong.status_code == 422 and "date_style" in wrong.json()["error"]


def test_a_body_over_the_limit_is_413(client):
    response = client.post("/v1/extract", json={"text": "a" * 70_000}, headers=AUTH)
    assert response.status_code == 413 and "limit" in response.json()["error"]


def test_the_page_is_served_with_its_own_assets_only(client):
    page = client.get("/")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text
    for asset in ("/static/page.js", "/static/marks.css", "/static/page.css"):
        body = client.get(asset)
        assert body.status_code == 200 and "https://" not in body.text
    assert "innerHTML" not in client.get("/static/page.js").text


def test_openapi_docs_need_no_cdn(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    assert "/v1/extract/batch" in client.get("/openapi.json").json()["paths"]


# --- a real uvicorn on loopback ----------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = Server(tmp_path_factory.mktemp("serve"), "--max-bytes", str(2**20), env={"ENTITYX_TOKEN": TOKEN})
    yield live
    live.stop()


def test_listens_on_loopback_only_by_default(server):
    assert f"Uvicorn running on http://127.0.0.1:{server.port}" in server.log()
    assert "Warning" not in server.log()


@pytest.mark.parametrize(("host", "token", "warned"), [
    ("127.0.0.1", None, False), ("::1", None, False), ("localhost", None, False),
    ("0.0.0.0", "t", True), ("192.168.1.20", None, True), ("example.org", "t", True),
])
def test_another_host_than_loopback_is_warned_about(host, token, warned):
    from entityx.serve.server import exposure

    warning = exposure(host, token)
    assert (warning is not None) == warned
    if warned:
        assert host in warning and ("without a token" in warning) == (token is None)


def test_eight_concurrent_clients_ten_requests_each(server, nlp):
    expected = entityx.extract(ARTICLE).to_dict()

    def session(_):
        with httpx.Client(base_url=server.url, headers=AUTH, timeout=120) as http:
            return [http.post("/v1/extract", json={"text": ARTICLE}) for _ in range(10)]

    with ThreadPoolExecutor(8) as pool:
        responses = [r for batch in pool.map(session, range(8)) for r in batch]
    assert len(responses) == 80 and {r.status_code for r in responses} == {200}
    assert all(r.json() == expected for r in responses)
    assert server.log().count('"POST /v1/extract HTTP/1.1" 200') >= 80  # the access log, on stderr


def test_real_server_refuses_401_413_422(server):
    assert httpx.post(server.url + "/v1/extract", json={"text": "x"}).status_code == 401
    big = {"text": "a" * (2**20 + 10)}
    assert httpx.post(server.url + "/v1/extract", json=big, headers=AUTH).status_code == 413

    def chunks():  # no Content-Length: the guard counts what streams in
        for _ in range(40):
            yield b"a" * 32_768

    chunked = httpx.post(server.url + "/v1/extract", content=chunks(), headers=AUTH)
    assert chunked.status_code == 413
    assert httpx.post(server.url + "/v1/extract", json={"texte": "x"}, headers=AUTH).status_code == 422
    assert "Traceback" not in server.log()


FORMATS = ["json", "jsonl", "csv", "table", "html"]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ENTITYX_")}
    return subprocess.run([str(BIN / "entityx"), *args], capture_output=True, text=True,
                          env={**environment, "COLUMNS": "250", **(env or {})}, check=False)


def run_local(*args: str) -> subprocess.CompletedProcess:
    """``run_cli`` without ``ENTITYX_URL``, in this process: the pipeline is already loaded."""
    unset = {k: None for k in os.environ if k.startswith("ENTITYX_")}
    done = CliRunner(env={**unset, "COLUMNS": "250"}).invoke(cli, list(args))
    return subprocess.CompletedProcess(args, done.exit_code, done.stdout, done.stderr)


@pytest.mark.parametrize("fmt", FORMATS)
def test_client_mode_writes_what_the_local_pipeline_writes(server, fmt, tmp_path, nlp):
    other = tmp_path / "latin.txt"
    other.write_bytes(SHORT.encode("cp1252"))
    args = ["extract", str(SAMPLE), str(other), "-f", fmt, "--published", "2024-09-05"]
    local = run_local(*args)
    remote = run_cli(*args, env={"ENTITYX_URL": server.url, "ENTITYX_TOKEN": TOKEN})
    assert local.returncode == remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and "Hammouchi" in remote.stdout


def test_client_mode_never_imports_spacy(server):
    probe = (
        "import sys\nfrom entityx.cli import app\n"
        f"try:\n    app(['extract', {str(SAMPLE)!r}, '-f', 'jsonl'], prog_name='entityx')\n"
        "except SystemExit as done:\n    assert done.code == 0, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'numpy')), file=sys.stderr)\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ENTITYX_")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False,
                          env={**environment, "ENTITYX_URL": server.url, "ENTITYX_TOKEN": TOKEN})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["entities"] and done.stderr.strip() == "[]"


def test_client_mode_errors_are_one_line(server, tmp_path):
    closed = run_cli("extract", str(SAMPLE), env={"ENTITYX_URL": f"http://127.0.0.1:{free_port()}"})
    assert closed.returncode == 1 and closed.stderr.startswith("Error: cannot reach")
    refused = run_cli("extract", str(SAMPLE), env={"ENTITYX_URL": server.url, "ENTITYX_TOKEN": "wrong"})
    assert refused.returncode == 1 and "401" in refused.stderr and "Traceback" not in refused.stderr
    names = tmp_path / "names.jsonl"
    names.write_text('{"label": "ORG", "pattern": "Cellule Atlas"}\n', encoding="utf-8")
    patterns = run_cli("extract", str(SAMPLE), "--patterns", str(names),
                       env={"ENTITYX_URL": server.url, "ENTITYX_TOKEN": TOKEN})
    assert patterns.returncode == 1 and patterns.stderr.startswith("Error: --patterns cannot be used")


def test_time_limit_is_504_then_503_for_the_queued(tmp_path):
    live = Server(tmp_path, "--timeout", "0.5")
    try:
        long_text = (ARTICLE + "\n\n") * 80  # seconds of work, far past half a second
        with ThreadPoolExecutor(2) as pool:
            running = pool.submit(httpx.post, live.url + "/v1/extract", json={"text": long_text}, timeout=120)
            time.sleep(0.2)
            queued = pool.submit(httpx.post, live.url + "/v1/extract", json={"text": SHORT}, timeout=120)
            first, second = running.result(), queued.result()
        assert first.status_code == 504 and "longer than 0.5 s" in first.json()["error"]
        assert second.status_code == 503 and second.headers["retry-after"]
    finally:
        live.stop()


def test_sigterm_lets_the_request_in_flight_finish(tmp_path, nlp):
    live = Server(tmp_path)
    text = (ARTICLE + "\n\n") * 30  # a second or more of work
    answer = {}

    def ask():
        answer["response"] = httpx.post(live.url + "/v1/extract", json={"text": text}, timeout=120)
        answer["at"] = time.monotonic()

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.3)  # the request is in, and being worked on
    signalled = time.monotonic()
    code = live.stop()
    asking.join()
    assert answer["at"] > signalled, "the request was over before the signal: make the text longer"
    assert answer["response"].status_code == 200
    assert answer["response"].json() == entityx.extract(text).to_dict()
    # A clean exit: uvicorn either returns 0 or, in newer releases, re-raises the signal
    # once it has shut down (the shell then sees 143, like batch).
    assert code in (0, -signal.SIGTERM) and "Application shutdown complete" in live.log()


def test_client_reconnects_after_the_server_closed_an_idle_connection(server):
    from entityx.client import Remote

    remote = Remote(server.url, TOKEN)
    try:
        first = remote.post("/v1/extract", {"text": SHORT})
        time.sleep(6)  # past uvicorn's 5 s keep-alive: the server closes the connection
        assert remote.post("/v1/extract", {"text": SHORT}) == first
    finally:
        remote.close()


def test_client_reads_chunked_answers_as_a_proxy_may_send_them():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from entityx.client import Remote

    class Chunked(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            asked = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = json.dumps({"echo": asked["text"]}).encode()
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 7):
                piece = body[start:start + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")

        def log_message(self, *args):
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Chunked)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    remote = Remote(f"http://127.0.0.1:{proxy.server_address[1]}")
    try:
        assert remote.post("/v1/extract", {"text": "é" * 50}) == {"echo": "é" * 50}
        assert remote.post("/v1/extract", {"text": "deux"}) == {"echo": "deux"}  # same connection
    finally:
        remote.close()
        proxy.shutdown()
