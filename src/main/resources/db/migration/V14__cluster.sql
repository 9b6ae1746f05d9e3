-- Scale-out: the gateways sharing this database (members) and which one owns each instance (leases).

-- One row per running gateway process, written at start-up and refreshed by its heartbeat; a member whose heartbeat
-- is older than the lease time counts as gone. `address` is where the other members reach it over HTTP.
CREATE TABLE member (
    id           text PRIMARY KEY,
    address      text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- The owner of an instance's session. A member takes a row only when it is free, expired or already its own; `epoch`
-- grows by one at every change of owner and fences the sidecar's lifecycle commands. A release keeps the row (expired
-- at once) so that the epoch never goes back.
CREATE TABLE instance_lease (
    instance_id uuid PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
    owner       text        NOT NULL,
    epoch       bigint      NOT NULL CHECK (epoch > 0),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX instance_lease_owner ON instance_lease (owner);
