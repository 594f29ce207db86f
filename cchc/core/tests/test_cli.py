import pytest

from cchc.cli import PLATFORM_COMMANDS, build_parser, main


def test_every_platform_command_is_registered_by_its_module():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(PLATFORM_COMMANDS) <= set(sub.choices)


def test_help_lists_platform_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "calendar" in out and "catalog" in out and "index" in out


@pytest.mark.django_db
def test_django_management_commands_pass_through(capsys):
    main(["check"])
    assert "no issues" in capsys.readouterr().out
