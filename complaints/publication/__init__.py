"""What may be published of a narrative: redaction, personal names and the review queue."""
