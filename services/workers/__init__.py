"""What the three worker services share: reads, exactly-once writes, outbox, health."""
