"""The teacher's pages around the wizard: their courses this campaign, and each request."""
