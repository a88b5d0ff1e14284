"""xAPI export and LRS sending: statements valid against the xAPI 1.0.3 statement schema, cmi5 where it
applies, stable ids (a resend is no duplicate), pseudonyms only, and a sender that retries safely."""

from __future__ import annotations

import json
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.engine import load_rubric, load_scenario
from simulator.lms_export import collect
from simulator.lrs import LRSError, Sender, auth_header, statements_url
from simulator.paths import listening_rubric_path, scenarios_dir
from simulator.records import TrainingRecords
from simulator.training import TrainingRun
from simulator.xapi import CMI5_CATEGORY, VERBS, statements

SCHEMA = json.loads((Path(__file__).parent / "data" / "xapi-1.0.3-statement.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
RUBRIC = load_rubric(listening_rubric_path())
SCENARIO = load_scenario(scenarios_dir() / "first-call.yaml")


def play(store: TrainingRecords, trainee: str, choices: list[int], *, finish: bool = True) -> int:
    run = TrainingRun.start(store, trainee, SCENARIO, RUBRIC, coached=True)
    for number in choices:
        if run.session.finished:
            break
        run.choose(number, coached=True)
    while finish and not run.session.finished:
        run.choose(1, coached=True)
    assert run.attempt_id is not None
    return run.attempt_id


@pytest.fixture
def store(tmp_path):
    with TrainingRecords.open(tmp_path / "records.db") as s:
        yield s


def test_every_statement_is_valid_xapi_1_0_3(store):
    play(store, "falcon", [1, 2, 1])
    play(store, "heron", [2, 1], finish=False)
    items = statements(collect(store))
    assert items
    for item in items:
        errors = sorted(VALIDATOR.iter_errors(item), key=str)
        assert not errors, (item["verb"]["id"], [e.message for e in errors])


def test_the_schema_rejects_what_xapi_forbids():
    bad_actor = {"actor": {"objectType": "Agent"}, "verb": {"id": VERBS["answered"]}, "object": {"id": "urn:x:y"}}
    two_ifis = {
        "actor": {"mbox": "mailto:a@b.c", "account": {"homePage": "http://x.org", "name": "n"}},
        "verb": {"id": VERBS["answered"]},
        "object": {"id": "urn:x:y"},
    }
    bad_scaled = {
        "actor": {"account": {"homePage": "http://x.org", "name": "n"}},
        "verb": {"id": VERBS["passed"]},
        "object": {"id": "urn:x:y"},
        "result": {"score": {"scaled": 1.5}},
    }
    for item in (bad_actor, two_ifis, bad_scaled):
        assert list(VALIDATOR.iter_errors(item))


def test_verbs_and_cmi5_profile(store):
    attempt = play(store, "falcon", [1, 2, 1])
    items = statements(collect(store))
    verbs = [i["verb"]["id"] for i in items]
    assert verbs[0] == VERBS["launched"]
    assert verbs.count(VERBS["answered"]) == len(store.choices_of(attempt))
    assert verbs[-2] == VERBS["completed"] and verbs[-1] in (VERBS["passed"], VERBS["failed"])
    registrations = {i["context"]["registration"] for i in items}
    assert len(registrations) == 1
    for item in items:
        category = item["context"].get("contextActivities", {}).get("category", [])
        # cmi5-defined verbs carry the cmi5 category; "answered" is an allowed statement without it.
        assert (CMI5_CATEGORY in category) == (item["verb"]["id"] != VERBS["answered"])
    completed, verdict = items[-2], items[-1]
    assert completed["result"]["completion"] is True and completed["result"]["duration"].startswith("PT")
    assert verdict["result"]["success"] is (verdict["verb"]["id"] == VERBS["passed"])
    assert 0 <= verdict["result"]["score"]["scaled"] <= 1
    assert verdict["context"]["extensions"]


def test_a_harmful_attempt_fails(store):
    play(store, "falcon", [3, 3, 3, 3])
    record = collect(store)[0]
    assert record.attempt.harmful_count, "the test needs a path with a harmful choice"
    assert statements([record])[-1]["verb"]["id"] == VERBS["failed"]


def test_ids_are_stable_and_unique(store):
    play(store, "falcon", [1, 2, 1])
    play(store, "falcon", [2, 2, 2])
    first = statements(collect(store))
    second = statements(collect(store))
    assert [i["id"] for i in first] == [i["id"] for i in second]
    assert len({i["id"] for i in first}) == len(first)


def test_only_the_pseudonym_identifies_the_trainee(store):
    play(store, "kestrel-7", [1, 1])
    text = json.dumps(statements(collect(store), homepage="https://lms.example.org"))
    accounts = {json.dumps(i["actor"], sort_keys=True) for i in statements(collect(store))}
    assert accounts == {json.dumps({"objectType": "Agent", "account": {"homePage": "http://localhost/rtw-train",
                                                                       "name": "kestrel-7"}}, sort_keys=True)}
    assert "mbox" not in text and "https://lms.example.org" in text


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12))
def test_any_playthrough_exports_valid_statements(tmp_path_factory, picks):
    path = tmp_path_factory.mktemp("x") / "r.db"
    with TrainingRecords.open(path) as store:
        run = TrainingRun.start(store, "p", SCENARIO, RUBRIC, coached=False)
        for pick in picks:
            if run.session.finished:
                break
            offered = len(run.session.offered_choices())
            run.choose(1 + (pick - 1) % offered, coached=False)
        if run.attempt_id is None:
            return
        items = statements(collect(store))
    for item in items:
        assert VALIDATOR.is_valid(item)


# ------------------------------------------------------------------ the command
def test_export_xapi_file(tmp_path, capsys):
    db = tmp_path / "r.db"
    with TrainingRecords.open(db) as store:
        play(store, "falcon", [1, 2, 1])
    out = tmp_path / "statements.json"
    assert main(["export", "--db", str(db), "--xapi", str(out)]) == 0
    items = json.loads(out.read_text())
    assert items and all(VALIDATOR.is_valid(i) for i in items)
    assert out.stat().st_mode & 0o077 == 0
    assert "Wrote" in capsys.readouterr().err


def test_export_xapi_into_a_missing_folder_is_a_message(tmp_path, capsys):
    code = main(["export", "--db", str(tmp_path / "r.db"), "--xapi", str(tmp_path / "no" / "s.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("rtw-train: error:") and "Traceback" not in err


# ------------------------------------------------------------------ the LRS
class FakeLRS(BaseHTTPRequestHandler):
    """An LRS that stores statements by id, answers 409 to a batch holding a known id (as the spec allows),
    and fails the first ``flaky`` requests with 503."""

    stored: dict[str, dict] = {}
    flaky = 0
    seen_auth: list[str | None] = []
    seen_version: list[str | None] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def _answer(self, code):
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        type(self).seen_auth.append(self.headers.get("Authorization"))
        type(self).seen_version.append(self.headers.get("X-Experience-API-Version"))
        body = self._body()
        if type(self).flaky > 0:
            type(self).flaky -= 1
            return self._answer(503)
        if any(s["id"] in self.stored for s in body):
            return self._answer(409)
        for s in body:
            self.stored[s["id"]] = s
        self._answer(200)

    def do_PUT(self):
        body = self._body()
        sid = self.path.split("statementId=", 1)[1]
        if sid in self.stored:
            return self._answer(409 if self.stored[sid] != body else 204)
        self.stored[sid] = body
        self._answer(204)


@pytest.fixture
def lrs():
    FakeLRS.stored = {}
    FakeLRS.flaky = 0
    FakeLRS.seen_auth = []
    FakeLRS.seen_version = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLRS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xapi"
    server.shutdown()
    server.server_close()


def test_send_twice_stores_once(store, lrs):
    play(store, "falcon", [1, 2, 1])
    items = statements(collect(store))
    first = Sender(lrs, sleep=lambda s: None).send(items, batch=4)
    second = Sender(lrs, sleep=lambda s: None).send(items, batch=4)
    assert first.sent == len(items) and len(FakeLRS.stored) == len(items)
    assert second.sent + second.already_stored == len(items)
    assert len(FakeLRS.stored) == len(items)
    assert set(FakeLRS.seen_version) == {"1.0.3"}


def test_send_retries_server_errors(store, lrs):
    play(store, "falcon", [1, 2])
    items = statements(collect(store))
    FakeLRS.flaky = 2
    pauses: list[float] = []
    report = Sender(lrs, sleep=pauses.append).send(items)
    assert report.retries == 2 and pauses == [1.0, 2.0] and len(FakeLRS.stored) == len(items)


def test_send_gives_up_with_a_message(store, lrs):
    play(store, "falcon", [1])
    FakeLRS.flaky = 99
    with pytest.raises(LRSError, match="HTTP 503"):
        Sender(lrs, sleep=lambda s: None, retries=2).send(statements(collect(store)))


def test_unreachable_lrs_is_a_message():
    def refuse(request, timeout):
        raise urllib.error.URLError("connection refused")

    with pytest.raises(LRSError, match="could not be reached after 3 tries"):
        Sender("http://127.0.0.1:9/xapi", opener=refuse, sleep=lambda s: None, retries=2).send([{"id": "x"}])


def test_export_lrs_command_with_credentials_from_the_environment(tmp_path, lrs, monkeypatch, capsys):
    db = tmp_path / "r.db"
    with TrainingRecords.open(db) as store:
        play(store, "falcon", [1, 2, 1])
    monkeypatch.setenv("RTW_LRS_USER", "trainer")
    monkeypatch.setenv("RTW_LRS_PASSWORD", "s3cret")
    assert main(["export", "--db", str(db), "--lrs", lrs]) == 0
    assert FakeLRS.stored and FakeLRS.seen_auth[0] == auth_header({"RTW_LRS_USER": "trainer",
                                                                  "RTW_LRS_PASSWORD": "s3cret"})
    assert "s3cret" not in capsys.readouterr().err


@pytest.mark.parametrize("url", ["ftp://lrs.example.org", "lrs.example.org", "file:///etc/passwd"])
def test_only_http_lrs_addresses(url):
    with pytest.raises(LRSError):
        statements_url(url)


def test_statements_url_forms():
    assert statements_url("https://lrs.example.org/xapi/") == "https://lrs.example.org/xapi/statements"
    assert statements_url("https://lrs.example.org/xapi/statements") == "https://lrs.example.org/xapi/statements"


def test_export_xapi_never_replaces_the_database(tmp_path, capsys):
    db = tmp_path / "r.db"
    with TrainingRecords.open(db) as store:
        play(store, "falcon", [1, 2])
    before = db.read_bytes()
    assert main(["export", "--db", str(db), "--xapi", str(db)]) == 2
    assert "inputs are never modified" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_export_xapi_reads_a_read_only_copy(tmp_path, capsys):
    db = tmp_path / "r.db"
    with TrainingRecords.open(db) as store:
        play(store, "falcon", [1, 2])
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        assert main(["export", "--db", str(db), "--xapi", "-"]) == 0
        assert json.loads(capsys.readouterr().out)
    finally:
        tmp_path.chmod(0o755)
