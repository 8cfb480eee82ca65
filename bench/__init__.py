"""`make bench`: command latency through the sandbox, against a trivial baseline."""
