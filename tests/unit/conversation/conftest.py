from support.services import use_service

use_service("conversation")
