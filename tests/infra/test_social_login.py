"""Social sign-in in Terraform: Google and Kakao are declared only when their client ids are given (the
social_login module, which needs no provider, is applied offline), and the identity module builds exactly those
providers, the hosted UI's domain and the web client's OAuth settings from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .support import MODULES, blocks, resources, terraform, terraform_binary

pytestmark = pytest.mark.skipif(terraform_binary() is None, reason="terraform is not installed")

ROOT_MODULE = """
module "social_login" {
  source = "./social_login"
  google = var.google
  kakao  = var.kakao
}
variable "google" {
  type    = object({ client_id = optional(string, ""), client_secret_id = optional(string, "") })
  default = {}
}
variable "kakao" {
  type    = object({ client_id = optional(string, ""), client_secret_id = optional(string, "") })
  default = {}
}
output "identity_providers" { value = module.social_login.identity_providers }
output "supported_identity_providers" { value = module.social_login.supported_identity_providers }
output "hosted_ui" { value = module.social_login.hosted_ui }
"""


@pytest.fixture(scope="module")
def social_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("social")
    shutil.copytree(MODULES / "social_login", root / "social_login")
    (root / "main.tf").write_text(ROOT_MODULE)
    init = terraform(["init", "-backend=false", "-input=false", "-no-color"], cwd=root)
    assert init.returncode == 0, init.stdout + init.stderr
    return root


def chosen(root: Path, **clients: dict[str, str]) -> dict:
    (root / "terraform.tfvars.json").write_text(json.dumps(clients))
    state = root / "terraform.tfstate"
    state.unlink(missing_ok=True)
    applied = terraform(["apply", "-auto-approve", "-input=false", "-no-color"], cwd=root)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    out = terraform(["output", "-json"], cwd=root)
    return {name: v["value"] for name, v in json.loads(out.stdout).items()}


GOOGLE = {"client_id": "1234-abc.apps.googleusercontent.com", "client_secret_id": "speaktracker/prod/google-oauth"}
KAKAO = {"client_id": "0123456789abcdef0123456789abcdef", "client_secret_id": "speaktracker/prod/kakao-oauth"}


def test_no_client_id_declares_no_provider_and_no_hosted_ui(social_root):
    out = chosen(social_root, google={"client_id": ""}, kakao={})
    assert out == {"identity_providers": {}, "supported_identity_providers": ["COGNITO"], "hosted_ui": False}


def test_google_alone_is_declared_as_the_google_type(social_root):
    out = chosen(social_root, google=GOOGLE)
    assert list(out["identity_providers"]) == ["Google"] and out["hosted_ui"] is True
    google = out["identity_providers"]["Google"]
    assert google["provider_type"] == "Google" and google["client_id"] == GOOGLE["client_id"]
    assert google["client_secret_id"] == GOOGLE["client_secret_id"]
    assert google["attribute_mapping"]["email"] == "email"
    assert out["supported_identity_providers"] == ["COGNITO", "Google"]


def test_kakao_is_an_oidc_provider_with_kakaos_endpoints(social_root):
    out = chosen(social_root, kakao=KAKAO)
    assert list(out["identity_providers"]) == ["Kakao"]
    kakao = out["identity_providers"]["Kakao"]
    assert kakao["provider_type"] == "OIDC"
    assert kakao["provider_details"] == {
        "oidc_issuer": "https://kauth.kakao.com",
        "authorize_url": "https://kauth.kakao.com/oauth/authorize",
        "token_url": "https://kauth.kakao.com/oauth/token",
        "attributes_url": "https://kapi.kakao.com/v1/oidc/userinfo",
        "jwks_uri": "https://kauth.kakao.com/.well-known/jwks.json",
        "attributes_request_method": "GET",
        "authorize_scopes": "openid profile_nickname account_email",
    }
    assert kakao["attribute_mapping"]["email"] == "email"


def test_both_together(social_root):
    out = chosen(social_root, google=GOOGLE, kakao=KAKAO)
    assert out["supported_identity_providers"] == ["COGNITO", "Google", "Kakao"]


def test_a_client_id_without_its_secret_is_refused(social_root):
    (social_root / "terraform.tfvars.json").write_text(json.dumps({"kakao": {"client_id": "abc"}}))
    applied = terraform(["apply", "-auto-approve", "-input=false", "-no-color"], cwd=social_root)
    assert applied.returncode != 0 and "client_secret_id" in applied.stderr


def test_no_secret_is_in_the_repo_the_identity_module_reads_each_from_secrets_manager():
    identity = MODULES / "identity"
    found = resources(identity)
    provider = found[("aws_cognito_identity_provider", "this")]
    assert provider["for_each"] == "${var.identity_providers}"
    assert "data.aws_secretsmanager_secret_version.identity_provider[each.key].secret_string" in str(
        provider["provider_details"]
    )
    secret_vars = [name for name in blocks(MODULES / "social_login", "variable")]
    assert secret_vars == ["google", "kakao"]
    text = "".join(p.read_text() for p in (MODULES / "social_login").glob("*.tf"))
    assert 'client_secret"' not in text and "client_secret =" not in text


def test_the_hosted_ui_and_the_oauth_flow_follow_the_choice():
    identity = MODULES / "identity"
    found = resources(identity)
    assert found[("aws_cognito_user_pool_domain", "this")]["count"] == "${var.hosted_ui ? 1 : 0}"
    client = found[("aws_cognito_user_pool_client", "this")]
    assert client["supported_identity_providers"] == "${var.supported_identity_providers}"
    assert client["allowed_oauth_flows_user_pool_client"] == "${var.hosted_ui}"
    assert client["allowed_oauth_flows"] == '${var.hosted_ui ? ["code"] : null}'
    assert client["callback_urls"] == "${var.hosted_ui ? var.callback_urls : null}"
    platform = blocks(MODULES / "platform", "module")["identity"]
    assert platform["identity_providers"] == "${module.social_login.identity_providers}"
    assert platform["callback_urls"] == '${[for origin in local.spa_origins : "${origin}/auth/callback"]}'


def test_the_pool_offers_two_step_sign_in_with_software_tokens():
    pool = resources(MODULES / "identity")[("aws_cognito_user_pool", "this")]
    assert pool["mfa_configuration"] == "${var.user_pool.mfa_configuration}"
    assert pool["software_token_mfa_configuration"] == [{"enabled": True}]
    assert "sms_configuration" not in pool
