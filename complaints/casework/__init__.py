"""What officers do with a complaint: the lifecycle, triage, referral, duplicates and the queue."""
