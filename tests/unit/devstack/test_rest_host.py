"""The dev stack's REST host answers every HTTP method as API Gateway would: no 5xx for a method no route has
(the fuzzer found TRACE and QUERY answered 501 by http.server, and then the body of such a request
read as the next request on a kept-alive connection)."""

import http.client
import threading

import pytest
import requests
from chalice import Chalice
from speaktracker_dev.host import chalice_config, create_rest_server
from support.emulator import free_port


@pytest.fixture
def base_url(tmp_path):
    app = Chalice(app_name="rest-host-test")

    @app.route("/hello")
    def hello():
        return {"hello": "world"}

    port = free_port()
    server = create_rest_server(app, chalice_config(app, tmp_path, "dev"), "127.0.0.1", port)
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.server.shutdown()
    server.server.server_close()


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "QUERY", "PROPFIND"])
def test_a_method_no_route_has_is_a_405_with_the_error_body(base_url, method):
    response = requests.request(method, f"{base_url}/hello", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["Allow"]


def test_routes_still_answer(base_url):
    assert requests.get(f"{base_url}/hello", timeout=10).json() == {"hello": "world"}
    assert requests.post(f"{base_url}/hello", timeout=10).status_code == 405


def test_the_body_of_a_rejected_method_is_not_read_as_the_next_request(base_url):
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=10)
    connection.request("TRACE", "/hello", body=b'{"message": ""}', headers={"Content-Type": "application/json"})
    rejected = connection.getresponse()
    assert (rejected.status, rejected.read()[:30]) == (405, b'{"error": "METHOD_NOT_ALLOWED"')
    connection.request("GET", "/hello")  # the same kept-alive connection
    answer = connection.getresponse()
    assert (answer.status, answer.read()) == (200, b'{"hello":"world"}')
    connection.close()
