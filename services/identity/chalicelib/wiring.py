"""Builds identity's use-case context from settings, once, on first use (not at import)."""

from __future__ import annotations

import functools

from speaktracker.aws import AwsClients
from speaktracker.events import publisher_from
from speaktracker.http import per_settings
from speaktracker.revocation import revocations_from_settings
from speaktracker.settings import Settings, get_settings

from .adapters.cognito import CognitoIdentityProvider
from .adapters.cognito_mfa import CognitoSoftwareTokens
from .adapters.dynamodb import DynamoCodeStore, DynamoConsentLinkStore, DynamoUserRepository
from .adapters.dynamodb_exports import DynamoExportRepository
from .adapters.dynamodb_recovery import DynamoRecoveryCodes
from .adapters.s3 import S3FileStore
from .adapters.ses import SesMailer
from .export_service import Exports
from .mfa_service import TwoStep
from .service import Identity


@functools.cache
def identity() -> Identity:
    settings = get_settings()
    clients = AwsClients(settings)
    dynamodb = clients.client("dynamodb")
    return Identity(
        users=DynamoUserRepository(dynamodb, settings.name("users")),
        codes=DynamoCodeStore(dynamodb, settings.name("verification-codes")),
        links=DynamoConsentLinkStore(dynamodb, settings.name("verification-codes")),
        recovery=DynamoRecoveryCodes(dynamodb, settings.name("verification-codes")),
        provider=CognitoIdentityProvider(
            clients.client("cognito-idp"), settings.cognito_user_pool_id, settings.cognito_client_id
        ),
        mailer=SesMailer(clients.client("ses"), settings.mail_sender),
        files=S3FileStore(clients.client("s3"), settings.name("user-content"), settings.presigned_url_seconds),
        events=publisher_from(clients),
        revocations=revocations_from_settings(settings),
        code_ttl=settings.verification_code_ttl_seconds,
        code_attempts=settings.verification_code_attempts,
        consent_age=settings.consent_age,
        consent_link_ttl=settings.consent_link_ttl_seconds,
        withdraw_link_ttl=settings.withdraw_link_ttl_seconds,
        web_app_url=settings.web_app_url,
    )


@functools.cache
def data_exports() -> Exports:
    """The data export use cases: identity's own users, bucket, mailer and publisher, plus the exports table."""
    settings, ctx = get_settings(), identity()
    return Exports(
        exports=DynamoExportRepository(AwsClients(settings).client("dynamodb"), settings.name("data-exports")),
        users=ctx.users,
        files=ctx.files,
        mailer=ctx.mailer,
        events=ctx.events,
    )


def _two_step(settings: Settings) -> TwoStep:
    """Two-step sign-in: Cognito's software tokens, with identity's own provider, users and mailer."""
    ctx = identity()
    return TwoStep(
        tokens=CognitoSoftwareTokens(
            AwsClients(settings).client("cognito-idp"), settings.cognito_user_pool_id, settings.cognito_client_id
        ),
        provider=ctx.provider,
        users=ctx.users,
        mailer=ctx.mailer,
        recovery=ctx.recovery,
    )


two_step = per_settings(_two_step)  # built on first use, and again for new settings (a new emulator in tests)
