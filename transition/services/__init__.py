"""Domain actions: typed, keyword-only functions named entity first (`request_submit`)."""
