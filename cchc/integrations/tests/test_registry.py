"""The adapter registry and `cchc integrations selftest`: the JSON contract and the exit codes."""

import json

import pytest

from cchc.cli import main
from cchc.core.envconf import ConfigError, integrations_from_env
from cchc.integrations import registry
from cchc.integrations.registry import Adapter, Check, CheckResult


@pytest.fixture
def isolated_registry(monkeypatch):
    """Only the adapters a test registers (the apps' own are put back afterwards)."""
    monkeypatch.setattr(registry, "_ADAPTERS", {})
    return registry


def run(capsys, *argv):
    code = main(["integrations", "selftest", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def boom():
    raise RuntimeError("không kết nối được")


def test_selftest_prints_the_contract_and_exits_0_when_all_pass(isolated_registry, capsys):
    registry.register(Adapter(name="alpha", endpoint=lambda: "local-fake:/alpha/",
                              checks=[Check("sign", lambda: (True, "khớp")), Check("ping", lambda: CheckResult(True, "ok"))]))
    code, out, _ = run(capsys, "--json")
    assert code == 0
    assert json.loads(out) == {"adapters": [{"name": "alpha", "endpoint": "local-fake:/alpha/", "ok": True, "checks": [
        {"name": "sign", "ok": True, "detail": "khớp"}, {"name": "ping", "ok": True, "detail": "ok"}]}]}


def test_one_failing_check_fails_the_adapter_and_exits_1(isolated_registry, capsys):
    registry.register(Adapter(name="alpha", endpoint="x", checks=[Check("ok", lambda: (True, ""))]))
    registry.register(Adapter(name="beta", endpoint="y", checks=[Check("ok", lambda: (True, "")), Check("down", boom)]))
    code, out, _ = run(capsys, "--json")
    assert code == 1
    data = json.loads(out)["adapters"]
    assert [(a["name"], a["ok"]) for a in data] == [("alpha", True), ("beta", False)]
    assert data[1]["checks"][1] == {"name": "down", "ok": False, "detail": "RuntimeError: không kết nối được"}


def test_only_runs_one_adapter_and_an_unknown_name_exits_2(isolated_registry, capsys):
    registry.register(Adapter(name="alpha", endpoint="x", checks=[Check("ok", lambda: (True, ""))]))
    registry.register(Adapter(name="beta", endpoint="y", checks=[Check("down", lambda: (False, "sai chữ ký"))]))
    code, out, _ = run(capsys, "--json", "--only", "alpha")
    assert code == 0 and [a["name"] for a in json.loads(out)["adapters"]] == ["alpha"]
    code, out, err = run(capsys, "--json", "--only", "gamma")
    assert code == 2 and out == "" and "--only" in err and "gamma" in err


def test_an_adapter_without_checks_does_not_pass(isolated_registry, capsys):
    registry.register(Adapter(name="empty", endpoint="x"))
    code, out, _ = run(capsys, "--json")
    assert code == 1 and json.loads(out)["adapters"][0]["ok"] is False


def test_human_output_marks_failures(isolated_registry, capsys):
    registry.register(Adapter(name="beta", endpoint="y", checks=[Check("down", lambda: (False, "sai chữ ký"))]))
    code, out, _ = run(capsys)
    assert code == 1 and "LỖI" in out and "sai chữ ký" in out


def test_integrations_setting_is_read_from_the_environment():
    env = {"CCHC_INTEGRATION_PAYMENT_BACKEND": "vnpay", "CCHC_INTEGRATION_PAYMENT_TMN_CODE": " ABC ", "PATH": "/bin"}
    assert integrations_from_env(env) == {"payment": {"backend": "vnpay", "tmn_code": "ABC"}}
    with pytest.raises(ConfigError, match="CCHC_INTEGRATION_PAYMENT"):
        integrations_from_env({"CCHC_INTEGRATION_PAYMENT": "x"})


def test_config_defaults_to_the_fake(settings):
    settings.INTEGRATIONS = {"payment": {"backend": "VNPAY ", "url": "https://gw"}}
    assert registry.config("payment") == {"backend": "vnpay", "url": "https://gw"}
    assert registry.config("postal") == {"backend": "fake"}
