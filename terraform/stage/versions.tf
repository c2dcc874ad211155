# Shared by every stage's root (terraform/environments/<stage>/ links this file, platform.tf, variables.tf and
# outputs.tf here): providers cannot live in the platform module, so they are written once for all stages.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Local state by default: `make deploy-infra` passes -backend-config=path=... so each target
  # (aws, localstack) and stage keeps its own file. For a team, switch to S3 (see docs/deploying.md):
  #   backend "s3" {}   with   -backend-config=bucket=... key=speaktracker/<stage>/infra.tfstate
  #                            region=ap-northeast-2 use_lockfile=true encrypt=true
  backend "local" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# CloudFront's WAF web ACL (and its log group) must be in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.tags
  }
}

# The user content's replica (used only when replicate_user_content is on).
provider "aws" {
  alias  = "replica"
  region = var.replica_region

  default_tags {
    tags = local.tags
  }
}
