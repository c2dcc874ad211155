import os

from support.platform_secret import TEST_PLATFORM_SECRET

# Page cursors and pseudonyms are keyed by the platform secret; unit tests use a fixed one.
os.environ.setdefault("SPEAKTRACKER_PLATFORM_SECRET", TEST_PLATFORM_SECRET)
