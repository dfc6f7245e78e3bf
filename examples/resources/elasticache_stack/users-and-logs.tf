# RBAC users of the stack's own and slow/engine log delivery. Passwords are write-only: they come
# from an ephemeral variable (or an ephemeral resource), never reach state or plan, and
# `passwords_wo_version` is what sends new ones.
variable "session_password" {
  description = "Password of the app user (write-only: never stored)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

resource "elasticache_stack" "secured_sessions" {
  name = "agent-secured-sessions"

  network = {
    subnet_ids                 = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"]
    allowed_security_group_ids = ["sg-0123456789abcdef0"]
  }

  security = {
    users = {
      # Clients send AUTH app <password>; only session keys, no admin commands.
      app = {
        access_string        = "on ~sess:* +@read +@write +@scripting -@dangerous"
        passwords_wo         = [var.session_password]
        passwords_wo_version = 1
      }
      # An IAM identity with elasticache:Connect logs in as "agent-secured-sessions-ops" with an IAM token.
      ops = {
        access_string  = "on ~* +@all"
        authentication = "iam"
      }
    }
    # The stack adds a disabled `default` user (off -@all) to its group, as AWS requires one.
  }

  logs = {
    slow           = true
    engine         = true
    destination    = "cloudwatch-logs" # log groups /elasticache/agent-secured-sessions/slow-log and /engine-log
    format         = "json"
    retention_days = 30
  }
}
