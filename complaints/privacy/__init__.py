"""Key rotation, retention and the log filters that keep personal data out of logs."""
