"""Filing a complaint: the form's input, access codes, evidence and its store."""
