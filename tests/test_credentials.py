"""Credentials in (Open Badges 3.0 / CLR 2.0 → a learner file) and transfer values out (CTDL-aligned export).

Every credential left out is reported with its place and reason code; the export of every sample standard is
byte-stable and parses."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from cli_run import run
from creditrules import compile_standards
from creditrules.credentials import import_credentials, load_credential_map
from creditrules.transfer import export_document, export_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credentials" / "ob3.json"
MAP = ROOT / "examples" / "credentials" / "map.yaml"
STANDARD = "yrd-computer-application"
AS_OF = date(2025, 6, 30)
WEB = "urn:uuid:5f1c2a3e-0b6d-4f5e-9a51-7e0c1d2b3a41"


def example() -> list[dict]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def imported(credentials: list, **options):
    return import_credentials(credentials, load_credential_map(MAP), AS_OF, source="c.json", **options)


def test_the_example_imports_two_achievements_and_reports_the_third(tmp_path: Path):
    out = tmp_path / "learner.json"
    code, stdout, err = run("import-credentials", "--credentials", str(EXAMPLE), "--map", str(MAP), "--as-of",
                            "2025-06-30", "--output", str(out))
    assert (code, stdout) == (1, "")
    assert err == (f"creditrules: not imported: {EXAMPLE}: credential 3 (urn:uuid:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d): "
                   "no entry of the credential map matches achievement 'https://club.example.org/badges/chess' "
                   "[no-match]\ncreditrules: 2 achievement(s) imported, 1 credential(s) not imported\n")
    learner = json.loads(out.read_text(encoding="utf-8"))
    assert learner == {"id": "did:example:S-2024-0001", "achievements": [
        {"id": WEB, "code": "X-WEB", "obtained": "2024-06-15", "verified": False,
         "issuer": "https://cert.example.org.cn/issuers/web-1x", "level": "中级"},
        {"id": "urn:uuid:0d9e8f7a-6b5c-4d3e-8f21-3a4b5c6d7e8f", "code": "X-CLOUD", "obtained": "2025-01-10",
         "verified": False, "issuer": "https://cloud.example.org.cn/issuer", "level": "中级"}]}
    code, text, _ = run("evaluate", "--standards", str(ROOT / "standards"), "--standard", STANDARD, "--learner",
                        str(out), "--as-of", "2025-06-30", "--format", "json")
    assert code == 0 and json.loads(text)["total"] == 11


def test_the_standard_maps_alignments_to_its_own_codes():
    credentials = example()[1:2]
    del credentials[0]["credentialSubject"]["achievement"]["id"]
    library = compile_standards([ROOT / "standards"])
    ruleset = library[STANDARD].ruleset_for(AS_OF)
    result = import_credentials(credentials, None, AS_OF, known_codes={c: c for c in ruleset.catalog})
    assert [a["code"] for a in result.learner["achievements"]] == ["X-CLOUD"] and not result.unmapped
    code, out, err = run("import-credentials", "--credentials", str(EXAMPLE), "--standards", str(ROOT / "standards"),
                         "--standard", STANDARD, "--as-of", "2025-06-30", "--lang", "zh")
    assert code == 1 and [a["code"] for a in json.loads(out)["achievements"]] == ["X-CLOUD"]
    assert "凭证映射中没有条目匹配成果 'https://cert.example.org.cn/achievements/web-frontend'" in err


def test_mark_verified_is_the_callers_statement():
    result = imported(example()[:1], mark_verified=True)
    assert result.learner["achievements"][0]["verified"] is True


def _broken(change) -> dict:
    credential = copy.deepcopy(example()[0])
    change(credential)
    return credential


@pytest.mark.parametrize("change, code, reason", [
    (lambda c: c.update(type=["VerifiableCredential"]), "not-credential",
     "not a verifiable credential: expected its type must include VerifiableCredential and one of "
     "AchievementCredential, ClrCredential, OpenBadgeCredential"),
    (lambda c: c["credentialSubject"].pop("achievement"), "no-achievement",
     "credentialSubject has no 'achievement' object"),
    (lambda c: c.pop("issuer"), "no-issuer", "no 'issuer' (a URL or an object with 'id')"),
    (lambda c: c.pop("validFrom"), "no-date", "no date: neither 'awardedDate', 'validFrom' nor 'issuanceDate'"),
    (lambda c: c.update(validFrom="15/06/2024"), "bad-date",
     "'validFrom' \"15/06/2024\" is not a date and time (ISO 8601, e.g. 2024-06-15T00:00:00Z)"),
    (lambda c: c.update(validUntil="2025-01-01T00:00:00Z"), "expired",
     "the credential expired on 2025-01-01 ('validUntil'), before the as-of date 2025-06-30"),
    (lambda c: c.update(validFrom="2026-01-01T00:00:00Z"), "not-yet-valid",
     "the credential is valid only from 2026-01-01 ('validFrom'), after the as-of date 2025-06-30"),
    (lambda c: c["credentialSubject"]["result"].clear(), "no-result",
     "attribute 'level' comes from the result '等级', which the credential does not have"),
])
def test_a_credential_left_out_says_where_and_why(change, code, reason):
    result = imported([_broken(change)])
    assert result.learner["achievements"] == []
    [item] = result.unmapped
    where = "c.json: credential 1" if code == "not-credential" else f"c.json: credential 1 ({WEB})"
    assert item.to_dict() == {"where": where, "reason_code": code, "reason": reason,
                              "reason_zh": item.reason_zh}
    assert item.reason_zh


@pytest.mark.parametrize("written, day", [
    ("2024-06-15T23:30:00-05:00", date(2024, 6, 15)), ("2024-06-15T00:00:00Z", date(2024, 6, 15)),
    ("2024-06-15", date(2024, 6, 15)), ("2024-06-15T08:00:00.123+08:00", date(2024, 6, 15)),
    ("2024-W24-6", None), ("20240615", None), ("2024-02-30T00:00:00Z", None), ("2024-06-15 08:00", None),
])
def test_credential_dates_are_read_as_written(written, day):
    from creditrules.credentials import _day

    assert _day(written) == day


def test_a_credential_twice_and_another_subject_are_reported():
    first = example()[0]
    other = _broken(lambda c: c.update(id="urn:x", credentialSubject={**c["credentialSubject"], "id": "did:other"}))
    result = imported([first, first, other])
    assert [(u.where, u.reason_code) for u in result.unmapped] == [
        (f"c.json: credential 2 ({WEB})", "duplicate"), ("c.json: credential 3 (urn:x)", "other-subject")]
    assert result.unmapped[0].reason == f"the same credential id '{WEB}' again (also c.json: credential 1 ({WEB})); " \
                                        "it is imported once"


def test_two_matching_entries_are_ambiguous(tmp_path: Path):
    path = tmp_path / "map.yaml"
    path.write_text("achievements:\n  - {alignment: {targetCode: WEB-FRONTEND}, code: X-WEB}\n"
                    "  - {achievementType: Certificate, code: X-CLOUD}\n", encoding="utf-8")
    result = import_credentials(example()[:1], load_credential_map(path), AS_OF, source="c.json")
    [item] = result.unmapped
    assert item.reason == (f"achievement 'https://cert.example.org.cn/achievements/web-frontend'; aligned to "
                           "targetCode 'WEB-FRONTEND', targetFramework '1+X 职业技能等级证书', targetUrl "
                           "'https://cert.example.org.cn/framework/web-frontend', targetName 'Web前端开发' matches 2 "
                           f"entries of the credential map ({path}:2:5, {path}:3:5); it must match one")


def test_a_clr_holds_several_credentials():
    clr = {"type": ["VerifiableCredential", "ClrCredential"], "credentialSubject": {"verifiableCredential": example()}}
    result = imported([clr])
    assert len(result.learner["achievements"]) == 2
    assert result.unmapped[0].where == "c.json: credential 1 (CLR), credential 3 " \
                                       "(urn:uuid:9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d)"


@pytest.mark.parametrize("text, message", [
    ("- x\n", "MAP:1:1: a credential map is a mapping with one key, 'achievements': a list of entries such as "
              "{alignment: {targetCode: WEB}, code: X-WEB}"),
    ("achievements:\n  - {code: X-WEB}\n", "MAP:2:5: the entry says nothing to match: give 'id', 'alignment' or "
                                           "'achievementType'"),
    ("achievements:\n  - {id: x}\n", "MAP:2:5: the entry has no 'code' (the catalogue code it maps to)"),
    ("achievements:\n  - x\n", "MAP:2:5: an entry must be a mapping with 'code' and one of id, alignment, "
                                "achievementType"),
    ("achievements:\n  - {id: 3, code: X}\n", "MAP:2:6: 'id' must be text"),
    ("achievements:\n  - {id: x, code: X, level: [a, b]}\n", "MAP:2:22: an attribute is one value, not a list"),
    ("achievements:\n  - {id: x, code: X, alignment: {code: 1}}\n",
     "MAP:2:22: 'alignment' is a mapping of targetCode, targetFramework, targetUrl, targetName"),
    ("achievements:\n  - {id: x, code: X, obtained: '2024-01-01'}\n",
     "MAP:2:22: 'obtained' comes from the credential; it cannot be set here"),
    ("achievements:\n  - {id: x, code: X, level: {from: 等级}}\n",
     "MAP:2:22: an attribute is a value, or {result: NAME} to take the value of the credential's result NAME"),
])
def test_a_bad_credential_map_is_a_located_usage_error(tmp_path: Path, text: str, message: str):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("import-credentials", "--credentials", str(EXAMPLE), "--map", str(path))
    assert (code, out, err) == (2, "", f"creditrules: {message.replace('MAP', str(path))}\n")


def test_map_errors_in_chinese(tmp_path: Path):
    path = tmp_path / "map.yaml"
    path.write_text("achievements:\n  - {id: x}\n", encoding="utf-8")
    code, _, err = run("import-credentials", "--credentials", str(EXAMPLE), "--map", str(path), "--lang", "zh")
    assert (code, err) == (2, f"creditrules: {path}:2:5：该条目缺少 'code'（对应的目录代码）\n")


def test_unusable_credential_files_are_errors(tmp_path: Path):
    bad = tmp_path / "c.json"
    bad.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    assert run("import-credentials", "--credentials", str(bad), "--map", str(MAP)) == (
        1, "", f"creditrules: {bad}: invalid JSON: duplicate key 'a'\n")
    for written, why in [("NaN", "NaN is not a JSON number"), ("-Infinity", "-Infinity is not a JSON number"),
                         ("1e400", "1e400 is too large for a number")]:
        bad.write_text(f'{{"credentialSubject": {{"id": "L1", "result": [{{"value": {written}}}]}}}}', encoding="utf-8")
        assert run("import-credentials", "--credentials", str(bad), "--map", str(MAP)) == (
            1, "", f"creditrules: {bad}: invalid JSON: {why}\n")
    bad.write_text("[]", encoding="utf-8")
    assert run("import-credentials", "--credentials", str(bad), "--map", str(MAP)) == (
        1, "", f"creditrules: {bad}: no learner id: no credential names its subject (credentialSubject.id); give one "
               "(--learner-id)\n")
    assert run("import-credentials", "--credentials", str(EXAMPLE)) == (
        2, "", "creditrules: import-credentials needs --map, --standard or both: something must say which achievement "
               "is which code\n")


def test_text_from_a_credential_is_escaped_in_the_report(tmp_path: Path):
    credential = _broken(lambda c: c.update(id="x\u202eevil\nforged", issuer=None))
    path = tmp_path / "c.json"
    path.write_text(json.dumps([credential]), encoding="utf-8")
    _, _, err = run("import-credentials", "--credentials", str(path), "--map", str(MAP), "--as-of", "2025-06-30")
    assert "x\\u202eevil\\nforged" in err and "\u202e" not in err and err.count("\n") == 2


# ---------------------------------------------------------------- export

STANDARDS = sorted({p.stem for p in (ROOT / "standards").rglob("*.yaml") if not p.name.endswith(".cases.yaml")})


@pytest.fixture(scope="module")
def library():
    return compile_standards([ROOT / "standards"])


def test_the_export_of_every_sample_standard_is_stable_and_parses(library):
    for standard_id in library.standards:
        standard = library[standard_id]
        first, second = export_text(standard), export_text(standard)
        assert first == second and first.endswith("}\n")
        document = json.loads(first)
        assert document["@type"] == "creditrules:TransferValueExport"
        assert document["creditrules:standard"]["id"] == standard_id
        versions = document["creditrules:versions"]
        assert [v["creditrules:version"] for v in versions] == [s.version for s in sorted(
            standard.segments, key=lambda s: (s.effective_from, s.version))]
        for version in versions:
            for profile in version["ceterms:hasTransferValueProfile"]:
                assert profile["@type"] == "ceterms:TransferValueProfile"
                assert profile["ceterms:startDate"] == version["ceterms:startDate"]
                assert profile["ceterms:transferValueFrom"] and profile["ceterms:transferValueFor"]


def test_the_export_says_what_a_rule_is_worth(library):
    document = export_document(library[STANDARD], AS_OF)
    [version] = document["creditrules:versions"]
    profiles = {p["ceterms:identifier"]: p for p in version["ceterms:hasTransferValueProfile"]}
    web = profiles["web-core"]
    assert web["ceterms:transferValue"] == [{"@type": "schema:QuantitativeValue", "schema:unitText": "credit",
                                             "schema:value": 8}]
    assert [c["ceterms:codedNotation"] for c in web["ceterms:transferValueFor"]] == ["C201", "C202"]
    assert web["ceterms:transferValueFrom"][0]["creditrules:conditions"][:2] == [
        {"attribute": "code", "operator": "eq", "value": "X-WEB"}, {"attribute": "level", "operator": "ge",
                                                                    "value": "中级"}]
    hours = profiles["external-training"]["ceterms:transferValue"][0]
    assert hours["creditrules:per"] == {"total": "hours", "amount": 16, "credits": 1, "rounding": "down"}
    assert hours["schema:maxValue"] == 3
    assert version["creditrules:program"]["totalCredits"] == 140


def test_the_export_command(tmp_path: Path):
    out = tmp_path / "export.json"
    code, text, err = run("export", "--standards", str(ROOT / "standards"), "--standard", STANDARD, "--output",
                          str(out))
    assert (code, text, err) == (0, "", "")
    code, text, _ = run("export", "--standards", str(ROOT / "standards"), "--standard", STANDARD)
    assert code == 0 and text == out.read_text(encoding="utf-8")
    code, _, err = run("export", "--standards", str(ROOT / "standards"), "--standard", STANDARD, "--output",
                       str(ROOT / "standards" / "yangtze-delta" / "base.yaml"))
    assert code == 2 and "is the same file as standard file" in err
