"""What a user types, validated: resource names, field and prop specs, page routes."""
