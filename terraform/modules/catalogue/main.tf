# The resource catalogue as Terraform values: every table, queue and bucket of
# shared/speaktracker/catalogue.py, with the same logical names, keys, indexes, TTL
# attributes, queue settings and bucket prefixes. tests/infra/test_catalogue_drift.py
# parses this file and fails the build when the two disagree, so change both together.

locals {
  events_topic = "events"

  user_pool = {
    logical             = "users"
    client_logical      = "web"
    groups              = ["student", "tutor", "consent-pending"]
    password_min_length = 8
    access_token_hours  = 1
    id_token_hours      = 1
    refresh_token_days  = 30
    # Two-step sign-in: each user may turn on an authenticator app's code (software tokens).
    mfa_configuration    = "OPTIONAL"
    auth_session_minutes = 3
  }

  tables = {
    "users" = {
      owner    = "identity"
      hash_key = { name = "email", type = "S" }
      stream   = false
    }
    "verification-codes" = {
      owner         = "identity"
      hash_key      = { name = "email", type = "S" }
      range_key     = { name = "purpose", type = "S" }
      ttl_attribute = "ttl"
      stream        = false
    }
    "data-exports" = {
      owner     = "identity"
      hash_key  = { name = "email", type = "S" }
      range_key = { name = "exportId", type = "S" }
      indexes = {
        "sweep-index" = {
          hash_key   = { name = "sweepState", type = "S" }
          range_key  = { name = "sweepAt", type = "N" }
          projection = "ALL"
        }
      }
      stream = false
    }
    "tutors" = {
      owner    = "matching"
      hash_key = { name = "tutorEmail", type = "S" }
      indexes = {
        "open-name-index" = {
          hash_key   = { name = "openShard", type = "S" }
          range_key  = { name = "nameKey", type = "S" }
          projection = "ALL"
        }
        "all-name-index" = {
          hash_key   = { name = "tutorShard", type = "S" }
          range_key  = { name = "nameKey", type = "S" }
          projection = "ALL"
        }
      }
      stream = false
    }
    "tutor-requests" = {
      owner    = "matching"
      hash_key = { name = "requestId", type = "S" }
      indexes = {
        "tutorEmailStatus-index" = {
          hash_key   = { name = "tutorEmailStatus", type = "S" }
          range_key  = { name = "createdAt", type = "S" }
          projection = "ALL"
        }
        "studentEmail-index" = {
          hash_key   = { name = "studentEmail", type = "S" }
          range_key  = { name = "createdAt", type = "S" }
          projection = "ALL"
        }
        "outbox-index" = {
          hash_key   = { name = "outboxShard", type = "S" }
          range_key  = { name = "createdAt", type = "S" }
          projection = "ALL"
        }
      }
      stream = false
    }
    "tutor-students" = {
      owner     = "matching"
      hash_key  = { name = "tutorEmail", type = "S" }
      range_key = { name = "studentEmail", type = "S" }
      indexes = {
        "studentEmail-index" = {
          hash_key   = { name = "studentEmail", type = "S" }
          projection = "ALL"
        }
      }
      stream = false
    }
    "learning-sessions" = {
      owner     = "practice"
      hash_key  = { name = "studentEmail", type = "S" }
      range_key = { name = "sessionId", type = "S" }
      stream    = false
    }
    "sentence-audio" = {
      owner         = "practice"
      hash_key      = { name = "audioId", type = "S" }
      ttl_attribute = "ttl"
      stream        = false
    }
    "async-job-status" = {
      owner    = "practice"
      hash_key = { name = "jobId", type = "S" }
      indexes = {
        "ownerEmail-index" = {
          hash_key   = { name = "ownerEmail", type = "S" }
          range_key  = { name = "createdAt", type = "S" }
          projection = "ALL"
        }
      }
      ttl_attribute = "ttl"
      stream        = false
    }
    "pronunciation-results" = {
      owner     = "practice"
      hash_key  = { name = "studentEmail", type = "S" }
      range_key = { name = "resultId", type = "S" }
      stream    = false
    }
    "daily-statistics" = {
      owner     = "practice"
      hash_key  = { name = "studentEmail", type = "S" }
      range_key = { name = "date", type = "S" }
      stream    = false
    }
    "sentence-mastery" = {
      owner     = "practice"
      hash_key  = { name = "studentEmail", type = "S" }
      range_key = { name = "sentenceKey", type = "S" }
      stream    = false
    }
    "student-tutors" = {
      owner    = "practice"
      hash_key = { name = "studentEmail", type = "S" }
      stream   = false
    }
    "ai-conversations" = {
      owner     = "conversation"
      hash_key  = { name = "conversationId", type = "S" }
      range_key = { name = "itemKey", type = "S" }
      indexes = {
        "studentEmail-index" = {
          hash_key   = { name = "studentEmail", type = "S" }
          range_key  = { name = "startedAt", type = "S" }
          projection = "ALL"
        }
      }
      ttl_attribute = "ttl"
      stream        = false
    }
    "generated-content" = {
      owner         = "conversation"
      hash_key      = { name = "contentId", type = "S" }
      ttl_attribute = "expiresAt"
      stream        = false
    }
    "notifications" = {
      owner     = "notifications"
      hash_key  = { name = "userEmail", type = "S" }
      range_key = { name = "notificationId", type = "S" }
      indexes = {
        "unread-index" = {
          hash_key   = { name = "unreadUserEmail", type = "S" }
          range_key  = { name = "notificationId", type = "S" }
          projection = "ALL"
        }
      }
      ttl_attribute = "ttl"
      stream        = false
    }
    "websocket-connections" = {
      owner    = "notifications"
      hash_key = { name = "connectionId", type = "S" }
      indexes = {
        "userEmail-index" = {
          hash_key   = { name = "userEmail", type = "S" }
          projection = "ALL"
        }
      }
      ttl_attribute = "ttl"
      stream        = false
    }
    "feedback-messages" = {
      owner     = "notifications"
      hash_key  = { name = "compositeKey", type = "S" }
      range_key = { name = "timestamp", type = "S" }
      indexes = {
        "studentEmail-index" = {
          hash_key   = { name = "studentEmail", type = "S" }
          range_key  = { name = "timestamp", type = "S" }
          projection = "ALL"
        }
        "tutorEmail-index" = {
          hash_key   = { name = "tutorEmail", type = "S" }
          range_key  = { name = "timestamp", type = "S" }
          projection = "ALL"
        }
      }
      stream = false
    }
    "tutor-links" = {
      owner    = "notifications"
      hash_key = { name = "studentEmail", type = "S" }
      stream   = false
    }
    "push-receipts" = {
      owner         = "notifications"
      hash_key      = { name = "receiptKey", type = "S" }
      ttl_attribute = "ttl"
      stream        = false
    }
    "rate-limits" = {
      owner         = "platform"
      hash_key      = { name = "counterKey", type = "S" }
      ttl_attribute = "ttl"
      stream        = false
    }
    "revoked-users" = {
      owner         = "platform"
      hash_key      = { name = "subjectKey", type = "S" }
      ttl_attribute = "ttl"
      stream        = false
    }
  }

  queues = {
    "tts" = {
      consumer              = "practice"
      visibility_timeout    = 120
      max_receive_count     = 3
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = []
    }
    "ai-chat" = {
      consumer              = "conversation"
      visibility_timeout    = 180
      max_receive_count     = 2
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = []
    }
    "ai-feedback" = {
      consumer              = "conversation"
      visibility_timeout    = 120
      max_receive_count     = 3
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = []
    }
    "notifications-events" = {
      consumer              = "notifications"
      visibility_timeout    = 60
      max_receive_count     = 5
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = ["tutor_match", "student_status_update", "feedback", "tts_ready", "ai_reply_ready", "turn_feedback_ready", "practice_result", "user_deleted", "user_export_requested", "user_export_ready"]
    }
    "practice-events" = {
      consumer              = "practice"
      visibility_timeout    = 60
      max_receive_count     = 5
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = ["tutor_match", "conversation_turn_completed", "user_deleted", "user_export_requested"]
    }
    "conversation-events" = {
      consumer              = "conversation"
      visibility_timeout    = 60
      max_receive_count     = 5
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = ["tutor_match", "user_deleted", "user_export_requested"]
    }
    "matching-events" = {
      consumer              = "matching"
      visibility_timeout    = 60
      max_receive_count     = 5
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = ["user_registered", "user_profile_updated", "user_deleted", "user_export_requested"]
    }
    "identity-events" = {
      consumer              = "identity"
      visibility_timeout    = 120
      max_receive_count     = 5
      retention_seconds     = 86400
      receive_wait_seconds  = 20
      dlq_retention_seconds = 1209600
      subscribes_to         = ["user_export_part_ready"]
    }
  }

  buckets = {
    "user-content" = {
      versioned      = true
      browser_access = true
      prefixes = {
        "tts/"              = { expiration_days = 7 }
        "user-audio/"       = { expiration_days = 30 }
        "profile-images/"   = { expiration_days = null }
        "exports/"          = { expiration_days = 7 }
        "generated-images/" = { expiration_days = 31 }
      }
    }
    "frontend" = {
      versioned      = false
      browser_access = false
      prefixes = {
      }
    }
  }
}
