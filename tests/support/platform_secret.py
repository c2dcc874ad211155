"""The fixed platform secret of the tests (never a stage's): unit tests get it as a setting, the integration
tests' emulator holds it in Secrets Manager, as AWS does."""

TEST_PLATFORM_SECRET = "test-platform-secret-0123456789abcdef0123456789abcdef"
