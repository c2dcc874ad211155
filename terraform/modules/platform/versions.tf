terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
      # CloudFront's WAF web ACL lives in us-east-1; the user content's optional replica in aws.replica.
      configuration_aliases = [aws.us_east_1, aws.replica]
    }
  }
}
