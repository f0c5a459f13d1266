"""The responder portal: a platform's representatives read and answer the complaints sent to their platform."""
