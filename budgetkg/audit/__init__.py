"""The audit: SHACL validation of the stored graphs against shapes/ and the report of its findings."""
