package io.wagate;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant: owns instances, authenticates with a TokenAccount (stored as its SHA-256 hash only). */
@Entity
@Table(name = "account")
public class Account {
  @Id
  private UUID id;

  @Column(nullable = false, unique = true)
  private String name;

  @Column(name = "token_hash", nullable = false, unique = true)
  private String tokenHash;

  @Column(name = "instance_quota", nullable = false)
  private int instanceQuota;

  @Column(name = "rate_limit_per_minute", nullable = false)
  private int rateLimitPerMinute;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  public Account() {
  }

  public Account(String name, String tokenHash, int instanceQuota, int rateLimitPerMinute) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.tokenHash = tokenHash;
    this.instanceQuota = instanceQuota;
    this.rateLimitPerMinute = rateLimitPerMinute;
    this.createdAt = OffsetDateTime.now();
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getTokenHash() {
    return tokenHash;
  }

  public int getInstanceQuota() {
    return instanceQuota;
  }

  public int getRateLimitPerMinute() {
    return rateLimitPerMinute;
  }

  public OffsetDateTime getCreatedAt() {
    return createdAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Account other && Objects.equals(id, other.id);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(id);
  }
}
