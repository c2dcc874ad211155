variable "google" {
  description = "The Google OAuth client (Google Cloud console > APIs & Services > Credentials): its client id, and the Secrets Manager id of a secret holding its client secret. An empty client id declares no Google sign-in."
  type = object({
    client_id        = optional(string, "")
    client_secret_id = optional(string, "")
  })
  default = {}

  validation {
    condition     = var.google.client_id == "" || var.google.client_secret_id != ""
    error_message = "Google sign-in needs client_secret_id (a Secrets Manager secret with the client secret) with its client_id."
  }
}

variable "kakao" {
  description = "The Kakao Login app (Kakao Developers > My Application): its REST API key as the client id, and the Secrets Manager id of a secret holding its client secret. An empty client id declares no Kakao sign-in."
  type = object({
    client_id        = optional(string, "")
    client_secret_id = optional(string, "")
  })
  default = {}

  validation {
    condition     = var.kakao.client_id == "" || var.kakao.client_secret_id != ""
    error_message = "Kakao sign-in needs client_secret_id (a Secrets Manager secret with the client secret) with its client_id."
  }
}
