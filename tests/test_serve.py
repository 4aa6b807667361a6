"""``creditrules serve``: a real server on 127.0.0.1 (uvicorn, a free port), called over HTTP.

What it answers is what the command prints: each answer is compared with ``creditrules …`` run
in-process on the same input, byte for byte; each error is asserted with its whole body.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import creditrules
from cli_run import run
from creditrules.serve import openapi_text
from creditrules.serve.letters import negotiate
from serve_server import RunningServer

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"
STANDARD = "yrd-computer-application"
LEARNER = ROOT / "examples" / "student-1x.yaml"
AS_OF = "2025-06-30"
YAML = {"content-type": "application/yaml"}
PROBLEM = "application/problem+json"

CASES = [  # standard, learner file, as-of: one of each kind of learner, and a later version
    ("yrd-computer-application", "student-1x", "2025-06-30"),
    ("yrd-computer-application", "student-1x", "2026-09-30"),
    ("ah-worker-cnc", "worker", "2025-06-30"),
    ("ah-farmer-agri", "farmer", "2025-10-15"),
    ("ah-senior-arts-certificate", "elderly", "2025-06-30"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with RunningServer(STANDARDS) as running:
        yield running


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)


def _cli(*argv: str) -> tuple[int, str, str]:
    """The command, given the folder the server serves as the server was given it (a rule's origin in a trace
    names its file by that path)."""
    if argv[0] in ("evaluate", "explain", "batch") and "--standards" not in argv:
        argv = (argv[0], "--standards", str(STANDARDS), *argv[1:])
    return run(*argv)


def _problem(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"] == PROBLEM
    return json.loads(response.text)


def _evaluate(server: RunningServer, body: bytes, params: dict[str, str], standard: str = STANDARD,
              headers: dict[str, str] | None = None) -> httpx.Response:
    return server.client.post(f"/v1/standards/{standard}/evaluate", params=params, content=body,
                              headers=YAML if headers is None else headers)


# ---------------------------------------------------------------- the same bytes as the command line


@pytest.mark.parametrize("standard, learner, as_of", CASES)
@pytest.mark.parametrize("trace", ["full", "compact", "none", "no-trace"])
def test_evaluate_answers_the_bytes_evaluate_prints(server, standard, learner, as_of, trace):
    path = ROOT / "examples" / f"{learner}.yaml"
    options = ["--no-trace"] if trace == "no-trace" else ["--trace", trace]
    code, out, _ = _cli("evaluate", "--standard", standard, "--learner", str(path), "--as-of", as_of,
                        "--format", "json", *options)
    assert code == 0
    params = {"as_of": as_of, **({"no_trace": "true"} if trace == "no-trace" else {"trace": trace})}
    response = _evaluate(server, path.read_bytes(), params, standard)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == out.encode("utf-8")


def test_a_json_learner_is_read_as_a_json_learner_file_is(server, tmp_path):
    learner = tmp_path / "learner.json"
    data = {"id": "J-1", "achievements": [{"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15",
                                           "verified": True}, {"id": "A2", "code": "X-WEB", "hours": "40"}]}
    learner.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _cli("evaluate", "--standard", STANDARD, "--learner", str(learner), "--as-of", AS_OF,
                        "--format", "json")
    assert code == 0
    response = _evaluate(server, learner.read_bytes(), {"as_of": AS_OF},
                         headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200
    assert response.content == out.encode("utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_letter_is_the_text_evaluate_prints(server, lang):
    code, out, _ = _cli("evaluate", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", AS_OF,
                        "--lang", lang)
    assert code == 0
    for accept in (None, "text/plain", "text/*;q=0.5, application/json;q=0.1", "*/*"):
        headers = {**YAML, **({"accept": accept} if accept else {})}
        response = server.client.post(f"/v1/standards/{STANDARD}/letter", params={"as_of": AS_OF, "lang": lang},
                                      content=LEARNER.read_bytes(), headers=headers)
        assert response.status_code == 200, accept
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text == out


def test_a_letter_in_a_representation_not_offered_is_406(server):
    response = server.client.post(f"/v1/standards/{STANDARD}/letter", params={"as_of": AS_OF},
                                  content=LEARNER.read_bytes(), headers={**YAML, "accept": "application/pdf"})
    assert response.status_code == 406
    assert _problem(response) == {
        "type": "urn:creditrules:problem:not-acceptable", "title": "No representation the client accepts",
        "status": 406,
        "detail": "the client accepts application/pdf; this resource is available as text/plain, text/html",
        "available": ["text/plain", "text/html"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_html_letter_is_the_page_evaluate_writes(server, lang):
    code, out, _ = _cli("evaluate", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", AS_OF,
                        "--lang", lang, "--format", "html")
    assert code == 0
    for accept in ("text/html", "text/html, text/plain;q=0.5"):
        response = server.client.post(f"/v1/standards/{STANDARD}/letter", params={"as_of": AS_OF, "lang": lang},
                                      content=LEARNER.read_bytes(), headers={**YAML, "accept": accept})
        assert response.status_code == 200, accept
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.text == out


@pytest.mark.parametrize("option, value", [("course", "C201"), ("course", "Ｃ２０１ "), ("achievement", "A2")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_answers_the_text_explain_prints(server, option, value, lang):
    code, out, _ = _cli("explain", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", AS_OF,
                        f"--{option}", value, "--lang", lang)
    assert code == 0
    response = server.client.post(f"/v1/standards/{STANDARD}/explain", content=LEARNER.read_bytes(), headers=YAML,
                                  params={"as_of": AS_OF, option: value, "lang": lang})
    assert response.status_code == 200
    assert response.text == out


def test_explain_of_an_unknown_course_says_what_the_command_says(server):
    code, _, err = _cli("explain", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", AS_OF,
                        "--course", "C2O1")
    assert code == 2
    response = server.client.post(f"/v1/standards/{STANDARD}/explain", content=LEARNER.read_bytes(), headers=YAML,
                                  params={"as_of": AS_OF, "course": "C2O1"})
    assert response.status_code == 400
    body = _problem(response)
    assert body == {
        "type": "urn:creditrules:problem:invalid-parameter", "title": "A parameter of the request is invalid",
        "status": 400, "detail": "'C2O1' is not a course of program 510201 (Computer Application Technology) "
                                 "(did you mean 'C201'?)", "parameter": "course"}
    assert err == f"creditrules: --course: {body['detail']}\n"


def test_explain_needs_exactly_one_subject(server):
    for params, detail in (({}, "give one of the parameters course, achievement"),
                           ({"course": "C201", "achievement": "A1"}, "give only one of the parameters course, "
                                                                     "achievement")):
        response = server.client.post(f"/v1/standards/{STANDARD}/explain", content=LEARNER.read_bytes(),
                                      headers=YAML, params={"as_of": AS_OF, **params})
        assert response.status_code == 400
        assert _problem(response) == {"type": "urn:creditrules:problem:invalid-parameter",
                                      "title": "A parameter of the request is invalid", "status": 400,
                                      "detail": detail, "parameter": "course"}
    response = server.client.post(f"/v1/standards/{STANDARD}/explain", content=LEARNER.read_bytes(), headers=YAML,
                                  params={"as_of": AS_OF, "achievement": " ", "lang": "zh"})
    assert _problem(response) == {"type": "urn:creditrules:problem:invalid-parameter", "title": "请求参数无效",
                                  "status": 400, "detail": "“achievement”为空；请给出成果编号，例如 A1",
                                  "parameter": "achievement"}


# ---------------------------------------------------------------- validate


def _broken_standard() -> bytes:
    text = (STANDARDS / "yangtze-delta" / "computer-application.yaml").read_text(encoding="utf-8")
    assert text.count("level: {at_least: 中级}") >= 2
    return text.replace("level: {at_least: 中级}", "level: {at_least: 中等}").encode("utf-8")


@pytest.mark.parametrize("shape", ["json", "text", "github", "sarif"])
def test_validate_reports_what_validate_reports_of_the_folder_with_the_file(server, tmp_path, shape):
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    (folder / "yangtze-delta" / "computer-application.yaml").write_bytes(_broken_standard())
    code, out, _ = _cli("validate", "--format", shape, str(folder))
    assert code == 1
    expected = out.replace(folder.as_uri() + "/", "").replace(f"{folder}/", "")
    response = server.client.post("/v1/validate", content=_broken_standard(), headers=YAML,
                                  params={"path": "yangtze-delta/computer-application.yaml", "format": shape})
    assert response.status_code == 200
    assert response.text == expected
    if shape == "json":
        problems = json.loads(response.text)["problems"]
        assert {(p["code"], p["path"]) for p in problems} == {("C035", "yangtze-delta/computer-application.yaml")}
        assert all(p["line"] > 0 and p["column"] > 0 for p in problems)
    # the served folder is untouched, and still served
    assert (STANDARDS / "yangtze-delta" / "computer-application.yaml").read_bytes() != _broken_standard()
    assert server.client.get("/v1/status").json()["ok"] is True


def test_validate_a_clean_file_in_the_folder_and_alone(server):
    same = (STANDARDS / "yangtze-delta" / "computer-application.yaml").read_bytes()
    response = server.client.post("/v1/validate", content=same, headers=YAML,
                                  params={"path": "yangtze-delta/computer-application.yaml", "format": "text"})
    code, out, _ = _cli("validate", "standards")
    assert code == 0
    assert response.text == out
    response = server.client.post("/v1/validate", content=same, headers=YAML, params={"alone": "true"})
    report = response.json()
    assert report["ok"] is False
    assert {p["code"] for p in report["problems"]} == {"C001"}  # extends yrd-base, which is not there alone
    assert report["problems"][0]["path"] == "standard.yaml"


def test_validate_locates_a_yaml_error(server):
    response = server.client.post("/v1/validate", content=b"id: x\nversion: [\n", headers=YAML,
                                  params={"alone": "1", "format": "text"})
    assert response.status_code == 200
    assert response.text.startswith("standard.yaml:3:1: Y001 YAML syntax error: ")


@pytest.mark.parametrize("path", ["../escape.yaml", "/etc/x.yaml", "a/../../b.yaml", "x.txt", "x.cases.yaml",
                                  ".hidden/x.yaml", "a\\b.yaml", ""])
def test_validate_refuses_a_place_outside_the_folder(server, path):
    response = server.client.post("/v1/validate", content=b"id: x\n", headers=YAML, params={"path": path})
    assert response.status_code == 400
    assert _problem(response) == {
        "type": "urn:creditrules:problem:invalid-parameter", "title": "A parameter of the request is invalid",
        "status": 400, "detail": f"'{path}' is not a standard file's place in the folder; give a relative path "
                                 "ending in .yaml, e.g. yangtze-delta/new.yaml", "parameter": "path"}


# ---------------------------------------------------------------- errors, each with its whole body


def test_malformed_yaml_learner(server, tmp_path, monkeypatch):
    body = b"id: L1\nachievements: [\n  {id: A1, code: X-WEB\n"
    (tmp_path / "learner.yaml").write_bytes(body)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("evaluate", "--standards", str(STANDARDS), "--standard", STANDARD, "--learner",
                       "learner.yaml", "--as-of", AS_OF)
    assert code == 1
    response = _evaluate(server, body, {"as_of": AS_OF})
    assert response.status_code == 400
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:invalid-learner", "title": "The learner record cannot be used",
        "status": 400, "detail": "learner.yaml: line 4, column 1: YAML syntax error: expected ',' or '}', but got "
                                 "'<stream end>' (while parsing a flow mapping at line 3, column 3)",
        "code": "Y001", "line": 4, "column": 1}
    assert err == f"creditrules: {problem['detail']}\n"


def test_malformed_json_learner(server, tmp_path, monkeypatch):
    body = b'{"id": "L1", "achievements": [\n  {"id": "A1",, }]}'
    (tmp_path / "learner.json").write_bytes(body)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("evaluate", "--standards", str(STANDARDS), "--standard", STANDARD, "--learner",
                       "learner.json", "--as-of", AS_OF)
    assert code == 1
    response = _evaluate(server, body, {"as_of": AS_OF}, headers={"content-type": "application/json"})
    assert response.status_code == 400
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:invalid-learner", "title": "The learner record cannot be used",
        "status": 400, "detail": "learner.json: invalid JSON: Expecting property name enclosed in double quotes: "
                                 "line 2 column 15 (char 45)", "line": 2, "column": 15}
    assert err == f"creditrules: {problem['detail']}\n"


def test_a_learner_that_is_no_record(server):
    response = _evaluate(server, b"- just\n- a list\n", {"as_of": AS_OF, "lang": "zh"})
    assert response.status_code == 400
    assert _problem(response) == {
        "type": "urn:creditrules:problem:invalid-learner", "title": "学习者记录无法使用", "status": 400,
        "detail": "learner.yaml: a learner record must be a mapping with 'id' and 'achievements', not a list"}


def test_a_learner_that_is_not_utf8(server):
    response = _evaluate(server, "id: L1\nname: 李明\n".encode("gb18030"), {"as_of": AS_OF})
    assert _problem(response) == {
        "type": "urn:creditrules:problem:invalid-learner", "title": "The learner record cannot be used",
        "status": 400, "detail": "learner.yaml: line 2, column 7: the file is not valid UTF-8; save it as UTF-8",
        "code": "Y001", "line": 2, "column": 7}


def test_unknown_standard_with_did_you_mean(server):
    code, _, err = _cli("evaluate", "--standard", "yrd-computer-applicaton", "--learner", str(LEARNER),
                        "--as-of", AS_OF)
    assert code == 2
    response = _evaluate(server, LEARNER.read_bytes(), {"as_of": AS_OF}, "yrd-computer-applicaton")
    assert response.status_code == 404
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:unknown-standard", "title": "No such standard", "status": 404,
        "detail": "no standard 'yrd-computer-applicaton' (did you mean 'yrd-computer-application'?)"}
    assert err == f"creditrules: --standard: {problem['detail']}\n"


@pytest.mark.parametrize("as_of, en, zh", [
    ("2025-6-30", "'2025-6-30' is not a date; write YYYY-MM-DD, e.g. 2024-09-01",
     "'2025-6-30' 不是日期；请写作 YYYY-MM-DD，例如 2024-09-01"),
    ("2025-02-30", "'2025-02-30' is not a day of the calendar; write YYYY-MM-DD, e.g. 2024-09-01",
     "'2025-02-30' 不是日历上的日期；请写作 YYYY-MM-DD，例如 2024-09-01"),
    ("20250630", "'20250630' is not a date; write 2025-06-30", "'20250630' 不是日期；请写作 2025-06-30"),
])
def test_bad_as_of(server, as_of, en, zh):
    code, _, err = _cli("evaluate", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", as_of)
    assert (code, err) == (2, f"creditrules: --as-of: {en}\n")
    for lang, detail, title in (("en", en, "A parameter of the request is invalid"), ("zh", zh, "请求参数无效")):
        response = _evaluate(server, LEARNER.read_bytes(), {"as_of": as_of, "lang": lang})
        assert response.status_code == 400
        assert _problem(response) == {"type": "urn:creditrules:problem:invalid-parameter", "title": title,
                                      "status": 400, "detail": detail, "parameter": "as_of"}


def test_no_version_in_force(server):
    code, _, err = _cli("evaluate", "--standard", STANDARD, "--learner", str(LEARNER), "--as-of", "2020-01-01")
    assert code == 1
    response = _evaluate(server, LEARNER.read_bytes(), {"as_of": "2020-01-01"})
    assert response.status_code == 422
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:cannot-decide",
        "title": "The learner cannot be decided under this standard", "status": 422,
        "detail": "no version of standard 'yrd-computer-application' is in force on 2020-01-01 (versions: 2024.1 "
                  "2024-09-01..2026-08-31, 2026.1 2026-09-01..)"}
    assert err == f"creditrules: {problem['detail']}\n"


def test_a_body_over_the_limit_is_413_before_it_is_read(server):
    limit = 2 * 1024 * 1024
    body = b"id: L1\n" + b"#" * limit
    expected = {"type": "urn:creditrules:problem:body-too-large", "title": "The request body is too large",
                "status": 413, "detail": f"the request body is more than {limit} bytes, the limit for a learner "
                                         "record", "code": "Y005", "limit": limit}
    response = _evaluate(server, body, {"as_of": AS_OF})
    assert response.status_code == 413
    assert _problem(response) == expected

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        for start in range(0, len(body), 65536):
            yield body[start:start + 65536]

    response = server.client.post(f"/v1/standards/{STANDARD}/evaluate", params={"as_of": AS_OF},
                                  content=chunks(), headers=YAML)
    assert response.status_code == 413
    assert _problem(response) == expected


def test_the_body_limit_follows_the_file_limit(server, monkeypatch):
    monkeypatch.setenv("CREDITRULES_MAX_FILE_BYTES", "100")
    response = server.client.post("/v1/validate", content=b"id: x\n" + b"#" * 100, headers=YAML,
                                  params={"lang": "zh"})
    assert response.status_code == 413
    assert _problem(response) == {"type": "urn:creditrules:problem:body-too-large", "title": "请求体过大",
                                  "status": 413, "detail": "请求体超过 100 字节，即标准文件的上限",
                                  "code": "Y005", "limit": 100}


@pytest.mark.parametrize("content_type, detail", [
    ("text/csv", "the body is sent as 'text/csv'; send application/json, application/x-yaml, application/yaml, "
                 "text/x-yaml, text/yaml"),
    ("application/yaml; charset=latin-1", "the body's charset is 'latin-1'; send UTF-8"),
    (None, "the request has no Content-Type; send application/json, application/x-yaml, application/yaml, "
           "text/x-yaml, text/yaml"),
])
def test_a_wrong_content_type_is_415(server, content_type, detail):
    headers = {"content-type": content_type} if content_type else {}
    response = server.client.post(f"/v1/standards/{STANDARD}/evaluate", params={"as_of": AS_OF},
                                  content=LEARNER.read_bytes(), headers=headers)
    assert response.status_code == 415
    assert _problem(response) == {"type": "urn:creditrules:problem:unsupported-media-type",
                                  "title": "Unsupported content type", "status": 415, "detail": detail}


def test_a_misspelt_or_bad_parameter_is_an_error_not_a_default(server):
    response = _evaluate(server, LEARNER.read_bytes(), {"asof": AS_OF})
    assert _problem(response) == {
        "type": "urn:creditrules:problem:invalid-parameter", "title": "A parameter of the request is invalid",
        "status": 400, "detail": "'asof' is not a parameter of this resource (did you mean 'as_of'?); its parameters "
                                 "are as_of, trace, no_trace, lang", "parameter": "asof"}
    response = _evaluate(server, LEARNER.read_bytes(), {"as_of": AS_OF, "trace": "verbose"})
    assert _problem(response)["detail"] == "'verbose' is not one of full, compact, none"
    response = _evaluate(server, LEARNER.read_bytes(), {"as_of": AS_OF, "lang": "fr"})
    assert _problem(response) == {
        "type": "urn:creditrules:problem:invalid-parameter", "title": "A parameter of the request is invalid",
        "status": 400, "detail": "'fr' is not one of en, zh", "parameter": "lang"}


def test_unknown_resource_and_method(server):
    response = server.client.get("/v1/nothing")
    assert response.status_code == 404
    assert _problem(response) == {"type": "urn:creditrules:problem:not-found", "title": "No such resource",
                                  "status": 404, "detail": "no resource at /v1/nothing; see /openapi.json"}
    response = server.client.get(f"/v1/standards/{STANDARD}/evaluate")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert _problem(response) == {"type": "urn:creditrules:problem:method-not-allowed",
                                  "title": "Method not allowed", "status": 405,
                                  "detail": "GET is not allowed here; use POST"}


# ---------------------------------------------------------------- batch


def _rows(tmp_path: Path) -> Path:
    rows = tmp_path / "rows.jsonl"
    lines = [
        {"learner": "L-2", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True},
        {"learner": "L-1", "id": "A1", "code": "X-CLOUD", "level": "高级", "obtained": "2024-03-01", "verified": True},
        {"learner": "L-1", "id": "A2", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01", "verified": True},
        {"learner": "L-3", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024/06/15"},
        {"id": "A9", "code": "X-WEB"},
    ]
    rows.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n{broken\n",
                    encoding="utf-8")
    return rows


def test_a_batch_answers_what_batch_writes(server, tmp_path):
    rows = _rows(tmp_path)
    decisions, rejects = tmp_path / "decisions.jsonl", tmp_path / "rejects.jsonl"
    code, _, _ = _cli("batch", "--standard", STANDARD, "--input", str(rows), "--output", str(decisions),
                      "--rejects", str(rejects), "--as-of", AS_OF, "--workers", "1")
    assert code == 0
    response = server.client.post(f"/v1/standards/{STANDARD}/batch", params={"as_of": AS_OF},
                                  content=rows.read_bytes(), headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    lines = decisions.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == answer["decisions"]
    for line in lines:  # each decision as batch writes it, byte for byte
        assert f"\n{line}".encode() in response.content
    assert [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()] == answer["rejects"]
    summary = answer["summary"]
    assert summary["ok"] and summary["adds_up"]
    assert summary["input"] == "body.jsonl" and "outputs" not in summary
    records = summary["records"]
    assert records["read"] == 6 == records["credited"] + records["unused"] + records["rejected"]
    assert records["rejected"] == len(answer["rejects"]) == 3
    assert [d["learner"] for d in answer["decisions"]] == ["L-1", "L-2", "L-3"]


def test_a_csv_batch(server):
    body = ("learner,id,code,level,obtained,verified\n"
            "L-1,A1,X-WEB,中级,2024-06-15,true\n"
            "L-2,A1,X-WEB,\"中级,2024-06-15,true\n").encode()
    response = server.client.post(f"/v1/standards/{STANDARD}/batch", params={"as_of": AS_OF, "trace": "none"},
                                  content=body, headers={"content-type": "text/csv; charset=utf-8"})
    assert response.status_code == 200
    answer = response.json()
    assert [d["learner"] for d in answer["decisions"]] == ["L-1"]
    assert [(r["line"], r["reason"]) for r in answer["rejects"]] == [
        (3, "a quote opened on this line is not closed; a cell cannot span lines")]


def test_a_batch_that_cannot_run(server, tmp_path):
    body = b"id,code\nA1,X-WEB\n"
    (tmp_path / "body.csv").write_bytes(body)
    code, _, err = _cli("batch", "--standard", STANDARD, "--input", str(tmp_path / "body.csv"), "--output",
                        str(tmp_path / "out.jsonl"), "--as-of", AS_OF)
    assert code == 1
    response = server.client.post(f"/v1/standards/{STANDARD}/batch", params={"as_of": AS_OF},
                                  content=body, headers={"content-type": "text/csv"})
    assert response.status_code == 422
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:invalid-batch", "title": "The batch cannot be run", "status": 422,
        "detail": "body.csv: the header has no 'learner' column (the learner's id); it has 'id', 'code'"}
    assert err == f"creditrules: {problem['detail']}\n".replace("body.csv", str(tmp_path / "body.csv"))


def test_a_base_standard_cannot_decide(server):
    code, _, err = _cli("evaluate", "--standard", "ah-base", "--learner", str(LEARNER), "--as-of", AS_OF)
    assert code == 1
    response = _evaluate(server, LEARNER.read_bytes(), {"as_of": AS_OF}, "ah-base")
    assert response.status_code == 422
    problem = _problem(response)
    assert problem == {
        "type": "urn:creditrules:problem:cannot-decide",
        "title": "The learner cannot be decided under this standard", "status": 422,
        "detail": "'ah-base' is a base standard; evaluate a standard that extends it"}
    assert err == f"creditrules: {problem['detail']}\n"


def test_a_batch_over_its_limit(tmp_path):
    with RunningServer(STANDARDS, max_batch_bytes=1000) as small:
        response = small.client.post(f"/v1/standards/{STANDARD}/batch", params={"as_of": AS_OF},
                                     content=b"x" * 1001, headers={"content-type": "text/csv"})
    assert response.status_code == 413
    assert _problem(response) == {"type": "urn:creditrules:problem:body-too-large",
                                  "title": "The request body is too large", "status": 413,
                                  "detail": "the request body is more than 1000 bytes, the limit for a batch of "
                                            "records", "limit": 1000}


# ---------------------------------------------------------------- reload


def _wait_for(predicate, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _save(path: Path, text: str) -> None:
    """As an editor saves: a new file renamed over the old, so no poll sees half a file."""
    temporary = path.with_name(path.name + ".saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_a_changed_standard_is_served_and_a_broken_one_is_not(tmp_path):
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    target = folder / "yangtze-delta" / "computer-application.yaml"
    original = target.read_text(encoding="utf-8")
    body = LEARNER.read_bytes()
    with RunningServer(folder, poll_interval=0.05) as server:
        first = _evaluate(server, body, {"as_of": AS_OF}).json()["standard"]
        assert first["version"] == "2024.1"
        failures: list[str] = []
        answered = [0]
        stop = threading.Event()

        def hammer() -> None:  # requests all through the reloads: every one must succeed
            with httpx.Client(base_url=server.url, timeout=60) as client:
                while not stop.is_set():
                    response = client.post(f"/v1/standards/{STANDARD}/evaluate", params={"as_of": AS_OF},
                                           content=body, headers=YAML)
                    if response.status_code != 200 or json.loads(response.content)["total"] <= 0:
                        failures.append(f"{response.status_code} {response.text[:200]}")
                    answered[0] += 1

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            # 1. a new version: served once it compiles
            _save(target, original.replace('version: "2024.1"', 'version: "2024.2"'))
            _wait_for(lambda: server.client.get("/v1/status").json()["generation"] == 2)
            second = _evaluate(server, body, {"as_of": AS_OF}).json()["standard"]
            assert second["version"] == "2024.2" and second["content_hash"] != first["content_hash"]
            # 2. a broken edit: the last good standards stay in service; the status says why
            _save(target, original.replace("kind: conversion", "kind: convertion"))
            _wait_for(lambda: server.client.get("/v1/status").json()["ok"] is False)
            status = server.client.get("/v1/status").json()
            assert status["generation"] == 2 and status["failed_reloads"] == 1
            problems = status["last_failed_reload"]["problems"]
            assert [(p["path"], p["line"], p["column"], p["code"]) for p in problems] == [
                ("yangtze-delta/computer-application.yaml", 4, 1, "E100")]
            assert _evaluate(server, body, {"as_of": AS_OF}).json()["standard"] == second
            # 3. fixed again: served, and the status is clean
            _save(target, original)
            _wait_for(lambda: server.client.get("/v1/status").json()["generation"] == 3)
            status = server.client.get("/v1/status").json()
            assert status["ok"] is True and status["last_failed_reload"] is None
            assert _evaluate(server, body, {"as_of": AS_OF}).json()["standard"] == first
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    assert failures == []
    assert answered[0] > 0


# ---------------------------------------------------------------- the description


def test_the_committed_openapi_is_in_sync_and_served(server):
    committed = (ROOT / "schema" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi_text(), (
        "schema/openapi.json is stale; regenerate it with 'creditrules serve --openapi > schema/openapi.json'")
    response = server.client.get("/openapi.json")
    assert response.status_code == 200
    assert response.text == committed
    code, out, _ = _cli("serve", "--openapi")
    assert (code, out) == (0, committed)


def test_every_route_is_described_and_nothing_else(server):
    described = {(path, method.upper()) for path, item in json.loads(openapi_text())["paths"].items()
                 for method in item}
    routed = {(route.path, method) for route in server.app.routes for method in route.methods if method != "HEAD"}
    assert described == routed


def test_every_problem_type_has_a_title_in_both_languages():
    from creditrules.messages import SERVICE
    from creditrules.serve.problems import STATUS

    for kind in STATUS:
        assert set(SERVICE[kind]) == {"en", "zh"}, kind
    for key, texts in SERVICE.items():
        assert set(texts) == {"en", "zh"}, key


@pytest.mark.parametrize("accept, chosen", [
    (None, "text/plain"), ("text/html", None), ("text/html, text/plain;q=0.5", "text/plain"),
    ("text/*", "text/plain"), ("*/*;q=0", None), ("text/plain;q=0, */*", None), ("TEXT/PLAIN", "text/plain"),
])
def test_negotiation(accept, chosen):
    assert negotiate(accept, ["text/plain"]) == chosen
    assert negotiate("text/html;q=0.9, text/plain;q=0.4", ["text/plain", "text/html"]) == "text/html"
    assert negotiate("*/*", ["text/plain", "text/html"]) == "text/plain"


# ---------------------------------------------------------------- the command


def test_creditrules_serve_runs_and_stops_on_sigterm():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "creditrules", "serve", "--port", "0", "--log-level",
                                "warning", "--poll", "0"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        served = len(creditrules.compile_standards(ROOT / "standards").standards)
        assert line.startswith(f"creditrules: serving {served} standard(s) from standards at http://127.0.0.1:"), line
        url = line.split(" at ")[1].split()[0]
        assert httpx.get(f"{url}/v1/status", timeout=30).json()["generation"] == 1
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=30)
    # uvicorn stops gracefully, then lets the signal end the process as it would have
    assert process.returncode == -signal.SIGTERM
    assert "Traceback" not in rest


def test_creditrules_serve_refuses_standards_that_do_not_compile(tmp_path):
    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    target = folder / "yangtze-delta" / "computer-application.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("kind: conversion", "kind: convertion"),
                      encoding="utf-8")
    code, out, err = _cli("serve", "--standards", str(folder), "--port", "0")
    assert code == 1 and out == ""
    assert f"{target}:4:1: E100 " in err
    assert err.endswith("creditrules: the standards have 1 error(s); run 'creditrules validate'\n")


def test_creditrules_serve_usage_errors(tmp_path):
    assert _cli("serve", "--standards", str(tmp_path / "none")) == (
        2, "", f"creditrules: --standards '{tmp_path / 'none'}' is not a folder\n")


@pytest.mark.skipif(shutil.which("curl") is None, reason="the example session uses curl")
def test_the_example_curl_session_runs(server):
    done = subprocess.run(["sh", str(ROOT / "examples" / "service.sh")], env={**os.environ, "CREDITRULES_URL": server.url},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "yangtze-delta/computer-application.yaml:80:7: C035 " in done.stdout
    assert '"type": "urn:creditrules:problem:unknown-standard"' in done.stdout


def test_serve_without_the_extra_says_how_to_get_it(monkeypatch):
    for name in [n for n in sys.modules if n == "creditrules.serve" or n.startswith("creditrules.serve.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(creditrules, "serve", raising=False)
    for name in [n for n in sys.modules if n == "starlette" or n.startswith("starlette.")]:
        monkeypatch.setitem(sys.modules, name, None)
    assert _cli("serve", "--port", "0") == (
        2, "", "creditrules: serve needs the creditrules[serve] extra (starlette is missing): "
               "pip install 'creditrules[serve]'\n")


def test_a_broken_reload_is_logged_with_its_diagnostics(tmp_path, caplog):
    from creditrules.serve import ServedStandards

    folder = tmp_path / "standards"
    shutil.copytree(STANDARDS, folder)
    served = ServedStandards(folder, interval=0)
    served.load()
    target = folder / "yangtze-delta" / "computer-application.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("kind: conversion", "kind: convertion"),
                      encoding="utf-8")
    with caplog.at_level("INFO", logger="creditrules.serve"):
        assert served.check_now() is False  # seen: wait one interval for the folder to settle
        assert served.check_now() is False  # settled, compiled, refused
    assert [r.getMessage() for r in caplog.records] == [
        f"standards in {folder} changed but do not compile; still serving generation 1; 1 problem(s):",
        "  yangtze-delta/computer-application.yaml:4:1: E100 kind: Input should be 'base', 'certification' or "
        "'conversion'"]
    assert served.bundle.generation == 1 and served.status()["ok"] is False


@pytest.mark.parametrize("body, code", [
    (b"id: L1\nachievements: &a [*a]\n", "Y003"),
    (b"id: !!python/object:os.system L1\n", "Y009"),
    (b"id: L1\nname: " + b"[" * 200 + b"]" * 200 + b"\n", "Y004"),
    (b"\t- id: L1\n", "Y008"),
    (b"", "Y007"),
])
def test_hostile_learner_bodies_are_located_problems(server, tmp_path, monkeypatch, body, code):
    (tmp_path / "learner.yaml").write_bytes(body)
    monkeypatch.chdir(tmp_path)
    _, _, err = run("evaluate", "--standards", str(STANDARDS), "--standard", STANDARD, "--learner",
                    "learner.yaml", "--as-of", AS_OF)
    response = _evaluate(server, body, {"as_of": AS_OF})
    assert response.status_code == 400
    problem = _problem(response)
    assert problem["type"] == "urn:creditrules:problem:invalid-learner"
    assert problem["code"] == code
    assert err == f"creditrules: {problem['detail']}\n"
