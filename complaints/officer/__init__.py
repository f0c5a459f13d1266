"""The officer workspace: sign-in, the queue, case pages, referral, directory and audit (deny-by-default)."""
