"""/lich/ as people use it: a year outside the usual window stays selected in the year list."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_a_year_outside_the_default_window_is_still_the_selected_option(client):
    html = client.get("/lich/", {"nam": "2010"}).content.decode()
    assert '<option value="2010" selected>2010</option>' in html
    assert f'<option value="{dt.date.today().year}">' in html


@pytest.mark.parametrize("query", [{"nam": "xyz"}, {"nam": "99999999999999999999"}, {"nam": "-5"}, {"tinh": "%"}])
def test_odd_years_and_provinces_show_a_message_not_a_500(client, query):
    response = client.get("/lich/", query)
    assert response.status_code == 200 and 'class="error"' in response.content.decode()


def test_the_due_calculator_opened_without_input_sends_people_to_the_form(client):
    response = client.get("/lich/tinh-han/")
    assert response.status_code == 302 and response["Location"] == "/lich/"
