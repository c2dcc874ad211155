"""config.json for the SPA on AWS is built from the Terraform outputs alone."""

import json

import pytest
import web_config

INFRA = {"region": "ap-northeast-2", "cloudfront_distribution_id": "E123"}


def service_outputs(name):
    outputs = {"EndpointURL": f"https://{name}.execute-api.ap-northeast-2.amazonaws.com/api/", "RestAPIId": name}
    if name == "notifications":
        outputs["WebsocketConnectEndpointURL"] = "wss://ws1.execute-api.ap-northeast-2.amazonaws.com/api/"
    return outputs


def test_every_service_url_and_the_websocket_come_from_the_outputs():
    config = web_config.web_config(INFRA, {name: service_outputs(name) for name in web_config.SERVICES})
    assert config == {
        "region": "ap-northeast-2",
        "services": {name: f"https://{name}.execute-api.ap-northeast-2.amazonaws.com/api"
                     for name in web_config.SERVICES},
        "websocket": "wss://ws1.execute-api.ap-northeast-2.amazonaws.com/api",
    }


def test_a_service_not_deployed_yet_is_named():
    outputs = {name: service_outputs(name) for name in web_config.SERVICES if name != "practice"}
    with pytest.raises(web_config.MissingOutput, match="practice"):
        web_config.web_config(INFRA, outputs)


def test_main_reads_the_infra_root_and_each_service_directory(capsys):
    read = []

    def outputs(directory):
        read.append(directory.relative_to(web_config.ROOT).as_posix())
        return INFRA if directory.name == "dev" else service_outputs(directory.parts[-3])

    assert web_config.main(["--stage", "dev"], outputs) == 0
    assert read[0] == "terraform/environments/dev"
    assert read[1:] == [f"build/services/{name}/dev/terraform" for name in web_config.SERVICES]
    assert json.loads(capsys.readouterr().out)["services"]["identity"].endswith("/api")
