package io.wagate.websocket;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.wagate.rest.Routes;

/** {@code GET /ws/:instance}: the events of one instance (docs/API.md, section 3.3). */
@WebSocket(path = Routes.INSTANCE_SOCKET)
public class InstanceEventsSocket {
  private final EventSockets sockets;

  public InstanceEventsSocket(EventSockets sockets) {
    this.sockets = sockets;
  }

  @OnOpen
  public Uni<Void> onOpen(WebSocketConnection connection) {
    return sockets.openInstance(connection);
  }

  @OnClose
  public void onClose(WebSocketConnection connection) {
    sockets.closed(connection);
  }
}
