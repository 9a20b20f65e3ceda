"""manage.py shell --print-sql prints each statement as it runs."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from fetchplan.management.commands.shell import SQL_LINE

from fetchplan_tests.compat import qn

pytestmark = pytest.mark.django_db

CODE = (
    "from fetchplan_tests.testapp.models import Writer; Writer.objects.filter(name='Ann').count()"
)


def test_print_sql_prints_sql_time_params_and_call_site() -> None:
    out = StringIO()
    call_command("shell", "--print-sql", "--no-imports", command=CODE, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    sql, detail = lines
    assert sql.startswith("SELECT COUNT(*)")
    assert f"{qn('testapp_writer')}.{qn('name')} = %s" in sql
    assert re.fullmatch(
        r"-- \d+\.\d\d ms on default, params \('Ann',\), at <string>:1 in <module>", detail
    )
    assert out.getvalue() == SQL_LINE.format(
        sql=sql, ms=float(detail.split()[1]), alias="default", params=("Ann",),
        call_site="<string>:1 in <module>",
    ) + "\n"  # fmt: skip


def test_without_the_flag_nothing_is_printed() -> None:
    out = StringIO()
    call_command("shell", "--no-imports", command=CODE, stdout=out)
    assert out.getvalue() == ""
