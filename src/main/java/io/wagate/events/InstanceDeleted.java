package io.wagate.events;

import java.util.UUID;

/**
 * A CDI event: an instance was deleted, on this replica or (heard through {@code LISTEN}) on another. Fired
 * synchronously by {@link EventNotifications}; the WebSocket layer observes it and closes that instance's sockets, so
 * events never calls up into websocket.
 */
public record InstanceDeleted(UUID instanceId) {
}
